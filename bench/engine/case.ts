import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { stringify } from "yaml";
import { ControlPlane } from "../../test/engine/harness/controlPlane";
import { PulumiProject, PulumiResult } from "../../test/engine/harness/pulumi";
import { loopbackOnlyProblem, networkInterfaces } from "../../test/engine/harness/sandbox";
import { commandTimeoutSeconds, EngineCase, engineCases } from "./cases";
import { planObjects } from "./planObjects";
import { ProcessWatch } from "./processWatch";
import { EngineCaseResult, StepResult } from "./report";
import { generatedVmStack } from "../generatedStack";
import { onExistingCluster } from "./stacks";

/**
 * One real-engine case, in the loopback-only network namespace bench/run.ts made for it.
 * Prints one JSON line (EngineCaseResult) last; progress goes to stderr.
 *
 * usage: case.ts <case name> [--profile DIR]
 */

async function main(args: string[]): Promise<EngineCaseResult> {
    const problem = loopbackOnlyProblem(networkInterfaces());
    if (problem !== undefined) throw new Error(`bench: ${problem.replace("the engine suite", "an engine benchmark").replace("`npm run test:engine`", "`npm run bench`")}`);
    const benchCase = engineCases.find((c) => c.name === args[0]);
    if (!benchCase) throw new Error(`unknown engine case ${args[0]}`);
    const profileIndex = args.indexOf("--profile");
    const profileDir = profileIndex >= 0 ? args[profileIndex + 1] : undefined;
    const steps = benchCase.kind === "preview" ? await preview(benchCase, profileDir)
        : benchCase.kind === "up" ? await up(benchCase, profileDir)
            : await kubectlApply(benchCase);
    return { name: benchCase.name, vms: benchCase.vms, steps };
}

async function preview(benchCase: EngineCase, profileDir?: string): Promise<StepResult[]> {
    const stack = generatedVmStack(benchCase.vms, benchCase.teams);
    const project = await PulumiProject.create("bench", stack.config, stack.files);
    try {
        return [await pulumiStep(project, "preview", ["preview"], benchCase, profileDir)];
    } finally {
        project.remove();
    }
}

async function up(benchCase: EngineCase, profileDir?: string): Promise<StepResult[]> {
    const stack = onExistingCluster(generatedVmStack(benchCase.vms, benchCase.teams));
    const plane = await ControlPlane.start({ nodes: ["kwok-1", "kwok-2"] });
    let project: PulumiProject | undefined;
    try {
        project = await PulumiProject.create("bench", stack.config, stack.files);
        await project.setSecret("ironcloud:cluster.kubeconfig", plane.kubeconfig);
        const upArgs = ["up", "--yes", "--skip-preview"];
        const first = await pulumiStep(project, "up", upArgs, benchCase, profileDir);
        const again = await pulumiStep(project, "no-change up", upArgs, benchCase, profileDir);
        return [first, again];
    } finally {
        project?.remove();
        plane.stop();
    }
}

async function kubectlApply(benchCase: EngineCase): Promise<StepResult[]> {
    const objects = await planObjects(onExistingCluster(generatedVmStack(benchCase.vms, benchCase.teams)), "bench");
    const dir = mkdtempSync(join(tmpdir(), "ironcloud-bench-kubectl-"));
    const plane = await ControlPlane.start({ nodes: ["kwok-1", "kwok-2"] });
    try {
        const list = join(dir, "objects.yaml");
        writeFileSync(list, stringify({ apiVersion: "v1", kind: "List", items: objects }));
        const apply = ["apply", "--server-side", "--field-manager=bench", "-f", list];
        const first = await kubectlStep(plane, "apply", apply, objects.length, benchCase);
        const again = await kubectlStep(plane, "re-apply", apply, objects.length, benchCase);
        return [first, again];
    } finally {
        plane.stop();
        rmSync(dir, { recursive: true, force: true });
    }
}

async function pulumiStep(project: PulumiProject, step: string, args: string[], benchCase: EngineCase, profileDir?: string): Promise<StepResult> {
    const env: Record<string, string> = { ...benchCase.env };
    if (profileDir) {
        const dir = join(profileDir, `${benchCase.name.replace(/\W+/g, "-")}-${step.replace(/\W+/g, "-")}`);
        mkdirSync(dir, { recursive: true });
        // The program's CPU profile (./cpuProfile.js writes it at exit) and the CLI's pprof profiles.
        env.NODE_OPTIONS = `--require ${join(__dirname, "cpuProfile.js")}`;
        env.IRONCLOUD_BENCH_CPU_PROFILE_DIR = dir;
        args = [...args, `--profiling=${join(dir, "pulumi")}`];
    }
    const watch = new ProcessWatch(`PULUMI_BACKEND_URL=file://${project.stateDir}`);
    progress(`${benchCase.name}: pulumi ${step}`);
    watch.start();
    const start = performance.now();
    const result = await project.run(args, { env, timeoutSeconds: commandTimeoutSeconds(benchCase) });
    const wallMs = performance.now() - start;
    const { byKind: usage, totalPeakRssMiB } = watch.stop();
    if (result.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${result.code}\n${tail(result)}`);
    // The file backend rewrites this whole checkpoint after every step of an update.
    const checkpoint = join(project.stateDir, ".pulumi", "stacks", "ironcloud", `${project.stack}.json`);
    const checkpointBytes = existsSync(checkpoint) ? statSync(checkpoint).size : undefined;
    if (profileDir && checkpointBytes !== undefined) copyFileSync(checkpoint, join(profileDir, `${benchCase.name.replace(/\W+/g, "-")}-${step.replace(/\W+/g, "-")}.checkpoint.json`));
    return { step, wallMs, resources: summaryTotal(result.stdout), usage, totalPeakRssMiB, ...(checkpointBytes !== undefined ? { checkpointBytes } : {}) };
}

async function kubectlStep(plane: ControlPlane, step: string, args: string[], objects: number, benchCase: EngineCase): Promise<StepResult> {
    const marker = `IRONCLOUD_BENCH_KUBECTL=${process.pid}`;
    const watch = new ProcessWatch(marker);
    progress(`${benchCase.name}: kubectl ${step} of ${objects} objects`);
    watch.start();
    const start = performance.now();
    await new Promise<void>((resolve, reject) => {
        execFile(join(plane.bin, "kubectl"), [`--kubeconfig=${plane.kubeconfigPath}`, ...args], {
            env: { ...process.env, IRONCLOUD_BENCH_KUBECTL: String(process.pid) },
            maxBuffer: 64 * 1024 * 1024,
            timeout: commandTimeoutSeconds(benchCase) * 1000,
            killSignal: "SIGKILL",
        }, (error, _stdout, stderr) => (error ? reject(new Error(`kubectl ${args.join(" ")}: ${stderr.slice(-4000) || error.message}`)) : resolve()));
    });
    const wallMs = performance.now() - start;
    const { byKind: usage, totalPeakRssMiB } = watch.stop();
    return { step, wallMs, resources: objects, usage, totalPeakRssMiB };
}

/**
 * The total of the "Resources:" summary a pulumi preview or up prints last, e.g.
 * "+ 3150 to create", "3150 unchanged", "+ 2 created / 3148 unchanged".
 */
function summaryTotal(stdout: string): number {
    const summary = stdout.slice(stdout.lastIndexOf("\nResources:\n") + 1).split("\n").slice(1);
    let total = 0;
    for (const line of summary) {
        const count = /^\s+(?:[-+~]+\s*)?(\d+) [a-z]/.exec(line);
        if (!count) break;
        total += Number(count[1]);
    }
    return total;
}

function tail(result: PulumiResult): string {
    return `--- stdout\n${result.stdout.slice(-6000)}\n--- stderr\n${result.stderr.slice(-3000)}`;
}

function progress(line: string): void {
    process.stderr.write(`bench: ${line}\n`);
}

main(process.argv.slice(2)).then((result) => {
    console.log(JSON.stringify(result));
    process.exit(0);
}, (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
});
