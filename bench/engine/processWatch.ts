import { readdirSync, readFileSync } from "node:fs";
import { basename } from "node:path";

/**
 * Peak memory and CPU time of the processes one Pulumi command runs, by kind: the CLI (engine),
 * the language host, the Node.js program and each provider; and the peak of their RSS together
 * (summed at each poll), which is what the machine must hold. The CLI starts its plugins in process
 * groups of their own, so they are found by an entry of their environment (the project's
 * PULUMI_BACKEND_URL), which every one of them inherits. The kernel keeps each process's peak RSS
 * (VmHWM), so polling loses no peak of a process it saw; CPU time is the last value seen.
 */

export type ProcessKind = string;

export interface ProcessUsage {
    /** Largest VmHWM of any process of the kind, MiB. */
    peakRssMiB: number;
    /** User + system CPU time of all processes of the kind, seconds. */
    cpuSeconds: number;
    processes: number;
}

/** The kind of a process from its argv[0]: `pulumi`, `language host`, `node program`, `provider <name>`. */
export function processKind(argv0: string): ProcessKind {
    const name = basename(argv0);
    if (name === "pulumi") return "pulumi";
    if (name === "pulumi-language-nodejs") return "language host";
    if (name === "node") return "node program";
    const provider = /^pulumi-resource-(.+)$/.exec(name);
    if (provider) return `provider ${provider[1]}`;
    return name;
}

const clockTicks = 100;
const pollMs = 200;

interface Seen {
    kind: ProcessKind;
    hwmKiB: number;
    cpuTicks: number;
}

export interface WatchResult {
    byKind: Record<ProcessKind, ProcessUsage>;
    /** Largest sum of the processes' RSS seen at one poll, MiB. */
    totalPeakRssMiB: number;
}

export class ProcessWatch {
    private readonly seen = new Map<string, Seen>();
    private totalPeakKiB = 0;
    /** pid:starttime of processes that do not carry the entry, so their environment is read once. */
    private readonly foreign = new Set<string>();
    private timer?: NodeJS.Timeout;

    constructor(private readonly environmentEntry: string) {}

    start(): void {
        this.poll();
        this.timer = setInterval(() => this.poll(), pollMs);
    }

    /** Stops polling after one last look. */
    stop(): WatchResult {
        if (this.timer) clearInterval(this.timer);
        this.poll();
        const usage: Record<ProcessKind, ProcessUsage> = {};
        for (const { kind, hwmKiB, cpuTicks } of this.seen.values()) {
            const entry = (usage[kind] ??= { peakRssMiB: 0, cpuSeconds: 0, processes: 0 });
            entry.peakRssMiB = Math.max(entry.peakRssMiB, hwmKiB / 1024);
            entry.cpuSeconds += cpuTicks / clockTicks;
            entry.processes += 1;
        }
        return { byKind: usage, totalPeakRssMiB: this.totalPeakKiB / 1024 };
    }

    private poll(): void {
        let totalKiB = 0;
        for (const pid of readdirSync("/proc").filter((e) => /^\d+$/.test(e))) {
            if (Number(pid) === process.pid) continue;
            try {
                const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
                // Fields after the command name, which is in parentheses and may hold spaces.
                const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
                const id = `${pid}:${fields[19]}`;
                if (this.foreign.has(id)) continue;
                let seen = this.seen.get(id);
                if (!seen) {
                    if (!readFileSync(`/proc/${pid}/environ`, "latin1").split("\0").includes(this.environmentEntry)) {
                        this.foreign.add(id);
                        continue;
                    }
                    seen = { kind: "", hwmKiB: 0, cpuTicks: 0 };
                    this.seen.set(id, seen);
                }
                // Read every time: a plugin's child shows its parent's command line until it execs.
                const argv0 = readFileSync(`/proc/${pid}/cmdline`, "latin1").split("\0")[0];
                // Empty once the process has exited (a zombie): it keeps the kind it had.
                if (argv0 !== "") seen.kind = processKind(argv0);
                const status = readFileSync(`/proc/${pid}/status`, "latin1");
                const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(status);
                if (hwm) seen.hwmKiB = Math.max(seen.hwmKiB, Number(hwm[1]));
                totalKiB += Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1] ?? 0);
                seen.cpuTicks = Math.max(seen.cpuTicks, Number(fields[11]) + Number(fields[12]));
            } catch {
                // Exited meanwhile, or not ours to read.
            }
        }
        this.totalPeakKiB = Math.max(this.totalPeakKiB, totalKiB);
    }
}
