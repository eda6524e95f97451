import * as pulumi from "@pulumi/pulumi";
import type { RegisterResourceOutputsRequest, RegisterResourceRequest, RegisterResourceResponse } from "@pulumi/pulumi/proto/resource_pb";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { JavaScriptValue, Struct } from "google-protobuf/google/protobuf/struct_pb";

/**
 * Everything the offline runtime assumes about the Pulumi SDK beyond `pulumi.runtime.setMocks`
 * and its `Mocks` interface, one numbered assumption each. test/offlineRuntime.test.ts pins every
 * one, so an SDK upgrade that breaks one fails there, naming it.
 *
 * The runtime is setMocks' own, so the features it enables follow the SDK. Its `Mocks` see a
 * registration's type, name, inputs, provider and custom flag; what else the engine receives
 * (parent, dependencies, protect, ignoreChanges, property dependencies, additionalSecretOutputs,
 * a component's registered outputs) is read from the requests setMocks' MockMonitor answers.
 */

/** A resource registration as the engine receives it. */
export interface Registration {
    type: string;
    name: string;
    custom: boolean;
    parent: string;
    provider: string;
    dependencies: string[];
    protect: boolean;
    ignoreChanges: string[];
    additionalSecretOutputs: string[];
    /** Serialized as for the engine: a secret is an RPC secret (`pulumi.runtime.isRpcSecret`). */
    inputs: Record<string, unknown>;
    propertyDependencies: Record<string, string[]>;
}

export interface RegistrationListener {
    /**
     * Sees a registration before the mocks answer it; what it returns sees the answer (URN and
     * serialized outputs) and may return other outputs to give the program instead.
     */
    resource(registration: Registration): (urn: string, outputs: Record<string, unknown>) => Record<string, unknown> | undefined;
    /** A component's `registerOutputs`, serialized as for the engine. */
    componentOutputs(urn: string, outputs: Record<string, unknown>): void;
}

export const assumptions = {
    synchronousSetMocks: "assumption 1 (tools/offline/pulumiInternals.ts): pulumi.runtime.setMocks installs a MockMonitor before it returns, and pulumi.runtime.getMonitor() returns it",
    monitorPerCall: "assumption 2 (tools/offline/pulumiInternals.ts): the SDK registers resources and component outputs through the registerResource and registerResourceOutputs methods of the monitor object getMonitor() returns",
    requestFields: "assumption 3 (tools/offline/pulumiInternals.ts): a RegisterResourceRequest carries the resource options the program declared (parent, provider, dependsOn, protect, ignoreChanges, additionalSecretOutputs) and its property dependencies",
    responseObject: "assumption 4 (tools/offline/pulumiInternals.ts): the program's outputs come from the object of the RegisterResourceResponse MockMonitor hands the callback, and MockMonitor keeps that state in its `resources` map",
} as const;

/**
 * Makes setMocks' runtime the engine for `project`/`stack` with `mocks` answering, and tells
 * `listener` about every registration. Synchronous, as the runtime must be in place before the
 * program constructs its first resource.
 */
export function installMockRuntime(mocks: pulumi.runtime.Mocks, project: string, stack: string, listener: RegistrationListener): void {
    // Assumption 1: setMocks is async only in its signature; its body sets the monitor, options
    // and features without awaiting, so they are in place when it returns.
    void pulumi.runtime.setMocks(mocks, project, stack, false);
    const monitor: unknown = pulumi.runtime.getMonitor();
    if (!(monitor instanceof MockMonitor)) throw new Error(`offline runtime: ${assumptions.synchronousSetMocks} no longer holds`);
    observe(monitor, listener);
}

type Callback = (err: unknown, response?: unknown) => void;

/**
 * Assumption 2: resources and component outputs reach the engine through these two methods of the
 * monitor instance, called per registration, so instance properties that record and then defer
 * to MockMonitor's own methods see every one.
 */
function observe(monitor: MockMonitor, listener: RegistrationListener): void {
    const registerResource = monitor.registerResource.bind(monitor);
    const registerResourceOutputs = monitor.registerResourceOutputs.bind(monitor);

    monitor.registerResource = (req: RegisterResourceRequest, callback: Callback) => {
        const answered = listener.resource(registrationOf(req));
        return registerResource(req, (err: unknown, response?: RegisterResourceResponse) => {
            if (!err && response) {
                // Assumption 4: what the program resolves its outputs from.
                const urn = response.getUrn();
                const replaced = answered(urn, response.getObject()?.toJavaScript() ?? {});
                if (replaced) {
                    response.setObject(Struct.fromJavaScript(replaced as Record<string, JavaScriptValue>));
                    const kept = monitor.resources.get(urn);
                    if (kept) kept.state = replaced;
                }
            }
            callback(err, response);
        });
    };

    monitor.registerResourceOutputs = (req: RegisterResourceOutputsRequest, callback: Callback) => {
        listener.componentOutputs(req.getUrn(), req.getOutputs()?.toJavaScript() ?? {});
        registerResourceOutputs(req, callback);
    };
}

/** Assumption 3: the request fields the SDK fills from the program's resource options. */
function registrationOf(req: RegisterResourceRequest): Registration {
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps, key) => { propertyDependencies[key] = deps.getUrnsList(); });
    return {
        type: req.getType(),
        name: req.getName(),
        custom: req.getCustom(),
        parent: req.getParent(),
        provider: req.getProvider(),
        dependencies: req.getDependenciesList(),
        protect: req.getProtect() ?? false,
        ignoreChanges: req.getIgnorechangesList(),
        additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
        inputs: req.getObject()?.toJavaScript() ?? {},
        propertyDependencies,
    };
}
