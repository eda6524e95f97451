import * as pulumi from "@pulumi/pulumi";
import { offlineMocks } from "./mocks";
import { installMockRuntime } from "./pulumiInternals";
import { RecordedResource, RegistrationRecorder, SecretValue } from "./recordingMonitor";

export interface Evaluation {
    stack: string;
    resources: RecordedResource[];
    /** Stack outputs; secret values are SecretValue. */
    outputs: Record<string, unknown>;
}

export interface StackConfig {
    /** Values as Pulumi hands them to a program: strings, objects JSON-encoded. */
    values: Record<string, string>;
    secretKeys: string[];
}

/**
 * Runs a Pulumi program under the offline mock runtime for one stack and returns every
 * registration the engine would have received, plus the resolved stack outputs. No Pulumi CLI,
 * cluster or credentials are involved.
 */
export function evaluateStack(stack: string, config: StackConfig, program: () => Record<string, unknown>, runtime: OfflineRuntime = {}): Promise<Evaluation> {
    // The Pulumi runtime (monitor, config, stack name) is process-global: evaluations take turns.
    const turn = queue.then(() => evaluateNow(stack, config, program, runtime));
    queue = turn.catch(() => undefined);
    return turn;
}

let queue: Promise<unknown> = Promise.resolve();

/** Another program than ironcloud's (the examples), and mocks that also answer what it reads. */
export interface OfflineRuntime {
    project?: string;
    mocks?: pulumi.runtime.Mocks;
}

async function evaluateNow(stack: string, config: StackConfig, program: () => Record<string, unknown>, runtime: OfflineRuntime): Promise<Evaluation> {
    const recorder = installOfflineRuntime(stack, config, runtime);
    const outputs = (await resolve(program())) as Record<string, unknown>;
    await waitForRegistrations();
    return { stack, resources: recorder.recorded, outputs };
}

/** Makes the offline mock runtime the engine for `stack`, with its config; returns the recorder. */
export function installOfflineRuntime(stack: string, config: StackConfig, { project = "ironcloud", mocks = offlineMocks }: OfflineRuntime = {}): RegistrationRecorder {
    const recorder = new RegistrationRecorder();
    installMockRuntime(mocks, project, stack, recorder);
    pulumi.runtime.setAllConfig(config.values, config.secretKeys);
    return recorder;
}

/**
 * Resolves when every registration the program started has been answered: the end of a run, as
 * the language host ends one. The next evaluation's setMocks starts the runtime afresh.
 */
export function waitForRegistrations(): Promise<void> {
    return pulumi.runtime.disconnect();
}

async function resolve(value: unknown): Promise<unknown> {
    if (pulumi.Output.isInstance(value)) {
        const [plain, secret] = await Promise.all([
            new Promise<unknown>((done) => value.apply((v) => { done(v); return v; })),
            pulumi.isSecret(value),
        ]);
        const resolved = await resolve(plain);
        return secret ? new SecretValue(resolved) : resolved;
    }
    if (Array.isArray(value)) return Promise.all(value.map(resolve));
    if (value !== null && typeof value === "object" && !(value instanceof SecretValue) && !pulumi.Resource.isInstance(value)) {
        const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await resolve(v)] as const));
        return Object.fromEntries(entries);
    }
    return value;
}

/** The same tree with every secret replaced by "[secret]", for files a person reads. */
export function redact(value: unknown): unknown {
    if (value instanceof SecretValue) return "[secret]";
    if (Array.isArray(value)) return value.map(redact);
    if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v)]));
    return value;
}

/** The same tree with secrets unwrapped, for tests that inspect secret content. */
export function reveal(value: unknown): unknown {
    if (value instanceof SecretValue) return reveal(value.value);
    if (Array.isArray(value)) return value.map(reveal);
    if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reveal(v)]));
    return value;
}
