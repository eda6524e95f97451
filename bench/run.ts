import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { benchCases } from "./cases";

/**
 * `npm run bench`: offline evaluation cost of generated stacks, each case in a fresh process.
 * Wall time covers config validation and the whole mock evaluation (real key generation
 * included); resources per VM are counted against the same cluster without VMs.
 */
interface Result {
    name: string;
    wallMs: number;
    peakRssMiB: number;
    resources: number;
    vms: number;
}

const tsNode = join(__dirname, "..", "node_modules", ".bin", "ts-node");
const results: Result[] = benchCases.map((c) =>
    JSON.parse(execFileSync(tsNode, ["--transpile-only", join(__dirname, "case.ts"), c.name], { encoding: "utf8", maxBuffer: 1 << 20 }).trim().split("\n").pop() as string));

const baseline = results.find((r) => r.vms === 0);
console.log(`${"case".padEnd(28)}${"wall s".padStart(9)}${"peak RSS MiB".padStart(14)}${"resources".padStart(11)}${"per VM".padStart(8)}`);
for (const r of results) {
    const perVm = r.vms > 0 && baseline ? ((r.resources - baseline.resources) / r.vms).toFixed(2) : "-";
    console.log(`${r.name.padEnd(28)}${(r.wallMs / 1000).toFixed(2).padStart(9)}${r.peakRssMiB.toFixed(0).padStart(14)}${String(r.resources).padStart(11)}${perVm.padStart(8)}`);
}
const [hundred, thousand] = [results.find((r) => r.vms === 100), results.find((r) => r.vms === 1000)];
if (hundred && thousand) {
    console.log(`time(1000) / time(100) = ${(thousand.wallMs / hundred.wallMs).toFixed(2)}`);
    console.log(`resources per additional VM (100 → 1000) = ${((thousand.resources - hundred.resources) / 900).toFixed(2)}`);
}
