import { ChildProcess, spawn } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseStack } from "../offline/stackSpec";
import { AssetSource, commandLines } from "./assets";
import { bootPlan, factoryAssetUrl } from "./bootPlan";
import { bootScriptUrl, dnsmasqConfig } from "./dnsmasqConfig";
import { netbootHttpServer } from "./httpServer";
import { Loader, loaders } from "./loaders";
import { boundUdpPorts, dnsmasqPorts, servingAddress } from "./network";

export interface NetbootOptions {
    stack?: string;
    configFile?: string;
    stacksDir: string;
    interface: string;
    /** A local asset directory, or undefined to proxy the factory. */
    assets?: string;
    address?: string;
    httpPort: number;
    /** A TFTP root that already holds the loaders; default a temporary copy of Debian's. */
    tftpRoot?: string;
    arm64Loader?: string;
    dnsmasq?: string;
}

/** Bounds: dnsmasq binds within seconds, and exits within seconds of SIGTERM. */
const startDeadlineMs = 15_000;
const stopDeadlineMs = 5_000;

/**
 * Serves the stack's boot assets until SIGINT or SIGTERM, then stops dnsmasq, closes the HTTP
 * server and removes its temporary files. Resolves with the exit code; problems found before
 * serving are printed, all at once where they are independent.
 */
export async function runNetboot(options: NetbootOptions, log: (line: string) => void): Promise<number> {
    const parsed = parseStack({ stack: options.stack, configFile: options.configFile, stacksDir: options.stacksDir }, log);
    if (parsed === undefined) return 1;
    const planned = bootPlan(parsed.spec);
    if ("problem" in planned) return fail(log, [`${parsed.path}: ${planned.problem}`]);
    const { plan } = planned;
    const served = servingAddress(options.interface, options.address);
    const factoryUrl = factoryAssetUrl(parsed.spec);
    const source: AssetSource = options.assets !== undefined ? { kind: "directory", dir: options.assets, factoryUrl } : { kind: "proxy", baseUrl: factoryUrl };
    const offered = loaders(options.arm64Loader);
    const lines = await commandLines(source, plan);
    const problems = [
        ...("problem" in served ? [served.problem] : []),
        ...loaderProblems(offered, options.tftpRoot),
        ...portProblems(),
        ...("problems" in lines ? lines.problems : []),
    ];
    if (problems.length > 0 || "problem" in served || "problems" in lines) return fail(log, problems);
    if (Object.values(plan.images).some((image) => image.architecture === "arm64") && options.arm64Loader === undefined) {
        log("netboot: warning: arm64 machines get no iPXE loader (Debian's ipxe has no arm64 build); pass --arm64-loader <arm64 iPXE .efi>");
    }

    const workDir = mkdtempSync(join(tmpdir(), "ironcloud-netboot-"));
    // dnsmasq drops root for an unprivileged user after binding; it reads the TFTP root as that user.
    chmodSync(workDir, 0o755);
    log(`netboot: temporary files in ${workDir} (removed when it stops)`);
    const tftpRoot = options.tftpRoot ?? prepareTftpRoot(workDir, offered);
    const configFile = join(workDir, "dnsmasq.conf");
    writeFileSync(configFile, dnsmasqConfig({
        stack: plan.stack, interface: options.interface, ...served, tftpRoot, leaseFile: join(workDir, "leases"), httpPort: options.httpPort, loaders: offered,
        onlyMacs: plan.unknownMachines === "refuse" ? plan.nodes.map((n) => n.mac) : undefined,
    }));

    const serverUrl = `http://${served.address}:${options.httpPort}`;
    const http = netbootHttpServer(plan, source, serverUrl, lines.cmdlines, log);
    let dnsmasq: ChildProcess | undefined;
    const stopped = new Promise<number>((resolve) => {
        let stopping = false;
        const stop = (code: number, why: string) => {
            if (stopping) return;
            stopping = true;
            log(`netboot: ${why}; stopping`);
            shutDown(http, dnsmasq, workDir).then(() => resolve(code), (error: unknown) => {
                log(`netboot: stopping: ${error instanceof Error ? error.message : String(error)}`);
                resolve(1);
            });
        };
        process.once("SIGINT", () => stop(0, "SIGINT"));
        process.once("SIGTERM", () => stop(0, "SIGTERM"));
        http.once("error", (error) => stop(1, `HTTP server: ${error.message}`));
        http.listen(options.httpPort, served.address, () => {
            dnsmasq = spawn(options.dnsmasq ?? "dnsmasq", ["--keep-in-foreground", `--conf-file=${configFile}`, "--log-facility=-", "--pid-file="], { stdio: ["ignore", "pipe", "pipe"] });
            forwardLines(dnsmasq, log);
            dnsmasq.once("error", (error) => stop(1, `dnsmasq: ${error.message} (install Debian's dnsmasq-base)`));
            dnsmasq.once("exit", (code, signal) => stop(1, `dnsmasq exited (${signal ?? `code ${code}`})`));
            waitForPorts(dnsmasqPorts, startDeadlineMs).then((ready) => {
                if (!ready) return stop(1, `dnsmasq did not bind UDP ports ${dnsmasqPorts.join(", ")} within ${startDeadlineMs / 1000} s`);
                log(`netboot: serving stack ${plan.stack} on ${options.interface} (${served.address}, proxy-DHCP for ${served.network}/${served.netmask}); iPXE asks ${bootScriptUrl(served.address, options.httpPort)}`);
                log(`netboot: nodes: ${plan.nodes.map((n) => `${n.name} ${n.mac} ${n.architecture}`).join(", ") || "none"}; unknown machines: ${plan.unknownMachines}; assets: ${source.kind === "directory" ? source.dir : `proxied from ${source.baseUrl}`}`);
                log("netboot: ready (Ctrl-C stops)");
            });
        });
    });
    return stopped;
}

function fail(log: (line: string) => void, problems: string[]): number {
    log(`netboot: cannot serve (${problems.length} ${problems.length === 1 ? "problem" : "problems"}):`);
    for (const problem of problems) log(`  ${problem}`);
    return 1;
}

function loaderProblems(offered: Loader[], tftpRoot: string | undefined): string[] {
    const wanted = tftpRoot === undefined ? offered.map((l) => l.source) : offered.map((l) => join(tftpRoot, l.tftpName));
    return [...new Set(wanted)].filter((file) => !existsSync(file)).map((file) => `${file}: missing (${tftpRoot === undefined && file.startsWith("/usr/lib/ipxe/") ? "install Debian's ipxe package" : "the iPXE loader to serve over TFTP"})`);
}

function portProblems(): string[] {
    const taken = boundUdpPorts();
    return dnsmasqPorts.filter((port) => taken.has(port)).map((port) => `UDP port ${port} is already in use here (another DHCP, TFTP or PXE server?): dnsmasq needs it`);
}

function prepareTftpRoot(workDir: string, offered: Loader[]): string {
    const root = join(workDir, "tftp");
    mkdirSync(root, { mode: 0o755 });
    for (const loader of offered) {
        copyFileSync(loader.source, join(root, loader.tftpName));
        chmodSync(join(root, loader.tftpName), 0o644);
    }
    return root;
}

function forwardLines(child: ChildProcess, log: (line: string) => void): void {
    for (const stream of [child.stdout, child.stderr]) {
        let pending = "";
        stream?.setEncoding("utf8");
        stream?.on("data", (chunk: string) => {
            const lines = (pending + chunk).split("\n");
            pending = lines.pop() ?? "";
            for (const line of lines) log(line);
        });
    }
}

/** Polls until every port has a socket bound, or the deadline passes. */
function waitForPorts(ports: number[], deadlineMs: number): Promise<boolean> {
    const deadline = Date.now() + deadlineMs;
    return new Promise((resolve) => {
        const check = () => {
            const bound = boundUdpPorts();
            if (ports.every((port) => bound.has(port))) return resolve(true);
            if (Date.now() > deadline) return resolve(false);
            setTimeout(check, 50);
        };
        check();
    });
}

async function shutDown(http: Server, dnsmasq: ChildProcess | undefined, workDir: string): Promise<void> {
    if (dnsmasq && dnsmasq.exitCode === null && dnsmasq.signalCode === null) {
        const exited = new Promise<void>((resolve) => dnsmasq.once("exit", () => resolve()));
        dnsmasq.kill("SIGTERM");
        const timer = setTimeout(() => dnsmasq.kill("SIGKILL"), stopDeadlineMs);
        await exited;
        clearTimeout(timer);
    }
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
    rmSync(workDir, { recursive: true, force: true });
}
