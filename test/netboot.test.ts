import { strict as assert } from "node:assert";
import { ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, Server } from "node:http";
import { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { stringify } from "yaml";
import { clusterImage } from "../components/talos/imageFactory";
import { parseStackConfig } from "../infra/config";
import * as versions from "../infra/versions";
import { commandLines } from "../tools/netboot/assets";
import { BootPlan, bootPlan, imagePath } from "../tools/netboot/bootPlan";
import { bootCommandLine } from "../tools/netboot/commandLine";
import { dnsmasqConfig } from "../tools/netboot/dnsmasqConfig";
import { netbootHttpServer } from "../tools/netboot/httpServer";
import { architectureOfBuild, scriptFor } from "../tools/netboot/ipxeScript";
import { loaders } from "../tools/netboot/loaders";
import { loadStack } from "../tools/offline/loadStack";
import { rawConfig } from "./harness/configs";
import { repoRoot } from "./harness/program";
import { Reply } from "./harness/pxeClient";
import { requireTools } from "./harness/tools";

/**
 * `npm run netboot`: the pure parts (dnsmasq config, iPXE scripts, command line, boot plan), the
 * HTTP server proxying a factory on loopback, and the whole command for real: dnsmasq and a
 * scripted PXE client in two network namespaces joined by a veth pair, with no other interface,
 * so no packet leaves them (192.0.2.0/24 is TEST-NET-1 and exists only inside them).
 */

const kernelArgs = ["net.ifnames=0"];
const cp1 = "0c:c4:7a:00:00:01";
const arm1 = "0c:c4:7a:00:00:02";
const stranger = "0c:c4:7a:00:00:99";

/** The test stack: an amd64 control plane and an arm64 worker, each netbooting by MAC (written as people do). */
function stackConfig(unknownMachines: "refuse" | "default"): Record<string, unknown> {
    return {
        "ironcloud:environment": "dev",
        "ironcloud:cluster": {
            name: "pxe",
            endpoint: "https://10.200.0.10:6443",
            installDisk: "/dev/sda",
            extensions: ["siderolabs/drbd"],
            kernelArgs,
            netboot: { unknownMachines },
            nodes: [
                { name: "cp-1", address: "10.200.0.11", role: "controlplane", mac: "0C:C4:7A:00:00:01" },
                { name: "arm-1", address: "10.200.0.21", role: "worker", mac: "0c-c4-7a-00-00-02", architecture: "arm64" },
            ],
        },
        "ironcloud:platform": { storage: { enabled: false }, virtualization: { enabled: false } },
    };
}

function planOf(unknownMachines: "refuse" | "default"): BootPlan {
    const planned = bootPlan(parseStackConfig("pxe", rawConfig(stackConfig(unknownMachines))));
    assert.ok("plan" in planned, JSON.stringify(planned));
    return planned.plan;
}

/** What the factory's cmdline-metal-<arch> holds for this schematic (defaults, then the schematic's args). */
function factoryCmdline(architecture: string): string {
    const console = architecture === "arm64" ? "console=ttyAMA0" : "console=ttyS0";
    return `talos.platform=metal ${console} console=tty0 init_on_alloc=1 slab_nomerge pti=on ${kernelArgs.join(" ")}\n`;
}

const schematicId = clusterImage({ extensions: ["siderolabs/drbd"], kernelArgs, talosVersion: versions.talosVersion }, "amd64").assets.schematicId;
const server = "http://192.0.2.1:8080";
const cmdlines = { amd64: factoryCmdline("amd64").trim(), arm64: factoryCmdline("arm64").trim() };

describe("netboot: what it serves (pure)", () => {
    it("boots the assets of the program's schematic, named as the program names them", async () => {
        const dir = mkdtempSync(join(tmpdir(), "netboot-plan-"));
        try {
            const file = join(dir, "Pulumi.pxe.yaml");
            writeFileSync(file, stringify({ config: stackConfig("refuse") }));
            const loaded = await loadStack({ configFile: file, stacksDir: dir }, (line) => assert.fail(line));
            const talos = (loaded?.evaluation.outputs.talos ?? {}) as { kernel: string; initramfs: string; cmdline: string; schematicId: string };
            const plan = planOf("refuse");
            assert.equal(plan.images.amd64.schematicId, talos.schematicId);
            for (const file of ["kernel", "initramfs", "cmdline"] as const) assert.ok(talos[file].endsWith(`/${imagePath(plan.images.amd64, file)}`), `${talos[file]} vs ${imagePath(plan.images.amd64, file)}`);
            assert.deepEqual(plan.nodes, [
                { name: "cp-1", role: "controlplane", mac: cp1, architecture: "amd64" },
                { name: "arm-1", role: "worker", mac: arm1, architecture: "arm64" },
            ]);
            assert.equal(plan.images.arm64.files.kernel, "kernel-arm64");
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    it("has nothing to serve for an existing cluster, nor when no node has a MAC and unknown machines are refused", () => {
        assert.deepEqual(bootPlan(parseStackConfig("x", rawConfig({ "ironcloud:environment": "dev", "ironcloud:cluster": { name: "x", kubeconfig: "apiVersion: v1" }, "ironcloud:platform": { networking: { enabled: false }, storage: { enabled: false } } }))), {
            problem: "the stack uses an existing cluster (cluster.kubeconfig): there are no Talos nodes to netboot",
        });
        const noMacs = stackConfig("refuse");
        (noMacs["ironcloud:cluster"] as { nodes: { mac?: string }[] }).nodes.forEach((n) => delete n.mac);
        assert.match(JSON.stringify(bootPlan(parseStackConfig("x", rawConfig(noMacs)))), /no node has a MAC address/);
    });

    it("writes a proxy-only dnsmasq config: no DNS, TFTP loaders per client architecture, iPXE's script URL, only the nodes' MACs when refusing", () => {
        const text = dnsmasqConfig({
            stack: "pxe", interface: "eth1", address: "192.0.2.1", network: "192.0.2.0", netmask: "255.255.255.0", tftpRoot: "/t", leaseFile: "/t/leases", httpPort: 8080,
            loaders: loaders("/srv/snp-arm64.efi"), onlyMacs: [cp1, arm1],
        });
        const lines = text.split("\n");
        for (const line of [
            "port=0", "interface=eth1", "bind-interfaces", "dhcp-range=192.0.2.0,proxy,255.255.255.0", "enable-tftp", "tftp-root=/t",
            "dhcp-userclass=set:ipxe,iPXE",
            'pxe-service=tag:!ipxe,0,"ironcloud pxe: iPXE",undionly.kpxe',
            'pxe-service=tag:!ipxe,7,"ironcloud pxe: iPXE",ipxe.efi',
            'pxe-service=tag:!ipxe,9,"ironcloud pxe: iPXE",ipxe.efi',
            'pxe-service=tag:!ipxe,11,"ironcloud pxe: iPXE",ipxe-arm64.efi',
            "dhcp-boot=tag:ipxe,http://192.0.2.1:8080/boot.ipxe?mac=${netX/mac}&arch=${buildarch}",
            `dhcp-host=${cp1},set:node`, `dhcp-host=${arm1},set:node`, "dhcp-ignore=tag:!node",
        ]) assert.ok(lines.includes(line), `missing: ${line}\n${text}`);
        const answeringAll = dnsmasqConfig({
            stack: "pxe", interface: "eth1", address: "192.0.2.1", network: "192.0.2.0", netmask: "255.255.255.0", tftpRoot: "/t", leaseFile: "/t/leases", httpPort: 8080,
            loaders: loaders(undefined), onlyMacs: undefined,
        });
        assert.doesNotMatch(answeringAll, /dhcp-ignore|dhcp-host|,11,/);
    });

    it("gives a node its own architecture's kernel, initramfs and command line, and no machine config", () => {
        const plan = planOf("refuse");
        const script = scriptFor(plan, { mac: "0C:C4:7A:00:00:02", buildarch: "arm64" }, server, cmdlines);
        const base = `${server}/image/${schematicId}/${versions.talosVersion}`;
        assert.equal(script.split("\n")[0], "#!ipxe");
        assert.ok(script.includes(`\nkernel ${base}/kernel-arm64 initrd=initramfs-arm64.xz ${cmdlines.arm64}\n`), script);
        assert.ok(script.includes(`\ninitrd --name initramfs-arm64.xz ${base}/initramfs-arm64.xz\nboot\n`), script);
        assert.match(script, /No machine config is served: .*\n# node's config over the Talos API/);
        assert.doesNotMatch(script, /talos\.config=/);
        assert.ok(scriptFor(plan, { mac: cp1, buildarch: "i386" }, server, cmdlines).includes(`kernel ${base}/kernel-amd64 initrd=initramfs-amd64.xz ${cmdlines.amd64}`));
    });

    it("refuses, saying why, an unknown MAC (refuse), a node whose iPXE is of another architecture, and a request without MAC", () => {
        const plan = planOf("refuse");
        const unknown = scriptFor(plan, { mac: stranger, buildarch: "x86_64" }, server, cmdlines);
        assert.match(unknown, /^#!ipxe\n/);
        assert.match(unknown, /echo no node has MAC address 0c:c4:7a:00:00:99 \(cluster\.nodes\[\]\.mac\),\necho and cluster\.netboot\.unknownMachines is refuse\n/);
        assert.match(unknown, /\nexit 1\n$/);
        assert.doesNotMatch(unknown, /^kernel /m);
        assert.match(scriptFor(plan, { mac: arm1, buildarch: "x86_64" }, server, cmdlines), /echo 0c:c4:7a:00:00:02 is node arm-1, whose architecture is arm64,\necho but this machine runs a x86_64 iPXE/);
        assert.match(scriptFor(plan, {}, server, cmdlines), /request names no MAC address/);
    });

    it("boots an unknown machine with the default assets of its firmware's architecture (default), the cluster's when it cannot tell", () => {
        const plan = planOf("default");
        const script = scriptFor(plan, { mac: stranger, buildarch: "x86_64" }, server, cmdlines);
        assert.match(script, /unknown machine 0c:c4:7a:00:00:99 \(cluster\.netboot\.unknownMachines: default, amd64\)/);
        assert.match(script, /^kernel \S+\/kernel-amd64 /m);
        assert.match(scriptFor(plan, { mac: stranger }, server, cmdlines), /^kernel \S+\/kernel-amd64 /m);
        assert.match(scriptFor(plan, { mac: stranger, buildarch: "arm64" }, server, cmdlines), /^kernel \S+\/kernel-arm64 /m);
        assert.equal(architectureOfBuild("riscv64"), undefined);
    });

    it("takes the factory's command line only when it is the stack's: metal, one line, with every extra kernel argument", () => {
        assert.deepEqual(bootCommandLine(" talos.platform=metal console=ttyS0 net.ifnames=0 \n", kernelArgs), { cmdline: "talos.platform=metal console=ttyS0 net.ifnames=0" });
        assert.deepEqual(bootCommandLine("talos.platform=metal console=ttyS0", ["-console", "net.ifnames=0"]), {
            problems: ["lacks the stack's cluster.kernelArgs net.ifnames=0: it belongs to another schematic"],
        });
        assert.deepEqual(bootCommandLine("talos.platform=aws\nnet.ifnames=0", kernelArgs), {
            problems: ["must be one line", "must name talos.platform=metal (it is the metal image's command line)"],
        });
    });
});

describe("netboot: the HTTP server, proxying a factory on loopback", () => {
    let factory: Server;
    let netboot: Server;
    let factoryUrl: string;
    let netbootUrl: string;
    const kernel = Buffer.from("pretend kernel from the factory");
    const plan = planOf("refuse");

    before(async () => {
        factory = createServer((request, response) => {
            const files: Record<string, Buffer> = {
                [`/${imagePath(plan.images.amd64, "kernel")}`]: kernel,
                [`/${imagePath(plan.images.amd64, "cmdline")}`]: Buffer.from(factoryCmdline("amd64")),
                [`/${imagePath(plan.images.arm64, "cmdline")}`]: Buffer.from(factoryCmdline("arm64")),
            };
            const body = files[request.url ?? ""];
            if (body) response.writeHead(200, { "content-length": body.length }).end(body);
            else response.writeHead(404).end();
        });
        factoryUrl = `http://127.0.0.1:${await listen(factory)}`;
        const lines = await commandLines({ kind: "proxy", baseUrl: factoryUrl }, plan);
        assert.ok("cmdlines" in lines, JSON.stringify(lines));
        netboot = netbootHttpServer(plan, { kind: "proxy", baseUrl: factoryUrl }, "http://127.0.0.1", lines.cmdlines, () => undefined);
        netbootUrl = `http://127.0.0.1:${await listen(netboot)}`;
    });

    after(async () => {
        await Promise.all([factory, netboot].map((s) => new Promise((resolve) => s?.close(resolve))));
    });

    it("reads the factory's command lines and streams its kernel; serves nothing but the plan's files", async () => {
        const got = await fetch(`${netbootUrl}/${imagePath(plan.images.amd64, "kernel")}`);
        assert.equal(got.status, 200);
        assert.deepEqual(Buffer.from(await got.arrayBuffer()), kernel);
        const script = await (await fetch(`${netbootUrl}/boot.ipxe?mac=${cp1}&arch=x86_64`)).text();
        assert.ok(script.includes(`initrd=initramfs-amd64.xz ${factoryCmdline("amd64").trim()}\n`), script);
        assert.equal((await fetch(`${netbootUrl}/etc/passwd`)).status, 404);
        assert.equal((await fetch(`${netbootUrl}/image/${schematicId}/${versions.talosVersion}/../../../etc/passwd`)).status, 404);
    });
});

function listen(server: Server): Promise<number> {
    return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
}

// --- for real, in network namespaces --------------------------------------------------------

const ids = `${process.pid}`;
const serverNs = `ironcloud-nb-srv-${ids}`;
const clientNs = `ironcloud-nb-cli-${ids}`;
const serverAddress = "192.0.2.1";
const clientAddress = "192.0.2.50";
const httpPort = 8080;
const debianLoaders = "/usr/lib/ipxe";

function run(command: string, args: string[]): string {
    const result = spawnSync(command, args, { encoding: "utf8" });
    assert.equal(result.status, 0, `${command} ${args.join(" ")}: ${result.stderr}`);
    return result.stdout;
}

function inClient(command: string, args: string[]): ReturnType<typeof spawnSync> {
    return spawnSync("ip", ["netns", "exec", clientNs, command, ...args], { encoding: "buffer" });
}

/** Two namespaces with only lo and the two ends of one veth; the client's default route is that veth. */
function createNamespaces(): void {
    run("ip", ["netns", "add", serverNs]);
    run("ip", ["netns", "add", clientNs]);
    run("ip", ["-n", serverNs, "link", "add", "nb-srv", "type", "veth", "peer", "name", "nb-cli", "netns", clientNs]);
    run("ip", ["-n", serverNs, "addr", "add", `${serverAddress}/24`, "dev", "nb-srv"]);
    run("ip", ["-n", clientNs, "addr", "add", `${clientAddress}/24`, "dev", "nb-cli"]);
    for (const [ns, link] of [[serverNs, "nb-srv"], [clientNs, "nb-cli"]]) {
        run("ip", ["-n", ns, "link", "set", "lo", "up"]);
        run("ip", ["-n", ns, "link", "set", link, "up"]);
    }
    // A PXE ROM broadcasts before it has a route; this namespace's only way out is the veth.
    run("ip", ["-n", clientNs, "route", "add", "default", "dev", "nb-cli"]);
}

function deleteNamespaces(): void {
    for (const ns of [serverNs, clientNs]) {
        const pids = spawnSync("ip", ["netns", "pids", ns], { encoding: "utf8" }).stdout.split("\n").filter(Boolean);
        for (const pid of pids) spawnSync("kill", ["-9", pid]);
        spawnSync("ip", ["netns", "delete", ns]);
    }
}

/** The client machine: the veth takes the MAC, then the scripted PXE ROM (or iPXE) asks. */
function pxe(mac: string, clientArch: number, kind: "pxe" | "ipxe", deadlineMs = 5000): Reply[] {
    run("ip", ["-n", clientNs, "link", "set", "nb-cli", "address", mac]);
    const result = spawnSync("ip", ["netns", "exec", clientNs, process.execPath, "-r", "ts-node/register/transpile-only",
        join(repoRoot, "test", "harness", "pxeClient.ts"), mac, String(clientArch), kind, clientAddress, String(deadlineMs)], { encoding: "utf8", cwd: repoRoot });
    assert.equal(result.status, 0, result.stderr);
    return JSON.parse(result.stdout) as Reply[];
}

function tftp(file: string): Buffer {
    const result = inClient("curl", ["-sS", "--max-time", "20", `tftp://${serverAddress}/${file}`]);
    assert.equal(result.status, 0, String(result.stderr));
    return result.stdout as Buffer;
}

/** What iPXE fetches after the proxy offer: its boot file name with ${netX/mac} and ${buildarch} filled in. */
function http(url: string): { status: number; body: Buffer } {
    const result = inClient("curl", ["-sS", "--max-time", "20", "-o", "-", "-w", "\n%{http_code}", url]);
    assert.equal(result.status, 0, String(result.stderr));
    const out = result.stdout as Buffer;
    const cut = out.lastIndexOf("\n");
    return { status: Number(out.subarray(cut + 1).toString()), body: out.subarray(0, cut) };
}

/** The running `npm run netboot` (its main file, run by node inside the server namespace) and what it printed. */
class Netboot {
    readonly output: string[] = [];
    readonly process: ChildProcess;
    private waiters: { match: RegExp; resolve: (line: string) => void }[] = [];

    constructor(args: string[]) {
        this.process = spawn("ip", ["netns", "exec", serverNs, process.execPath, "-r", "ts-node/register/transpile-only", "tools/netboot.ts", ...args], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
        let pending = "";
        const take = (chunk: Buffer) => {
            const lines = (pending + chunk.toString()).split("\n");
            pending = lines.pop() ?? "";
            for (const line of lines) {
                this.output.push(line);
                this.waiters = this.waiters.filter((w) => !(w.match.test(line) && (w.resolve(line), true)));
            }
        };
        this.process.stdout?.on("data", take);
        this.process.stderr?.on("data", take);
    }

    /** The first line (printed so far or later) matching, or a failure naming what was printed by the deadline. */
    line(match: RegExp, deadlineMs = 60_000): Promise<string> {
        const seen = this.output.find((l) => match.test(l));
        if (seen) return Promise.resolve(seen);
        return new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`no line matching ${match} within ${deadlineMs} ms; netboot printed:\n${this.output.join("\n")}`)), deadlineMs);
            this.process.once("exit", () => setImmediate(() => reject(new Error(`netboot exited before printing ${match}:\n${this.output.join("\n")}`))));
            this.waiters.push({ match, resolve: (line) => { clearTimeout(timer); resolve(line); } });
        });
    }

    exit(deadlineMs = 20_000): Promise<number | null> {
        if (this.process.exitCode !== null) return Promise.resolve(this.process.exitCode);
        return new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`netboot did not exit within ${deadlineMs} ms`)), deadlineMs);
            this.process.once("exit", (code) => { clearTimeout(timer); resolve(code); });
        });
    }
}

describe("netboot for real: dnsmasq and a scripted PXE client in network namespaces", function () {
    let work: string;
    let assets: string;
    let arm64Loader: string;
    const plan = planOf("refuse");
    const file = (image: "amd64" | "arm64", which: "kernel" | "initramfs") => readFileSync(join(assets, imagePath(plan.images[image], which)));

    before(function () {
        assert.equal(process.getuid?.(), 0, "the netboot test creates network namespaces and runs dnsmasq: run it as root (CI does)");
        requireTools("ip", "dnsmasq", "curl");
        assert.ok(existsSync(join(debianLoaders, "undionly.kpxe")), `${debianLoaders}/undionly.kpxe: install Debian's ipxe (tools/prerequisites.sh)`);
        work = mkdtempSync(join(tmpdir(), "netboot-test-"));
        assets = join(work, "assets");
        for (const architecture of ["amd64", "arm64"] as const) {
            const image = plan.images[architecture];
            for (const [which, content] of [["kernel", `kernel for ${architecture}\n`], ["initramfs", `initramfs for ${architecture}\n`], ["cmdline", factoryCmdline(architecture)]] as const) {
                const path = join(assets, imagePath(image, which));
                mkdirSync(dirname(path), { recursive: true });
                writeFileSync(path, content);
            }
        }
        arm64Loader = join(work, "snp-arm64.efi");
        writeFileSync(arm64Loader, "an arm64 iPXE build the operator supplies\n");
        for (const mode of ["refuse", "default"] as const) writeFileSync(join(work, `Pulumi.pxe-${mode}.yaml`), stringify({ config: stackConfig(mode) }));
        deleteNamespaces();
        createNamespaces();
    });

    after(function () {
        deleteNamespaces();
        if (work) rmSync(work, { recursive: true, force: true });
    });

    const startNetboot = (mode: "refuse" | "default") => new Netboot([
        "--config-file", join(work, `Pulumi.pxe-${mode}.yaml`), "--interface", "nb-srv", "--assets", assets, "--http-port", String(httpPort), "--arm64-loader", arm64Loader,
    ]);

    describe("unknown machines refused", function () {
        let netboot: Netboot;
        before(async function () {
            netboot = startNetboot("refuse");
            await netboot.line(/^netboot: ready/);
        });
        after(async function () {
            if (netboot.process.exitCode === null) {
                netboot.process.kill("SIGTERM");
                await netboot.exit();
            }
        });

        it("BIOS: the proxy offer is a boot menu and gives no address; boot server discovery names undionly.kpxe, which TFTP serves byte for byte", () => {
            const [offer, ack] = pxe(cp1, 0, "pxe");
            assert.equal(offer.options[53], "02", "a DHCPOFFER");
            assert.equal(offer.yiaddr, "0.0.0.0", "proxy-DHCP offers no address");
            assert.equal(Buffer.from(offer.options[60], "hex").toString(), "PXEClient");
            assert.ok(ack, "an answer from port 4011");
            assert.equal(ack.options[53], "05", "a DHCPACK");
            assert.equal(ack.file, "undionly.kpxe");
            assert.equal(ack.siaddr, serverAddress);
            assert.deepEqual(tftp(ack.file), readFileSync(join(debianLoaders, "undionly.kpxe")));
        });

        it("x86-64 UEFI (7 and 9) gets ipxe.efi, arm64 UEFI (11) the arm64 loader given", () => {
            for (const [mac, arch, loader] of [[cp1, 7, join(debianLoaders, "ipxe.efi")], [cp1, 9, join(debianLoaders, "ipxe.efi")], [arm1, 11, arm64Loader]] as const) {
                const replies = pxe(mac, arch, "pxe");
                const ack = replies[replies.length - 1];
                assert.equal(replies[0].yiaddr, "0.0.0.0");
                assert.equal(ack.siaddr, serverAddress);
                assert.equal(ack.file, arch === 11 ? "ipxe-arm64.efi" : "ipxe.efi", `client arch ${arch}`);
                assert.deepEqual(tftp(ack.file), readFileSync(loader));
            }
        });

        it("iPXE gets its script URL in the proxy offer; the script names the node's kernel, initramfs and command line, and the kernel downloads", () => {
            for (const [mac, arch, buildarch, architecture] of [[cp1, 7, "x86_64", "amd64"], [arm1, 11, "arm64", "arm64"]] as const) {
                const [offer] = pxe(mac, arch, "ipxe");
                assert.equal(offer.yiaddr, "0.0.0.0");
                assert.equal(offer.file, `http://${serverAddress}:${httpPort}/boot.ipxe?mac=\${netX/mac}&arch=\${buildarch}`);
                const script = http(offer.file.replace("${netX/mac}", mac).replace("${buildarch}", buildarch));
                assert.equal(script.status, 200);
                const text = script.body.toString();
                const base = `http://${serverAddress}:${httpPort}/image/${plan.images[architecture].schematicId}/${versions.talosVersion}`;
                assert.ok(text.includes(`\nkernel ${base}/kernel-${architecture} initrd=initramfs-${architecture}.xz ${factoryCmdline(architecture).trim()}\n`), text);
                assert.ok(text.includes(`\ninitrd --name initramfs-${architecture}.xz ${base}/initramfs-${architecture}.xz\nboot\n`), text);
                assert.deepEqual(http(`${base}/kernel-${architecture}`).body, file(architecture, "kernel"));
                assert.deepEqual(http(`${base}/initramfs-${architecture}.xz`).body, file(architecture, "initramfs"));
            }
        });

        it("a machine no node lists gets no proxy offer (dnsmasq ignores it) and, asking anyway, a script that refuses", async () => {
            assert.deepEqual(pxe(stranger, 0, "pxe", 1500), []);
            await netboot.line(new RegExp(`PXE\\(nb-srv\\) ${stranger} proxy-ignored`));
            const script = http(`http://${serverAddress}:${httpPort}/boot.ipxe?mac=${stranger}&arch=x86_64`).body.toString();
            assert.match(script, /no node has MAC address 0c:c4:7a:00:00:99/);
            assert.match(script, /\nexit 1\n$/);
        });

        it("Ctrl-C: dnsmasq is gone, the ports are closed and the temporary files removed", async () => {
            const workDir = (await netboot.line(/^netboot: temporary files in /)).replace(/^netboot: temporary files in (\S+) .*$/, "$1");
            assert.ok(existsSync(join(workDir, "dnsmasq.conf")));
            const before = spawnSync("ip", ["netns", "pids", serverNs], { encoding: "utf8" }).stdout.split("\n").filter(Boolean);
            assert.equal(before.length, 2, "netboot and its dnsmasq");
            netboot.process.kill("SIGINT");
            assert.equal(await netboot.exit(), 0);
            assert.deepEqual(spawnSync("ip", ["netns", "pids", serverNs], { encoding: "utf8" }).stdout.split("\n").filter(Boolean), [], "no process left in the server namespace");
            assert.equal(existsSync(workDir), false);
            const refused = inClient("curl", ["-sS", "--max-time", "10", `http://${serverAddress}:${httpPort}/boot.ipxe?mac=${cp1}`]);
            assert.equal(refused.status, 7, "curl: connection refused");
            const udp = spawnSync("ip", ["netns", "exec", serverNs, "cat", "/proc/net/udp"], { encoding: "utf8" }).stdout;
            assert.doesNotMatch(udp, /:0043 |:0045 |:0FAB /, "no socket on DHCP, TFTP or 4011");
            assert.match(netboot.output.join("\n"), /netboot: SIGINT; stopping/);
        });
    });

    describe("unknown machines get the default", function () {
        let netboot: Netboot;
        before(async function () {
            netboot = startNetboot("default");
            await netboot.line(/^netboot: ready/);
        });
        after(async function () {
            netboot.process.kill("SIGTERM");
            assert.equal(await netboot.exit(), 0);
        });

        it("a machine no node lists gets the loader and a script booting the cluster's default assets", () => {
            const [, ack] = pxe(stranger, 0, "pxe");
            assert.equal(ack.file, "undionly.kpxe");
            const [offer] = pxe(stranger, 7, "ipxe");
            const text = http(offer.file.replace("${netX/mac}", stranger).replace("${buildarch}", "x86_64")).body.toString();
            assert.match(text, /unknown machine 0c:c4:7a:00:00:99 \(cluster\.netboot\.unknownMachines: default, amd64\)/);
            assert.ok(text.includes(`/kernel-amd64 initrd=initramfs-amd64.xz ${factoryCmdline("amd64").trim()}\n`), text);
        });
    });

    it("refuses to start, naming every problem: a missing asset and an interface without an address", async () => {
        const netboot = new Netboot(["--config-file", join(work, "Pulumi.pxe-refuse.yaml"), "--interface", "lo", "--address", "192.0.2.1", "--assets", join(work, "nowhere")]);
        assert.equal(await netboot.exit(60_000), 1);
        const printed = netboot.output.join("\n");
        assert.match(printed, /netboot: cannot serve \(7 problems\):/);
        assert.match(printed, /--address 192\.0\.2\.1 is not an address of lo/);
        const kernel = `image/${schematicId}/${versions.talosVersion}/kernel-amd64`;
        assert.ok(printed.includes(`nowhere/${kernel}: missing (copy https://${versions.imageFactory.host}/${kernel})`), printed);
    });
});
