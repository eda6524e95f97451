import { readFileSync } from "node:fs";
import { join } from "node:path";
import { policies } from "../../policy/policies";
import { loadStack, StackSelection } from "../offline/loadStack";
import { PolicyConfigFile, runPolicies, Violation } from "./runPolicies";

export interface PolicyCheckOptions extends StackSelection {
    /** Defaults to policy/config.<environment>.json for the stack's environment. */
    policyConfig?: string;
    policyDir: string;
}

/** `npm run policy:check`: the whole pack against one stack, offline. Returns the exit code. */
export async function runPolicyCheck(options: PolicyCheckOptions, print: (line: string) => void): Promise<number> {
    const loaded = await loadStack(options, print);
    if (!loaded) return 1;
    const { spec, evaluation } = loaded;
    const stack = evaluation.stack;
    const policyConfigPath = options.policyConfig ?? join(options.policyDir, `config.${spec.environment}.json`);
    const policyConfig = JSON.parse(readFileSync(policyConfigPath, "utf8")) as PolicyConfigFile;
    const violations = await runPolicies(evaluation.resources, policies, policyConfig);

    print(`stack ${stack} (${spec.environment}): ${policies.length} policies over ${evaluation.resources.length} resources, levels from ${policyConfigPath}`);
    for (const found of groupByPolicy(violations)) {
        print(`  ${found[0].level.toUpperCase()} ${found[0].policy} (${found.length})`);
        for (const v of found) print(`    ${v.resource ? `${v.resource}: ` : ""}${v.message}`);
    }
    const mandatory = violations.filter((v) => v.level === "mandatory").length;
    print(`${violations.length} violations, ${mandatory} mandatory`);
    return mandatory > 0 ? 1 : 0;
}

function groupByPolicy(violations: Violation[]): Violation[][] {
    const groups = new Map<string, Violation[]>();
    // By level too: a policy that could not run somewhere at preview is advisory there only.
    for (const v of violations) groups.set(`${v.level} ${v.policy}`, [...(groups.get(`${v.level} ${v.policy}`) ?? []), v]);
    return [...groups.values()];
}
