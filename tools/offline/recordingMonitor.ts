import * as pulumi from "@pulumi/pulumi";
import { Registration, RegistrationListener } from "./pulumiInternals";

/**
 * One registration as the engine would receive it, with its URN. Inputs keep secrets as
 * SecretValue; `additionalSecretOutputs` is already applied to the outputs.
 */
export interface RecordedResource extends Omit<Registration, "additionalSecretOutputs"> {
    urn: string;
    /** A component's registered outputs (registerOutputs), as the engine keeps them. */
    outputs?: Record<string, unknown>;
}

/** A value the program marked secret. */
export class SecretValue {
    constructor(readonly value: unknown) {}
}

/**
 * Records what the engine would see of each registration (parent, dependencies, protect, secret
 * inputs, a component's registered outputs) and honours `additionalSecretOutputs` as the engine
 * does, so outputs that a provider declares secret stay secret offline too.
 */
export class RegistrationRecorder implements RegistrationListener {
    readonly recorded: RecordedResource[] = [];

    resource(registration: Registration) {
        // Recorded in the order the program registers; the URN arrives with the answer.
        const recorded: RecordedResource = {
            urn: "",
            type: registration.type,
            name: registration.name,
            custom: registration.custom,
            parent: registration.parent,
            provider: registration.provider,
            dependencies: registration.dependencies,
            protect: registration.protect,
            ignoreChanges: registration.ignoreChanges,
            inputs: markSecrets(registration.inputs) as Record<string, unknown>,
            propertyDependencies: registration.propertyDependencies,
        };
        this.recorded.push(recorded);
        return (urn: string, outputs: Record<string, unknown>) => {
            recorded.urn = urn;
            const secretKeys = registration.additionalSecretOutputs.filter((key) => key in outputs);
            if (secretKeys.length === 0) return undefined;
            const marked = { ...outputs };
            for (const key of secretKeys) marked[key] = { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value: outputs[key] };
            return marked;
        };
    }

    /** A component's `registerOutputs`: what a stack policy sees of it under the CLI. */
    componentOutputs(urn: string, outputs: Record<string, unknown>) {
        const recorded = this.recorded.find((r) => r.urn === urn);
        if (recorded) recorded.outputs = markSecrets(outputs) as Record<string, unknown>;
    }
}

function markSecrets(value: unknown): unknown {
    if (pulumi.runtime.isRpcSecret(value)) return new SecretValue(markSecrets(pulumi.runtime.unwrapRpcSecret(value)));
    if (Array.isArray(value)) return value.map(markSecrets);
    if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, markSecrets(v)]));
    return value;
}
