import { ProcessKind, ProcessUsage } from "./processWatch";

export interface StepResult {
    step: string;
    wallMs: number;
    /** Resources (pulumi: the total of its summary) or objects (kubectl). */
    resources: number;
    usage: Record<ProcessKind, ProcessUsage>;
    /** Peak of the RSS of all the step's processes together. */
    totalPeakRssMiB: number;
    /** Size of the stack's checkpoint after the step (updates only). */
    checkpointBytes?: number;
}

export interface EngineCaseResult {
    name: string;
    vms: number;
    steps: StepResult[];
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);
const mib = (usage: ProcessUsage | undefined) => (usage ? usage.peakRssMiB.toFixed(0) : "-");

/**
 * One line per step (wall time, resources, peak RSS of the CLI and of the Node program), then the
 * peak RSS and CPU seconds of every kind of process the step ran, then the `up` yardstick ratios.
 */
export function printEngineResults(results: EngineCaseResult[]): void {
    console.log(`${"engine case".padEnd(28)}${"step".padEnd(14)}${"wall s".padStart(8)}${"resources".padStart(11)}${"pulumi MiB".padStart(12)}${"program MiB".padStart(13)}${"all MiB".padStart(9)}${"state MiB".padStart(11)}`);
    for (const result of results) {
        for (const step of result.steps) {
            console.log(`${result.name.padEnd(28)}${step.step.padEnd(14)}${seconds(step.wallMs).padStart(8)}${String(step.resources).padStart(11)}` +
                `${mib(step.usage.pulumi).padStart(12)}${mib(step.usage["node program"]).padStart(13)}${step.totalPeakRssMiB.toFixed(0).padStart(9)}` +
                `${(step.checkpointBytes === undefined ? "-" : (step.checkpointBytes / 2 ** 20).toFixed(1)).padStart(11)}`);
        }
    }
    console.log("\nper process kind: peak RSS MiB / CPU s (processes)");
    for (const result of results) {
        for (const step of result.steps) {
            const kinds = Object.entries(step.usage).sort(([, a], [, b]) => b.cpuSeconds - a.cpuSeconds)
                .map(([kind, u]) => `${kind} ${u.peakRssMiB.toFixed(0)}/${u.cpuSeconds.toFixed(1)}${u.processes > 1 ? ` (${u.processes})` : ""}`);
            console.log(`  ${result.name} / ${step.step}: ${kinds.join(", ")}`);
        }
    }
    printYardstick(results);
}

/** pulumi up / kubectl apply and no-change up / re-apply for the same VMs (targets: within 2×). */
function printYardstick(results: EngineCaseResult[]): void {
    for (const kubectl of results.filter((r) => r.name.startsWith("kubectl apply"))) {
        for (const up of results.filter((r) => r.name.startsWith("engine up") && r.vms === kubectl.vms)) {
            const step = (result: EngineCaseResult, name: string) => result.steps.find((s) => s.step === name);
            const pairs: [string, StepResult | undefined, StepResult | undefined][] = [
                ["up / apply", step(up, "up"), step(kubectl, "apply")],
                ["no-change up / re-apply", step(up, "no-change up"), step(kubectl, "re-apply")],
            ];
            console.log(`\n${up.name} vs ${kubectl.name} (target ≤ 2.0):`);
            for (const [label, pulumi, reference] of pairs) {
                if (pulumi && reference) console.log(`  ${label.padEnd(26)}${seconds(pulumi.wallMs)} s / ${seconds(reference.wallMs)} s = ${(pulumi.wallMs / reference.wallMs).toFixed(2)}`);
            }
        }
    }
}
