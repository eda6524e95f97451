import { performance } from "node:perf_hooks";
import { stringify } from "yaml";
import { declareCloud } from "../infra/cloud";
import { parseStackConfig } from "../infra/config";
import { ProjectFiles } from "../infra/projectFiles";
import { cheapenSdkStackTraces } from "../infra/stackTraces";
import { evaluateStack } from "../tools/offline/evaluate";
import { toProgramConfig } from "../tools/offline/stackFile";
import { benchCases } from "./cases";

// What the program's entry and the offline tools do about the SDK's stack traces under ts-node.
cheapenSdkStackTraces();

/**
 * One benchmark case in its own process, so peak RSS is that case's alone. Prints one JSON line.
 * Wall and CPU time cover config validation (inventories included) and the whole evaluation.
 */
async function main(caseName: string) {
    const benchCase = benchCases.find((c) => c.name === caseName);
    if (!benchCase) throw new Error(`unknown case ${caseName}`);
    const { config, files } = benchCase.stack();
    const programConfig = toProgramConfig(config);
    // The team inventories, read as the program reads them from the project directory.
    const projectFiles: ProjectFiles = { read: (path) => (path in files ? { text: stringify(files[path]) } : { problem: "does not exist" }) };
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    const evaluation = await evaluateStack("bench", programConfig, () => ({ ...declareCloud(parseStackConfig("bench", programConfig.values, projectFiles)) }));
    const wallMs = performance.now() - start;
    const cpu = process.cpuUsage(cpuStart);
    console.log(JSON.stringify({
        name: caseName,
        wallMs,
        // On a busy machine wall time stretches; the CPU time the evaluation took does much less.
        cpuMs: (cpu.user + cpu.system) / 1000,
        peakRssMiB: process.resourceUsage().maxRSS / 1024,
        resources: evaluation.resources.length,
        vms: benchCase.vms,
    }));
}

main(process.argv[2]).catch((error) => {
    console.error(error);
    process.exit(1);
});
