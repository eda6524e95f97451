import { parseArgs } from "node:util";
import { runPolicyCheck } from "./policy/runPolicyCheck";
import { cheapenSdkStackTraces } from "../infra/stackTraces";

const usage = "usage: npm run policy:check -- --stack <name> | --config-file <path/Pulumi.<name>.yaml> [--policy-config <file>]";

// The program runs here under ts-node as it does under the CLI: the same stack-trace costs.
cheapenSdkStackTraces();

async function main(): Promise<number> {
    const { values } = parseArgs({ options: { stack: { type: "string" }, "config-file": { type: "string" }, "policy-config": { type: "string" } } });
    if ((values.stack === undefined) === (values["config-file"] === undefined)) {
        console.error(usage);
        return 2;
    }
    return runPolicyCheck({ stack: values.stack, configFile: values["config-file"], policyConfig: values["policy-config"], stacksDir: "stacks", policyDir: "policy" }, (line) => console.log(line));
}

main().then((code) => process.exit(code), (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
});
