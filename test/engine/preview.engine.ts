import { strict as assert } from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { inventoryPaths } from "../../infra/validation/inventories";
import { policies } from "../../policy/policies";
import { loadStack } from "../../tools/offline/loadStack";
import { PolicyConfigFile, runPolicies } from "../../tools/policy/runPolicies";
import { evaluateStackFile, repoRoot } from "../harness/program";
import { PulumiProject } from "./harness/pulumi";
import { analyzedPolicies, mandatoryKeys, PolicyPreview, policyFindings, plannedUrns, previewWithPolicies } from "./policyPreview";

/**
 * `pulumi preview` with the policy pack on the real engine: every stack passes, plans what the
 * offline plan declares, and the pack judges the same things under the CLI as offline.
 */

const stackConfig = (path: string) => (parse(readFileSync(path, "utf8")) as { config: Record<string, unknown> }).config;
const environmentOf = (path: string) => String(stackConfig(path)["ironcloud:environment"] ?? "dev");
const fixture = (name: string) => join(repoRoot, "test", "fixtures", `Pulumi.${name}.yaml`);

/** The team inventory files a stack config names, as they are in the checkout. */
const inventoriesOf = (config: Record<string, unknown>) => Object.fromEntries(inventoryPaths(config).map((path) => [path, readFileSync(join(repoRoot, path), "utf8")]));

/** A fresh project for the stack file and its inventories, previewed once with the pack. */
async function preview(path: string): Promise<{ project: PulumiProject; result: PolicyPreview }> {
    const stack = /Pulumi\.(.+)\.yaml$/.exec(path)?.[1] as string;
    const config = stackConfig(path);
    const project = await PulumiProject.create(stack, config, inventoriesOf(config));
    return { project, result: await previewWithPolicies(project, environmentOf(path)) };
}

const cloudInitPolicies = ["vm-no-password-auth", "vm-login-configured"];
const cantRun = (message: string) => /can't run policy .* during preview/.test(message);

/** Both cloud-init policies ran on each Secret at preview and passed, with nothing reported. */
function assertJudgedAndPassed(result: PolicyPreview, secrets: string[]): void {
    const analyzed = analyzedPolicies(result.events);
    for (const secret of secrets) {
        const ran = analyzed.get(secret);
        assert.ok(ran, `no policy ran on ${secret}`);
        for (const policy of cloudInitPolicies) assert.ok(ran.passed.includes(policy), `${secret} ${policy}: ${JSON.stringify(ran)}`);
    }
    assert.deepEqual(policyFindings(result.events).filter((f) => f.resource !== undefined && secrets.includes(f.resource)), []);
}

describe("engine: pulumi preview with the policy pack", () => {
    const stacks = readdirSync(join(repoRoot, "stacks")).filter((f) => /^Pulumi\..+\.yaml$/.test(f));
    it("has stacks to preview", () => assert.ok(stacks.length >= 2, stacks.join(", ")));

    for (const file of stacks) {
        it(`${file}: exits 0 with no mandatory violation, planning the offline plan's resources and the Stack`, async () => {
            const path = join(repoRoot, "stacks", file);
            const [{ project, result }, offline] = await Promise.all([preview(path), evaluateStackFile(path)]);
            try {
                const findings = policyFindings(result.events);
                assert.equal(result.code, 0, `${findings.map((f) => `${f.level} ${f.policy} ${f.resource}: ${f.message}`).join("\n")}\n${result.stderr.slice(-4000)}`);
                assert.deepEqual(mandatoryKeys(findings), []);
                assert.equal(plannedUrns(result.events).length, offline.resources.length + 1);
                // Every VM's cloud-init is judged at preview (and passes), not skipped as unknown.
                const vmSecrets = offline.resources.filter((r) => r.type === "kubernetes:core/v1:Secret" && r.name.endsWith("-cloud-init")).map((r) => r.name);
                assert.ok(vmSecrets.length > 0, "the stack declares VMs");
                assertJudgedAndPassed(result, vmSecrets);
            } finally {
                project.remove();
            }
        });
    }

    describe("on the bad fixture", () => {
        let cli: PolicyPreview;
        before(async () => {
            const { project, result } = await preview(fixture("bad"));
            project.remove();
            cli = result;
        });

        it("fails, with the same mandatory (policy, resource) set as the offline runner", async () => {
            const loaded = await loadStack({ configFile: fixture("bad"), stacksDir: join(repoRoot, "stacks") }, (line) => assert.fail(line));
            assert.ok(loaded);
            const config = JSON.parse(readFileSync(join(repoRoot, "policy", "config.prod.json"), "utf8")) as PolicyConfigFile;
            const offline = mandatoryKeys(await runPolicies(loaded.evaluation.resources, policies, config));
            assert.notEqual(cli.code, 0);
            assert.deepEqual(mandatoryKeys(policyFindings(cli.events)), offline);
            // The stack policies the CLI once missed are in the set, and the false DRBD finding is not.
            for (const key of ["team-quota-fits bad-vms", "network-default-deny bad-extras-namespace-shadow", "team-namespace-guardrails bad-extras-namespace-shadow"]) {
                assert.ok(offline.includes(key), key);
            }
            assert.ok(!offline.some((key) => key.startsWith("storage-needs-drbd ")), offline.join("\n"));
        });
    });

    describe("VM cloud-init at preview", () => {
        let cli: PolicyPreview;
        before(async () => {
            const { project, result } = await preview(fixture("cloudinit"));
            project.remove();
            cli = result;
        });

        it("reports password login and a missing key on the site VM's Secret", () => {
            const findings = policyFindings(cli.events).filter((f) => cloudInitPolicies.includes(f.policy));
            assert.deepEqual(mandatoryKeys(findings), [
                "vm-login-configured ci-extras-secret-lab-guest-cloud-init",
                "vm-no-password-auth ci-extras-secret-lab-guest-cloud-init",
            ]);
            const guest = findings.filter((f) => f.resource === "ci-extras-secret-lab-guest-cloud-init");
            assert.equal(guest.length, 3, JSON.stringify(guest));
            assert.ok(guest.some((f) => /sets ssh_pwauth to true/.test(f.message)), JSON.stringify(guest));
            assert.deepEqual(guest.filter((f) => cantRun(f.message) || f.level !== "mandatory"), []);
        });

        it("judges the ironcloud VMs' Secrets (host keys still unknown) and passes them", () => {
            assertJudgedAndPassed(cli, ["ci-vms-lab-keyed-cloud-init", "ci-vms-lab-certified-cloud-init"]);
        });
    });

    describe("team inventories", () => {
        it("a broken inventory stops the preview before any resource, naming the file and path, without a stack trace", async () => {
            const path = join(repoRoot, "stacks", "Pulumi.prod.yaml");
            const config = stackConfig(path);
            const inventories = inventoriesOf(config);
            inventories["stacks/prod/beta.yaml"] = (inventories["stacks/prod/beta.yaml"] as string).replace("os: ubuntu", "os: ubunto");
            const project = await PulumiProject.create("prod", config, inventories);
            try {
                const result = await project.run(["preview", "--json"]);
                assert.notEqual(result.code, 0);
                const output = result.stdout + result.stderr;
                assert.match(output, /stacks\/prod\/beta\.yaml: vms\[0\]\.os: unknown OS \\?"ubunto\\?"; known: ubuntu/);
                assert.doesNotMatch(output, /\bat (parseStackConfig|declareStack|Object\.<anonymous>) \(/, "no stack trace");
                const steps = (JSON.parse(result.stdout) as { steps?: { urn: string }[] }).steps ?? [];
                assert.deepEqual(steps.map((s) => s.urn).filter((urn) => !urn.includes("::pulumi:pulumi:Stack::")), [], "no resource but the Stack planned");
            } finally {
                project.remove();
            }
        });
    });
});
