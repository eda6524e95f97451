import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { benchCases } from "./cases";
import { commandTimeoutSeconds, engineCases } from "./engine/cases";
import { EngineCaseResult, printEngineResults } from "./engine/report";
import { engineEnvironment, inLoopbackNamespace } from "./engine/sandbox";

/**
 * `npm run bench [-- [--offline] [--engine] [--profile DIR] [filter …]]`
 *
 * Offline cases evaluate generated stacks under the mock runtime; engine cases run the real
 * Pulumi CLI (preview of generated stacks, up and no-change up against a local control plane,
 * and `kubectl apply` of the same objects as the yardstick). Every case runs in a fresh process;
 * engine cases each in a loopback-only network namespace of their own. With neither --offline
 * nor --engine, both run. A filter keeps the cases whose name contains it (any filter matches).
 * --profile DIR keeps the Node program's CPU profiles (node --cpu-prof) and the CLI's pprof
 * profiles of every engine command in DIR.
 */
const usage = "usage: npm run bench -- [--offline] [--engine] [--profile DIR] [case name filter …]";

interface OfflineResult {
    name: string;
    wallMs: number;
    cpuMs: number;
    peakRssMiB: number;
    resources: number;
    vms: number;
}

async function main(): Promise<number> {
    const { values, positionals } = parseArgs({
        options: { offline: { type: "boolean" }, engine: { type: "boolean" }, profile: { type: "string" }, help: { type: "boolean" } },
        allowPositionals: true,
    });
    if (values.help) {
        console.log(usage);
        return 0;
    }
    const both = !values.offline && !values.engine;
    const selected = (name: string) => positionals.length === 0 || positionals.some((f) => name.toLowerCase().includes(f.toLowerCase()));
    const offline = both || values.offline ? benchCases.filter((c) => selected(c.name)) : [];
    const engine = both || values.engine ? engineCases.filter((c) => selected(c.name)) : [];
    if (offline.length + engine.length === 0) {
        console.error(`no case matches ${positionals.join(", ")}\n${usage}\ncases: ${[...benchCases, ...engineCases].map((c) => c.name).join("; ")}`);
        return 2;
    }

    if (offline.length > 0) printOfflineResults(offline.map((c) => runOfflineCase(c.name)));
    if (engine.length === 0) return 0;

    const env = engineEnvironment({ controlPlane: engine.some((c) => c.kind !== "preview") });
    const results: EngineCaseResult[] = [];
    let failed = 0;
    for (const benchCase of engine) {
        const command = [tsNode, "--transpile-only", join(__dirname, "engine", "case.ts"), benchCase.name, ...(values.profile ? ["--profile", values.profile] : [])];
        // The case bounds each of its commands; this bounds the case (stack set-up, control plane, several commands).
        const { code, stdout } = await inLoopbackNamespace(command, env, 4 * commandTimeoutSeconds(benchCase));
        if (code !== 0) {
            console.error(`bench: ${benchCase.name} failed (exit ${code})`);
            failed++;
            continue;
        }
        results.push(JSON.parse(stdout.trim().split("\n").pop() as string) as EngineCaseResult);
    }
    printEngineResults(results);
    return failed > 0 ? 1 : 0;
}

const tsNode = join(__dirname, "..", "node_modules", ".bin", "ts-node");

function runOfflineCase(name: string): OfflineResult {
    return JSON.parse(execFileSync(tsNode, ["--transpile-only", join(__dirname, "case.ts"), name], { encoding: "utf8", maxBuffer: 1 << 20 }).trim().split("\n").pop() as string);
}

/** Wall time, peak RSS and resources per case; resources per VM against the case without VMs. */
function printOfflineResults(results: OfflineResult[]): void {
    const baseline = results.find((r) => r.vms === 0);
    console.log(`${"offline case".padEnd(28)}${"wall s".padStart(9)}${"CPU s".padStart(8)}${"peak RSS MiB".padStart(14)}${"resources".padStart(11)}${"per VM".padStart(8)}`);
    for (const r of results) {
        const perVm = r.vms > 0 && baseline ? ((r.resources - baseline.resources) / r.vms).toFixed(2) : "-";
        console.log(`${r.name.padEnd(28)}${(r.wallMs / 1000).toFixed(2).padStart(9)}${(r.cpuMs / 1000).toFixed(2).padStart(8)}${r.peakRssMiB.toFixed(0).padStart(14)}${String(r.resources).padStart(11)}${perVm.padStart(8)}`);
    }
    const [hundred, thousand] = [results.find((r) => r.vms === 100), results.find((r) => r.vms === 1000)];
    if (hundred && thousand) {
        console.log(`time(1000) / time(100) = ${(thousand.wallMs / hundred.wallMs).toFixed(2)}`);
        console.log(`resources per additional VM (100 → 1000) = ${((thousand.resources - hundred.resources) / 900).toFixed(2)}`);
    }
    console.log("");
}

main().then((code) => process.exit(code), (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
});
