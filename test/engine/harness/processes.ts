import { readdirSync, readFileSync } from "node:fs";

/**
 * SIGKILLs every process (but this one) whose environment holds `entry` (e.g.
 * `PULUMI_BACKEND_URL=file://…`): the way to stop the Pulumi CLI together with its plugins and
 * what they ran, since the CLI starts plugins in process groups of their own. Returns the pids.
 */
export function killProcessesWithEnvironment(entry: string): number[] {
    const killed: number[] = [];
    for (const pid of readdirSync("/proc").filter((e) => /^\d+$/.test(e)).map(Number)) {
        if (pid === process.pid) continue;
        try {
            if (!readFileSync(`/proc/${pid}/environ`, "latin1").split("\0").includes(entry)) continue;
            process.kill(pid, "SIGKILL");
            killed.push(pid);
        } catch {
            // Gone meanwhile, or not ours to read.
        }
    }
    return killed;
}
