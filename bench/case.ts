import { performance } from "node:perf_hooks";
import { declareCloud } from "../infra/cloud";
import { parseStackConfig } from "../infra/config";
import { evaluateStack } from "../tools/offline/evaluate";
import { toProgramConfig } from "../tools/offline/stackFile";
import { benchCases } from "./cases";

// ts-node maps every stack trace through source maps, and the Pulumi SDK takes a stack trace
// for each promise and resource; a compiled program (what the CLI runs for `pulumi up` with a
// built project) pays neither, so the benchmark measures the program, not the debugging aid.
(Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;

/** One benchmark case in its own process, so peak RSS is that case's alone. Prints one JSON line. */
async function main(caseName: string) {
    const benchCase = benchCases.find((c) => c.name === caseName);
    if (!benchCase) throw new Error(`unknown case ${caseName}`);
    const programConfig = toProgramConfig(benchCase.config());
    const start = performance.now();
    const evaluation = await evaluateStack("bench", programConfig, () => ({ ...declareCloud(parseStackConfig("bench", programConfig.values)) }));
    const wallMs = performance.now() - start;
    console.log(JSON.stringify({
        name: caseName,
        wallMs,
        peakRssMiB: process.resourceUsage().maxRSS / 1024,
        resources: evaluation.resources.length,
        vms: benchCase.vms,
    }));
}

main(process.argv[2]).catch((error) => {
    console.error(error);
    process.exit(1);
});
