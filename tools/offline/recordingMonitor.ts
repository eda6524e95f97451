import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { serializeProperties, specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import * as resproto from "@pulumi/pulumi/proto/resource_pb";
import { deserializeProperties } from "@pulumi/pulumi/runtime/rpc";

/** One registration as the engine would receive it. Inputs keep secrets as SecretValue. */
export interface RecordedResource {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    parent: string;
    provider: string;
    dependencies: string[];
    protect: boolean;
    ignoreChanges: string[];
    inputs: Record<string, unknown>;
    /** For each input, the resources its value came from (what makes it unknown at a first preview). */
    propertyDependencies: Record<string, string[]>;
    /** A component's registered outputs (registerOutputs), as the engine keeps them. */
    outputs?: Record<string, unknown>;
}

/** MockMonitor's URN scheme, which registerResourceOutputs relies on. */
interface UrnMaker {
    newUrn(parent: string, type: string, name: string): string;
}

/** A value the program marked secret. */
export class SecretValue {
    constructor(readonly value: unknown) {}
}

/**
 * Pulumi's MockMonitor, recording what the engine would see (parent, dependencies, protect,
 * secret inputs) and honouring `additionalSecretOutputs` as the engine does, so outputs that a
 * provider declares secret stay secret offline too.
 */
export class RecordingMonitor extends MockMonitor {
    readonly recorded: RecordedResource[] = [];

    constructor(mocks: pulumi.runtime.Mocks) {
        super(mocks);
    }

    async registerResource(req: resproto.RegisterResourceRequest, callback: (err: unknown, response?: unknown) => void) {
        try {
            const urn = (this as unknown as UrnMaker).newUrn(req.getParent(), req.getType(), req.getName());
            const rawInputs = req.getObject()?.toJavaScript() ?? {};
            this.recorded.push({
                urn,
                type: req.getType(),
                name: req.getName(),
                custom: req.getCustom(),
                parent: req.getParent(),
                provider: req.getProvider(),
                dependencies: req.getDependenciesList(),
                protect: req.getProtect() ?? false,
                ignoreChanges: req.getIgnorechangesList(),
                inputs: markSecrets(rawInputs) as Record<string, unknown>,
                propertyDependencies: propertyDependenciesOf(req),
            });
            const result = await this.mocks.newResource({
                type: req.getType(),
                name: req.getName(),
                inputs: deserializeProperties(req.getObject() ?? new structproto.Struct()),
                provider: req.getProvider(),
                custom: req.getCustom(),
                id: req.getImportid(),
            });
            const state = await serializeProperties("", result.state);
            for (const key of req.getAdditionalsecretoutputsList()) {
                if (key in state) state[key] = { [specialSigKey]: specialSecretSig, value: state[key] };
            }
            this.resources.set(urn, { urn, id: result.id ?? null, state });
            const response = new resproto.RegisterResourceResponse();
            response.setUrn(urn);
            response.setId(result.id || "");
            response.setObject(structproto.Struct.fromJavaScript(state));
            callback(null, response);
        } catch (err) {
            callback(err, undefined);
        }
    }

    /** A component's `registerOutputs`: what a stack policy sees of it under the CLI. */
    registerResourceOutputs(req: resproto.RegisterResourceOutputsRequest, callback: (err: unknown, response?: unknown) => void) {
        const recorded = this.recorded.find((r) => r.urn === req.getUrn());
        if (recorded) recorded.outputs = markSecrets(req.getOutputs()?.toJavaScript() ?? {}) as Record<string, unknown>;
        super.registerResourceOutputs(req, callback);
    }
}

function propertyDependenciesOf(req: resproto.RegisterResourceRequest): Record<string, string[]> {
    const found: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps, key) => { found[key] = deps.getUrnsList(); });
    return found;
}

function markSecrets(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(markSecrets);
    if (value !== null && typeof value === "object") {
        const record = value as Record<string, unknown>;
        if (record[specialSigKey] === specialSecretSig) return new SecretValue(markSecrets(record.value));
        return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, markSecrets(v)]));
    }
    return value;
}
