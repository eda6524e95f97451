import { join } from "node:path";
import { declareCloud } from "../../infra/cloud";
import { CloudSpec, ConfigError, parseStackConfig } from "../../infra/config";
import { Evaluation, evaluateStack } from "./evaluate";
import { readStackFile } from "./stackFile";

export interface StackSelection {
    stack?: string;
    configFile?: string;
    stacksDir: string;
}

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
    const path = selection.configFile ?? join(selection.stacksDir, `Pulumi.${selection.stack}.yaml`);
    const { stack, config } = readStackFile(path);
    let spec: CloudSpec;
    try {
        spec = parseStackConfig(stack, config.values);
    } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        print(`${path}: ${error.message}`);
        return undefined;
    }
    const evaluation = await evaluateStack(stack, config, () => ({ ...declareCloud(spec) }));
    return { path, spec, evaluation };
}
