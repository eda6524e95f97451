import { join } from "node:path";
import { declareCloud } from "../../infra/cloud";
import { parseStackConfig } from "../../infra/config";
import { Evaluation, evaluateStack } from "../../tools/offline/evaluate";
import { RecordedResource } from "../../tools/offline/recordingMonitor";
import { readStackFile, toProgramConfig } from "../../tools/offline/stackFile";

export const repoRoot = join(__dirname, "..", "..");
export const sharedSchemas = join(repoRoot, "..", "shared", "schemas");

/** Evaluates `stacks/Pulumi.<stack>.yaml` (or any stack file) under the offline mock runtime. */
export async function evaluateStackFile(path: string): Promise<Evaluation> {
    const { stack, config } = readStackFile(path);
    return evaluateStack(stack, config, () => ({ ...declareCloud(parseStackConfig(stack, config.values)) }));
}

/** Evaluates a stack config given as YAML-like values (`{ "ironcloud:cluster": {...} }`). */
export async function evaluateConfig(stack: string, config: Record<string, unknown>): Promise<Evaluation> {
    const programConfig = toProgramConfig(config);
    return evaluateStack(stack, programConfig, () => ({ ...declareCloud(parseStackConfig(stack, programConfig.values)) }));
}

export function stackPath(stack: string): string {
    return join(repoRoot, "stacks", `Pulumi.${stack}.yaml`);
}

/** The one recorded resource of `type` named `name`; fails loudly when absent or ambiguous. */
export function resource(evaluation: Evaluation, type: string, name: string): RecordedResource {
    const found = evaluation.resources.filter((r) => r.type === type && r.name === name);
    if (found.length !== 1) {
        const names = evaluation.resources.filter((r) => r.type === type).map((r) => r.name).join(", ");
        throw new Error(`expected one ${type} named ${name}, found ${found.length} (of this type: ${names || "none"})`);
    }
    return found[0];
}

export function resourcesOfType(evaluation: Evaluation, type: string): RecordedResource[] {
    return evaluation.resources.filter((r) => r.type === type);
}

/** The names of the resources `r` depends on (from their URNs). */
export function dependencyNames(r: RecordedResource): string[] {
    return [...new Set(r.dependencies.map((urn) => urn.split("::").pop() as string))].sort();
}
