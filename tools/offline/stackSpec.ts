import { join } from "node:path";
import { CloudSpec, ConfigError, parseStackConfig } from "../../infra/config";
import { readStackFile, StackFile } from "./stackFile";

export interface StackSelection {
    stack?: string;
    configFile?: string;
    stacksDir: string;
}

/**
 * The stack a command line names (`--stack` or `--config-file`), validated and defaulted as the
 * program does; or undefined after printing every config problem. Light: it loads no component.
 */
export function parseStack(selection: StackSelection, print: (line: string) => void): (StackFile & { path: string; spec: CloudSpec }) | undefined {
    const path = selection.configFile ?? join(selection.stacksDir, `Pulumi.${selection.stack}.yaml`);
    const { stack, config } = readStackFile(path);
    try {
        return { path, stack, config, spec: parseStackConfig(stack, config.values) };
    } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        print(`${path}: ${error.message}`);
        return undefined;
    }
}
