import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { strict as assert } from "node:assert";
import { Evaluation, evaluateStack, installOfflineRuntime, waitForRegistrations } from "../tools/offline/evaluate";
import { assumptions } from "../tools/offline/pulumiInternals";
import { RecordedResource, SecretValue } from "../tools/offline/recordingMonitor";

/**
 * Pins what the offline runtime assumes about the Pulumi SDK (tools/offline/pulumiInternals.ts):
 * after an SDK upgrade that breaks an assumption, a test here fails with the assumption's text.
 */

const stack = "offline-runtime";
const noConfig = { values: {}, secretKeys: [] };
const prefix = `urn:pulumi:${stack}::ironcloud::`;
const randomString = "random:index/randomString:RandomString";

class Holder extends pulumi.ComponentResource {
    constructor(name: string) {
        super("ironcloud:test:Holder", name, {}, {});
        this.registerOutputs({ label: "plain", token: pulumi.secret("hidden") });
    }
}

function recorded(evaluation: Evaluation, name: string, type?: string): RecordedResource {
    const found = evaluation.resources.filter((r) => r.name === name && (type === undefined || r.type === type));
    assert.equal(found.length, 1, `one registration named ${name}: ${assumptions.monitorPerCall}`);
    return found[0];
}

describe("the offline runtime's assumptions about the Pulumi SDK", () => {
    it("is setMocks' own runtime: its MockMonitor, project and stack, no preview", async () => {
        const recorder = installOfflineRuntime(stack, noConfig);
        assert.ok(pulumi.runtime.getMonitor() instanceof MockMonitor, assumptions.synchronousSetMocks);
        assert.equal(pulumi.runtime.getProject(), "ironcloud");
        assert.equal(pulumi.runtime.getStack(), stack);
        assert.equal(pulumi.runtime.isDryRun(), false);
        await waitForRegistrations();
        assert.deepEqual(recorder.recorded, []);
    });

    it("registers resources with replaceWith and deletedWith, which setMocks' features allow", async () => {
        const evaluation = await evaluateStack(stack, noConfig, () => {
            const kept = new random.RandomString("kept", { length: 4 });
            new random.RandomString("replaced-with", { length: 4 }, { replaceWith: [kept], deletedWith: kept });
            return {};
        });
        // The SDK leaves out, without failing the run, a resource whose options the runtime refuses.
        assert.deepEqual(evaluation.resources.map((r) => r.name).sort(), ["kept", "replaced-with"], "the runtime's features are setMocks' own");
    });

    describe("a registration with every option the recorder reads", () => {
        let evaluation: Evaluation;
        let holderUrn: string;
        before(async () => {
            evaluation = await evaluateStack(stack, noConfig, () => {
                const pinned = new random.Provider("pinned");
                const holder = new Holder("holder");
                const source = new random.RandomString("source", { length: 6 });
                const ordered = new random.RandomString("ordered", { length: 4 });
                const declared = new random.RandomString("declared", {
                    length: pulumi.secret(12),
                    overrideSpecial: source.result,
                    special: true,
                }, {
                    parent: holder,
                    provider: pinned,
                    dependsOn: [ordered],
                    protect: true,
                    ignoreChanges: ["overrideSpecial"],
                    additionalSecretOutputs: ["result"],
                });
                holder.urn.apply((urn) => { holderUrn = urn; });
                return {
                    declaredUrn: declared.urn,
                    declaredResult: declared.result,
                    declaredResultIsSecret: pulumi.output(pulumi.isSecret(declared.result)),
                    sourceResultIsSecret: pulumi.output(pulumi.isSecret(source.result)),
                };
            });
        });

        it("is recorded with exactly the options the program declared", () => {
            const declared = recorded(evaluation, "declared");
            const message = (field: string) => `${assumptions.requestFields}: ${field}`;
            assert.equal(declared.type, randomString, message("type"));
            assert.equal(declared.custom, true, message("custom"));
            assert.equal(declared.parent, holderUrn, message("parent"));
            assert.equal(declared.provider, `${prefix}pulumi:providers:random::pinned::pinned-id`, message("provider"));
            assert.deepEqual([...declared.dependencies].sort(), [`${prefix}${randomString}::ordered`, `${prefix}${randomString}::source`], message("dependencies (dependsOn and inputs)"));
            assert.equal(declared.protect, true, message("protect"));
            assert.deepEqual(declared.ignoreChanges, ["overrideSpecial"], message("ignoreChanges"));
            assert.deepEqual(declared.propertyDependencies.overrideSpecial, [`${prefix}${randomString}::source`], message("propertyDependencies"));
            assert.deepEqual(declared.propertyDependencies.length, [], message("propertyDependencies"));
            assert.deepEqual(declared.inputs.length, new SecretValue(12), message("a secret input stays secret"));
            assert.equal(declared.inputs.special, true, message("inputs"));
        });

        it("is recorded under the URN the program sees", () => {
            assert.equal(recorded(evaluation, "declared").urn, evaluation.outputs.declaredUrn, assumptions.responseObject);
            assert.equal(recorded(evaluation, "declared").urn, `${prefix}ironcloud:test:Holder$${randomString}::declared`);
            assert.equal(recorded(evaluation, "holder").urn, holderUrn);
        });

        it("records a component as such, with its registered outputs and their secrecy", () => {
            const holder = recorded(evaluation, "holder");
            assert.equal(holder.custom, false, `${assumptions.requestFields}: custom`);
            assert.deepEqual(holder.outputs, { label: "plain", token: new SecretValue("hidden") }, assumptions.monitorPerCall);
        });

        it("records every registration, providers included", () => {
            assert.deepEqual(evaluation.resources.map((r) => `${r.type}::${r.name}`).sort(), [
                "ironcloud:test:Holder::holder",
                "pulumi:providers:random::pinned",
                `${randomString}::declared`,
                `${randomString}::ordered`,
                `${randomString}::source`,
            ]);
        });

        it("makes the outputs named in additionalSecretOutputs secret to the program, and only those", () => {
            assert.ok(evaluation.outputs.declaredResult instanceof SecretValue, assumptions.responseObject);
            assert.equal(evaluation.outputs.declaredResultIsSecret, true, assumptions.responseObject);
            assert.equal(evaluation.outputs.sourceResultIsSecret, false);
        });

        it("hands the provider emulators plain values where the program gave secrets", () => {
            const result = (evaluation.outputs.declaredResult as SecretValue).value;
            assert.equal(typeof result === "string" && result.length, 12);
        });
    });

    it("waits for registrations still in flight when the program returns", async () => {
        const evaluation = await evaluateStack(stack, noConfig, () => {
            new Holder("unreturned");
            new random.RandomString("unreturned", { length: 4 });
            return {};
        });
        assert.deepEqual(evaluation.resources.map((r) => r.type).sort(), ["ironcloud:test:Holder", randomString]);
        for (const r of evaluation.resources) assert.ok(r.urn, `${r.type} ${r.name} was answered`);
        assert.deepEqual(recorded(evaluation, "unreturned", "ironcloud:test:Holder").outputs, { label: "plain", token: new SecretValue("hidden") });
    });
});
