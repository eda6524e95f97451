import { join } from "node:path";
import { declareCloud } from "../../infra/cloud";
import { ConfigError, parseStackConfig } from "../../infra/config";
import { evaluateStack } from "../offline/evaluate";
import { readStackFile } from "../offline/stackFile";
import { planWarnings } from "./warnings";
import { resourceCounts, writePlan } from "./writePlan";

export interface PlanOptions {
    stack?: string;
    configFile?: string;
    outDir: string;
    stacksDir: string;
}

/** `npm run plan`: evaluate one stack offline, write out/<stack>/, print a summary. Returns the exit code. */
export async function runPlan(options: PlanOptions, print: (line: string) => void): Promise<number> {
    const path = options.configFile ?? join(options.stacksDir, `Pulumi.${options.stack}.yaml`);
    const { stack, config } = readStackFile(path);
    let spec;
    try {
        spec = parseStackConfig(stack, config.values);
    } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        print(`${path}: ${error.message}`);
        return 1;
    }
    const evaluation = await evaluateStack(stack, config, () => ({ ...declareCloud(spec) }));
    const dir = writePlan(evaluation, options.outDir);

    print(`stack ${stack} (${spec.environment}): ${evaluation.resources.length} resources, written to ${dir}`);
    for (const [type, count] of resourceCounts(evaluation)) print(`  ${String(count).padStart(4)}  ${type}`);
    for (const node of spec.cluster.nodes ?? []) print(`  node ${node.name} ${node.address} ${node.role}`);
    const talos = evaluation.outputs.talos as { installerImage: string; pxeScript: string } | undefined;
    if (talos) print(`  installer ${talos.installerImage}\n  netboot   ${talos.pxeScript}`);
    for (const warning of planWarnings(spec)) print(`  warning: ${warning}`);
    return 0;
}
