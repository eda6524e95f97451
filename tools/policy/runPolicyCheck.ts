import { readFileSync } from "node:fs";
import { join } from "node:path";
import { declareCloud } from "../../infra/cloud";
import { ConfigError, parseStackConfig } from "../../infra/config";
import { policies } from "../../policy/policies";
import { evaluateStack } from "../offline/evaluate";
import { readStackFile } from "../offline/stackFile";
import { PolicyConfigFile, runPolicies, Violation } from "./runPolicies";

export interface PolicyCheckOptions {
    stack?: string;
    configFile?: string;
    /** Defaults to policy/config.<environment>.json for the stack's environment. */
    policyConfig?: string;
    stacksDir: string;
    policyDir: string;
}

/** `npm run policy:check`: the whole pack against one stack, offline. Returns the exit code. */
export async function runPolicyCheck(options: PolicyCheckOptions, print: (line: string) => void): Promise<number> {
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
    const policyConfigPath = options.policyConfig ?? join(options.policyDir, `config.${spec.environment}.json`);
    const policyConfig = JSON.parse(readFileSync(policyConfigPath, "utf8")) as PolicyConfigFile;
    const evaluation = await evaluateStack(stack, config, () => ({ ...declareCloud(spec) }));
    const violations = await runPolicies(evaluation.resources, policies, policyConfig);

    print(`stack ${stack} (${spec.environment}): ${policies.length} policies over ${evaluation.resources.length} resources, levels from ${policyConfigPath}`);
    for (const [policy, found] of groupByPolicy(violations)) {
        print(`  ${found[0].level.toUpperCase()} ${policy} (${found.length})`);
        for (const v of found) print(`    ${v.resource ? `${v.resource}: ` : ""}${v.message}`);
    }
    const mandatory = violations.filter((v) => v.level === "mandatory").length;
    print(`${violations.length} violations, ${mandatory} mandatory`);
    return mandatory > 0 ? 1 : 0;
}

function groupByPolicy(violations: Violation[]): [string, Violation[]][] {
    const groups = new Map<string, Violation[]>();
    for (const v of violations) groups.set(v.policy, [...(groups.get(v.policy) ?? []), v]);
    return [...groups];
}
