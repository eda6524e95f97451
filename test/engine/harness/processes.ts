import { readdirSync, readFileSync } from "node:fs";

/** The pids (but this one's) of the processes whose environment holds `entry`. */
export function processesWithEnvironment(entry: string): number[] {
    const found: number[] = [];
    for (const pid of readdirSync("/proc").filter((e) => /^\d+$/.test(e)).map(Number)) {
        if (pid === process.pid) continue;
        try {
            // A process that has exited (a zombie) has no environment left to read.
            if (readFileSync(`/proc/${pid}/environ`, "latin1").split("\0").includes(entry)) found.push(pid);
        } catch {
            // Gone meanwhile, or not ours to read.
        }
    }
    return found;
}

/**
 * SIGKILLs every process (but this one) whose environment holds `entry` (e.g.
 * `PULUMI_BACKEND_URL=file://…`): the way to stop the Pulumi CLI together with its plugins and
 * what they ran, since the CLI starts plugins in process groups of their own. Returns the pids.
 * The signal is only sent: see {@link killProcessesWithEnvironmentAndWait} to know them dead.
 */
export function killProcessesWithEnvironment(entry: string): number[] {
    const killed: number[] = [];
    for (const pid of processesWithEnvironment(entry)) {
        try {
            process.kill(pid, "SIGKILL");
            killed.push(pid);
        } catch {
            // Gone meanwhile.
        }
    }
    return killed;
}

/**
 * {@link killProcessesWithEnvironment}, then polls /proc (at most `timeoutMs`) until none of the
 * killed processes runs any more (each has exited, down to its last thread) and no live process
 * holds `entry`, SIGKILLing any that appears meanwhile (started while /proc was being read).
 * A SIGKILL is delivered asynchronously: until then a process may still finish a write. Throws,
 * naming what is left, when the time is up. Returns every pid it killed.
 */
export async function killProcessesWithEnvironmentAndWait(entry: string, timeoutMs = 10_000): Promise<number[]> {
    const killed = new Map<number, string | undefined>();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        for (const pid of killProcessesWithEnvironment(entry)) if (!killed.has(pid)) killed.set(pid, startTime(pid));
        const left = [...killed].filter(([pid, started]) => started !== undefined && running(pid, started)).map(([pid]) => pid);
        if (left.length === 0 && processesWithEnvironment(entry).length === 0) return [...killed.keys()];
        if (Date.now() >= deadline) {
            const names = [...new Set([...left, ...processesWithEnvironment(entry)])].map((pid) => `${pid} (${commandLine(pid)})`);
            throw new Error(`processes with ${entry} still run ${timeoutMs} ms after SIGKILL: ${names.join(", ")}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
    }
}

/** The fields of /proc/<pid>[/task/<tid>]/stat after the command name (which may hold spaces). */
function statFields(path: string): string[] | undefined {
    try {
        const stat = readFileSync(path, "latin1");
        return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    } catch {
        return undefined;
    }
}

/** When the process started (clock ticks since boot): tells it from a later one with its pid. */
function startTime(pid: number): string | undefined {
    return statFields(`/proc/${pid}/stat`)?.[19];
}

/** Whether process `pid`, started at `started`, still has a thread that has not exited. */
function running(pid: number, started: string): boolean {
    if (startTime(pid) !== started) return false;
    let tasks: string[];
    try {
        tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
        return false;
    }
    // Z: exited, not yet reaped; X: being reaped. Anything else may still run or sit in a syscall.
    return tasks.some((tid) => {
        const state = statFields(`/proc/${pid}/task/${tid}/stat`)?.[0];
        return state !== undefined && state !== "Z" && state !== "X";
    });
}

function commandLine(pid: number): string {
    try {
        return readFileSync(`/proc/${pid}/cmdline`, "latin1").split("\0").join(" ").trim() || "?";
    } catch {
        return "gone";
    }
}
