import { performance } from "node:perf_hooks";
import { declareCloud } from "../infra/cloud";
import { parseStackConfig } from "../infra/config";
import { evaluateStack } from "../tools/offline/evaluate";
import { toProgramConfig } from "../tools/offline/stackFile";
import { generatedClusterConfig } from "./generatedStack";

/**
 * `npm run bench`: offline evaluation cost of generated stacks. Each case runs in this process
 * one after another; peak RSS is the process high-water mark after the case.
 */
interface Case {
    name: string;
    config: Record<string, unknown>;
}

const cases: Case[] = [
    { name: "cluster 1 cp + 1 worker", config: generatedClusterConfig(1, 1) },
    { name: "cluster 3 cp + 50 workers", config: generatedClusterConfig(3, 50) },
];

async function main() {
    console.log("case".padEnd(30), "wall ms".padStart(9), "resources".padStart(10), "peak RSS MiB".padStart(13));
    for (const { name, config } of cases) {
        const programConfig = toProgramConfig(config);
        const start = performance.now();
        const evaluation = await evaluateStack("bench", programConfig, () => ({ ...declareCloud(parseStackConfig("bench", programConfig.values)) }));
        const wall = performance.now() - start;
        const peakRss = process.resourceUsage().maxRSS / 1024;
        console.log(name.padEnd(30), wall.toFixed(0).padStart(9), String(evaluation.resources.length).padStart(10), peakRss.toFixed(0).padStart(13));
    }
}

main().catch((error) => {
    console.error(error);
    process.exit(1);
});
