import { declareCloud } from "../../infra/cloud";
import { CloudSpec } from "../../infra/config";
import { Evaluation, evaluateStack } from "./evaluate";
import { parseStack, StackSelection } from "./stackSpec";

export type { StackSelection } from "./stackSpec";

export interface LoadedStack {
    path: string;
    spec: CloudSpec;
    evaluation: Evaluation;
}

/**
 * The stack a command line names (`--stack` or `--config-file`), validated and evaluated under
 * the offline runtime; or undefined after printing every config problem.
 */
export async function loadStack(selection: StackSelection, print: (line: string) => void): Promise<LoadedStack | undefined> {
    const parsed = parseStack(selection, print);
    if (parsed === undefined) return undefined;
    const { path, stack, config, spec } = parsed;
    const evaluation = await evaluateStack(stack, config, () => ({ ...declareCloud(spec) }));
    return { path, spec, evaluation };
}
