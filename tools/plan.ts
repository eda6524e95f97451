import { parseArgs } from "node:util";
import { runPlan } from "./plan/runPlan";
import { cheapenSdkStackTraces } from "../infra/stackTraces";

const usage = "usage: npm run plan -- --stack <name> | --config-file <path/Pulumi.<name>.yaml> [--out <dir>]";

// The program runs here under ts-node as it does under the CLI: the same stack-trace costs.
cheapenSdkStackTraces();

async function main(): Promise<number> {
    const { values } = parseArgs({ options: { stack: { type: "string" }, "config-file": { type: "string" }, out: { type: "string", default: "out" } } });
    if ((values.stack === undefined) === (values["config-file"] === undefined)) {
        console.error(usage);
        return 2;
    }
    return runPlan({ stack: values.stack, configFile: values["config-file"], outDir: values.out as string, stacksDir: "stacks" }, (line) => console.log(line));
}

main().then((code) => process.exit(code), (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
});
