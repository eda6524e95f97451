import { ChildProcess, execFileSync, spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer, Server } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { dirname, join } from "node:path";
import * as sshpk from "sshpk";
import { sshdPath } from "./tools";

/**
 * Real OpenSSH on loopback addresses, for end-to-end tests of what the program generates.
 *
 * Debian packages: openssh-server, openssh-client, libnss-wrapper. Names such as `build.vm` map
 * to loopback addresses, and the jump and VM users exist, only inside the processes started
 * here: libnss_wrapper (LD_PRELOAD) reads hosts, passwd and group from files of the test's own.
 *
 * As root (CI), sshds behave as in production: the jump host's sshd runs unprivileged as the
 * jump user, the VM's sshd runs as root on port 22 and switches to the VM user. Not as root, the
 * fake users get the caller's uid so one unprivileged sshd can log them in, and port 22 must be
 * bindable (net.ipv4.ip_unprivileged_port_start <= 22), else `assertCanListen` says so.
 */

export const sshd = sshdPath;
export const isRoot = process.getuid?.() === 0;

/** Every client and server process is bounded in time; ssh itself also gets ConnectTimeout=5. */
export const commandTimeoutMs = 20_000;

/** A temp directory under os.tmpdir(), readable by the unprivileged users sshd switches to. */
export class Sandbox {
    readonly root: string;

    constructor(prefix: string) {
        this.root = mkdtempSync(join(tmpdir(), prefix));
        chmodSync(this.root, 0o755);
    }

    path(...parts: string[]): string {
        return join(this.root, ...parts);
    }

    /** Writes a file, creating its directories (0755); the mode is set explicitly, whatever the umask. */
    write(relative: string, content: string, mode = 0o644): string {
        const file = this.path(relative);
        this.dir(dirname(relative));
        writeFileSync(file, content);
        chmodSync(file, mode);
        return file;
    }

    dir(relative: string, mode = 0o755): string {
        const dir = this.path(relative);
        const parts = relative.split("/").filter((p) => p && p !== ".");
        for (let i = 1; i <= parts.length; i++) {
            const d = this.path(...parts.slice(0, i));
            if (!existsSync(d)) {
                mkdirSync(d);
                chmodSync(d, 0o755);
            }
        }
        chmodSync(dir, mode);
        return dir;
    }

    remove(): void {
        rmSync(this.root, { recursive: true, force: true });
    }
}

export interface KeyPair {
    /** Path of the private key (OpenSSH format, 0600). */
    privatePath: string;
    privateKey: string;
    /** The OpenSSH public key line. */
    publicKey: string;
}

/** An Ed25519 key pair made by ssh-keygen, as OpenSSH (and @pulumi/tls's privateKeyOpenssh) writes them. */
export function sshKeygen(sandbox: Sandbox, relative: string, comment: string): KeyPair {
    const privatePath = sandbox.path(relative);
    sandbox.dir(dirname(relative));
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", privatePath], { timeout: commandTimeoutMs });
    chmodSync(privatePath, 0o600);
    return { privatePath, privateKey: readFileSync(privatePath, "utf8"), publicKey: readFileSync(`${privatePath}.pub`, "utf8").trim() };
}

export interface CertificateAuthority {
    /** PKCS#8 PEM, as @pulumi/tls's privateKeyPem and node:crypto export Ed25519 keys. */
    privateKey: string;
    /** The OpenSSH public key line. */
    publicKey: string;
}

export function ed25519Ca(comment: string): CertificateAuthority {
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    return {
        privateKey: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
        publicKey: `${sshpk.parseKey(publicKey.export({ type: "spki", format: "pem" }).toString(), "pem").toString("ssh")} ${comment}`,
    };
}

export interface FakeUser {
    name: string;
    uid: number;
    gid: number;
    gecos: string;
    home: string;
    shell: string;
}

/** Parses one passwd line (such as the jump host's generated /etc/passwd). */
export function parsePasswd(line: string): FakeUser {
    const [name, , uid, gid, gecos, home, shell] = line.trim().split(":");
    return { name, uid: Number(uid), gid: Number(gid), gecos, home, shell };
}

export interface NssWrapperInput {
    /** Address → names, as in /etc/hosts. */
    hosts: Record<string, string[]>;
    users: FakeUser[];
    /** Home directory the test's own user gets inside the wrapped processes (isolates ~/.ssh). */
    clientHome: string;
}

/**
 * Files for libnss_wrapper and the environment every ssh/sshd process gets. passwd and group are
 * the machine's own (sshd needs its privilege-separation user) plus the fake users; the caller's
 * entry points its home at a sandbox directory, so no real ~/.ssh is ever read or written.
 */
export function nssWrapperEnv(sandbox: Sandbox, { hosts, users, clientHome }: NssWrapperInput): NodeJS.ProcessEnv {
    const me = userInfo();
    const passwd = readFileSync("/etc/passwd", "utf8").split("\n").filter((l) => l.trim() && !l.startsWith(`${me.username}:`) && !users.some((u) => l.startsWith(`${u.name}:`)));
    passwd.unshift(`${me.username}:x:${me.uid}:${me.gid}:test runner:${clientHome}:/bin/sh`);
    passwd.push(...users.map((u) => `${u.name}:x:${u.uid}:${u.gid}:${u.gecos}:${u.home}:${u.shell}`));
    const group = readFileSync("/etc/group", "utf8").split("\n").filter((l) => l.trim() && !users.some((u) => l.startsWith(`${u.name}:`)));
    group.push(...users.map((u) => `${u.name}:x:${u.gid}:`));
    const hostLines = Object.entries(hosts).map(([address, names]) => `${address} ${names.join(" ")}`);
    return {
        PATH: process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin",
        LANG: "C",
        HOME: clientHome,
        LD_PRELOAD: "libnss_wrapper.so",
        NSS_WRAPPER_HOSTS: sandbox.write("nss/hosts", `127.0.0.1 localhost\n${hostLines.join("\n")}\n`),
        NSS_WRAPPER_PASSWD: sandbox.write("nss/passwd", `${passwd.join("\n")}\n`),
        NSS_WRAPPER_GROUP: sandbox.write("nss/group", `${group.join("\n")}\n`),
    };
}

export interface CommandResult {
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
    timedOut: boolean;
}

/**
 * Runs a command to completion, in its own process group so a timeout also ends what it started
 * (ProxyJump's inner ssh). stdin is /dev/null.
 */
export function run(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = commandTimeoutMs): Promise<CommandResult> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
        let stdout = "";
        let stderr = "";
        let timedOut = false;
        child.stdout.on("data", (d: Buffer) => { stdout += d.toString(); });
        child.stderr.on("data", (d: Buffer) => { stderr += d.toString(); });
        const timer = setTimeout(() => {
            timedOut = true;
            killGroup(child, "SIGKILL");
        }, timeoutMs);
        child.on("error", (err) => { clearTimeout(timer); reject(err); });
        child.on("close", (code, signal) => {
            clearTimeout(timer);
            resolve({ code, signal, stdout, stderr, timedOut });
        });
    });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
    if (child.pid === undefined) return;
    try {
        process.kill(-child.pid, signal);
    } catch {
        // Already gone.
    }
}

/** Resolves true when a TCP connection to address:port succeeds, false when it is refused or times out. */
export function canConnect(address: string, port: number, timeoutMs = 1000): Promise<boolean> {
    return new Promise((resolve) => {
        const socket = connect({ host: address, port });
        const done = (ok: boolean) => { socket.destroy(); resolve(ok); };
        socket.setTimeout(timeoutMs, () => done(false));
        socket.once("connect", () => done(true));
        socket.once("error", () => done(false));
    });
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Fails early with a clear reason when address:port is taken (a system sshd on 0.0.0.0:22) or
 * cannot be bound by this user.
 */
export async function assertCanListen(address: string, port: number): Promise<void> {
    if (await canConnect(address, port)) throw new Error(`${address}:${port} is already in use; stop whatever listens there (a system sshd on 0.0.0.0:22?)`);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
        server.once("error", (err: NodeJS.ErrnoException) => reject(new Error(err.code === "EACCES"
            ? `cannot listen on ${address}:${port} as uid ${process.getuid?.()}: the VM's sshd must use port 22 (the jump host permits only port 22). Run as root, or set net.ipv4.ip_unprivileged_port_start=22`
            : `cannot listen on ${address}:${port}: ${err.message}`)));
        server.listen(port, address, () => resolve());
    });
    await new Promise<void>((resolve) => server.close(() => resolve()));
}

export interface DaemonOptions {
    env: NodeJS.ProcessEnv;
    address: string;
    port: number;
    /** Run as this uid/gid (root only): the jump host's sshd runs as the jump user, as in its pod. */
    uid?: number;
    gid?: number;
}

/** `sshd -D -e -f config` as a child process, its log (stderr) kept for assertions. */
export class Sshd {
    private output = "";
    private exited: Promise<void>;
    private exitCode: number | null | undefined;

    private constructor(readonly name: string, private readonly child: ChildProcess) {
        child.stdout?.on("data", (d: Buffer) => { this.output += d.toString(); });
        child.stderr?.on("data", (d: Buffer) => { this.output += d.toString(); });
        this.exited = new Promise((resolve) => child.on("exit", (code) => { this.exitCode = code; resolve(); }));
    }

    get log(): string {
        return this.output;
    }

    /** Checks the config with `sshd -t`, starts sshd and waits until it accepts TCP connections. */
    static async start(name: string, configPath: string, { env, address, port, uid, gid }: DaemonOptions): Promise<Sshd> {
        const identity = uid === undefined ? {} : { uid, gid };
        const check = await runAs(["-t", "-f", configPath], env, identity);
        if (check.code !== 0) throw new Error(`${name}: sshd -t -f ${configPath} failed (${check.code}):\n${check.stdout}${check.stderr}`);
        await assertCanListen(address, port);
        const daemon = new Sshd(name, spawn(sshd, ["-D", "-e", "-f", configPath], { env, stdio: ["ignore", "pipe", "pipe"], detached: true, ...identity }));
        // Readiness: a bounded number of TCP connection attempts, failing at once if sshd exits.
        for (let attempt = 0; attempt < 100; attempt++) {
            if (daemon.exitCode !== undefined) throw new Error(`${name}: sshd exited with ${daemon.exitCode}:\n${daemon.log}`);
            if (await canConnect(address, port, 200)) return daemon;
            await delay(50);
        }
        await daemon.stop();
        throw new Error(`${name}: sshd did not listen on ${address}:${port}:\n${daemon.log}`);
    }

    /** Waits (bounded) until the log matches: sshd writes it asynchronously to the client's exit. */
    async waitForLog(pattern: RegExp, timeoutMs = 5000): Promise<string> {
        const deadline = Date.now() + timeoutMs;
        while (Date.now() < deadline) {
            const match = this.output.match(pattern);
            if (match) return match[0];
            await delay(25);
        }
        throw new Error(`${this.name}: log does not match ${pattern} after ${timeoutMs} ms:\n${this.output}`);
    }

    /** How often the pattern occurs in the log so far. */
    count(pattern: RegExp): number {
        return (this.output.match(new RegExp(pattern.source, `${pattern.flags.replace("g", "")}g`)) ?? []).length;
    }

    /** Waits (bounded) until the pattern occurs at least `count` times in the log. */
    async waitForCount(pattern: RegExp, count: number, timeoutMs = 5000): Promise<void> {
        const deadline = Date.now() + timeoutMs;
        while (this.count(pattern) < count) {
            if (Date.now() > deadline) throw new Error(`${this.name}: ${pattern} occurs ${this.count(pattern)} times, not ${count}, after ${timeoutMs} ms:\n${this.output}`);
            await delay(25);
        }
    }

    /** Stops sshd (and any per-connection children in its process group): TERM, then KILL. */
    async stop(): Promise<void> {
        if (this.exitCode !== undefined) return;
        killGroup(this.child, "SIGTERM");
        const stopped = await Promise.race([this.exited.then(() => true), delay(5000).then(() => false)]);
        if (!stopped) {
            killGroup(this.child, "SIGKILL");
            await Promise.race([this.exited, delay(5000)]);
        }
    }
}

function runAs(args: string[], env: NodeJS.ProcessEnv, identity: { uid?: number; gid?: number }): Promise<CommandResult> {
    return new Promise((resolve, reject) => {
        const child = spawn(sshd, args, { env, stdio: ["ignore", "pipe", "pipe"], timeout: commandTimeoutMs, ...identity });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => { stdout += d.toString(); });
        child.stderr.on("data", (d: Buffer) => { stderr += d.toString(); });
        child.on("error", reject);
        child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr, timedOut: signal === "SIGTERM" }));
    });
}

/** As root, sshd needs its privilege-separation directory (systemd creates it on a booted Debian). */
export function ensurePrivsepDir(): void {
    if (isRoot && !existsSync("/run/sshd")) {
        mkdirSync("/run/sshd", { recursive: true });
        chmodSync("/run/sshd", 0o755);
    }
}

/** A plain TCP listener that counts connections: a service on a port the jump host must not open. */
export async function countingListener(address: string, port: number): Promise<{ server: Server; connections: () => number }> {
    await assertCanListen(address, port);
    let count = 0;
    const server = createServer((socket) => { count++; socket.end("not-ssh\n"); });
    await new Promise<void>((resolve, reject) => { server.once("error", reject); server.listen(port, address, () => resolve()); });
    return { server, connections: () => count };
}

/** As root: gives a file to uid:gid with a mode, as a Kubernetes Secret mount (defaultMode, fsGroup) does. */
export function chownIfRoot(path: string, uid: number, gid: number): void {
    if (isRoot) chownSync(path, uid, gid);
}
