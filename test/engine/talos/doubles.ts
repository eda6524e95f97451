import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { killProcessesWithEnvironment } from "../harness/processes";

/**
 * The test side of the recording talosctl/kubectl doubles (doubles/talos-double.mjs): a state
 * directory per stack, the machines that exist, the switches a scenario flips, and the calls.
 */
export class TalosDoubles {
    readonly dir = mkdtempSync(join(tmpdir(), "ironcloud-talos-double-"));
    private readonly bin = join(__dirname, "doubles");
    private seen = 0;

    constructor() {
        for (const tool of ["talosctl", "kubectl"]) chmodSync(join(this.bin, tool), 0o755);
    }

    /** Environment for pulumi: the doubles first on PATH, and where they keep their state. */
    env(): Record<string, string> {
        return { PATH: `${this.bin}:${process.env.PATH}`, TALOS_DOUBLE_DIR: this.dir };
    }

    /** The machines that exist (booted, waiting in maintenance mode until configured). */
    machines(addresses: string[]): void {
        writeFileSync(join(this.dir, "machines.json"), JSON.stringify(addresses));
    }

    failUpgrade(address: string, on: boolean): void {
        this.flag(`fail-upgrade-${address}`, on);
    }

    hangApply(address: string, on: boolean): void {
        this.flag(`hang-apply-${address}`, on);
    }

    private flag(name: string, on: boolean): void {
        if (on) writeFileSync(join(this.dir, name), "");
        else rmSync(join(this.dir, name), { force: true });
    }

    /** Every call so far, as "talosctl <argv>" / "kubectl <argv>" lines. */
    calls(): string[] {
        const log = join(this.dir, "calls.log");
        return existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean) : [];
    }

    /** The calls since the previous `newCalls()`: what one `pulumi up` did. */
    newCalls(): string[] {
        const all = this.calls();
        const fresh = all.slice(this.seen);
        this.seen = all.length;
        return fresh;
    }

    /** What the model says a node runs. */
    node(address: string): { state: string; tag?: string; schematic?: string; kubelet?: string; upgrades?: number; installs?: number; deleted?: boolean } {
        return JSON.parse(readFileSync(join(this.dir, "nodes", `${address}.json`), "utf8"));
    }

    cluster(): { bootstrapped: boolean; apiServer?: string; etcd: string[] } {
        const etcd = join(this.dir, "etcd");
        return { ...JSON.parse(readFileSync(join(this.dir, "cluster.json"), "utf8")), etcd: existsSync(etcd) ? readdirSync(etcd).sort() : [] };
    }

    hungPid(): number | undefined {
        const file = join(this.dir, "hung.pid");
        // The double writes the file atomically; a pid is never 0 or empty.
        const pid = existsSync(file) ? Number(readFileSync(file, "utf8")) : NaN;
        return pid > 0 ? pid : undefined;
    }

    /**
     * SIGKILLs every process that still runs with this state directory in its environment: the
     * engine's plugins and the commands they ran. The Pulumi CLI starts plugins in process groups
     * of their own, so killing the CLI's group orphans them (measured with 3.248); a crash
     * leaves them too, and the test must not leave them behind. Returns the pids it killed.
     */
    killStarted(): number[] {
        return killProcessesWithEnvironment(`TALOS_DOUBLE_DIR=${this.dir}`);
    }

    remove(): void {
        this.killStarted();
        rmSync(this.dir, { recursive: true, force: true });
    }
}
