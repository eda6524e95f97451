/* global process, console */
/**
 * A talosctl and kubectl stand-in for replaying the Talos lifecycle on the real Pulumi engine.
 * `talosctl` and `kubectl` beside this file exec it with their own name first.
 *
 * It models machines, not a protocol: each machine the test declares (`machines.json`) waits in
 * maintenance mode until `apply-config --insecure` installs it from the config file it was given
 * (installer image → Talos tag and schematic, kubelet/apiserver image tags → versions); then only
 * authenticated calls reach it. `upgrade` changes what it runs; `version` and `get extensions`
 * report it in talosctl's own table formats; `upgrade-k8s` moves the cluster's Kubernetes; etcd,
 * health and kubectl reads answer from the same model. Every call is appended to `calls.log` as
 * argv with the private file paths replaced by <talosconfig>, <kubeconfig>, <config.yaml> (the
 * secrets themselves only ever arrive in those files).
 *
 * Test switches, as files in the state directory: `fail-upgrade-<address>` makes the upgrade of
 * that node fail; `hang-apply-<address>` makes its first apply hang after the node got its config
 * (so a test can kill the run mid-operation), writing this process's pid to `hung.pid`.
 */
import fs from "node:fs";
import path from "node:path";

const dir = process.env.TALOS_DOUBLE_DIR;
if (!dir) fail("TALOS_DOUBLE_DIR is not set", 2);
const [tool, ...argv] = process.argv.slice(2);

const normalised = argv.map((a) => a.replace(/^.*\/(talosconfig|kubeconfig|config\.yaml)$/, "<$1>")).join(" ");
fs.appendFileSync(path.join(dir, "calls.log"), `${tool} ${normalised}\n`);

function fail(message, code = 1) {
    process.stderr.write(`${message}\n`);
    process.exit(code);
}

function flag(name, short) {
    for (let i = 0; i < argv.length; i++) {
        if (argv[i] === name || (short && argv[i] === short)) return argv[i + 1];
        if (argv[i].startsWith(`${name}=`)) return argv[i].slice(name.length + 1);
    }
    return undefined;
}
const has = (name) => argv.includes(name) || argv.some((a) => a.startsWith(`${name}=`));
const booleanFlags = new Set(["--insecure", "--dry-run", "--wait", "--no-headers", "--ignore-daemonsets", "--delete-emptydir-data"]);
const words = argv.filter((a, i) => !a.startsWith("-") && !(i > 0 && argv[i - 1].startsWith("--") && !argv[i - 1].includes("=") && !booleanFlags.has(argv[i - 1])));

const readJson = (file, fallback) => (fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : fallback);
/**
 * The engine runs commands in parallel (two deletes drain at once), so a reader must never see a
 * half-written file: each write goes to a file of this process's own, then is renamed into place.
 */
function writeJson(file, value) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}.partial`;
    fs.writeFileSync(partial, JSON.stringify(value, null, 2));
    fs.renameSync(partial, file);
}
const nodeFile = (address) => path.join(dir, "nodes", `${address}.json`);
const machines = () => readJson(path.join(dir, "machines.json"), []);
const clusterFile = path.join(dir, "cluster.json");
const cluster = () => readJson(clusterFile, { bootstrapped: false });
// One file per etcd member, so parallel `etcd leave` calls never overwrite each other's update.
const etcdDir = path.join(dir, "etcd");

function node(address) {
    if (!machines().includes(address)) fail(`rpc error: code = Unavailable desc = connection error: dial tcp ${address}:50000: connect: connection refused`);
    return readJson(nodeFile(address), { address, state: "maintenance" });
}
function save(n) {
    writeJson(nodeFile(n.address), n);
}
function installed() {
    return machines().map((a) => readJson(nodeFile(a), { state: "maintenance" })).filter((n) => n.state === "installed");
}

/** An authenticated call: the talosconfig must be a file, and the node must run this cluster. */
function authenticated(address) {
    const talosconfig = flag("--talosconfig");
    if (!talosconfig || !/^context: /m.test(fs.readFileSync(talosconfig, "utf8"))) fail("no talosconfig");
    const n = node(address);
    if (n.state !== "installed") fail(`rpc error: code = Unavailable desc = connection error: desc = "transport: authentication handshake failed: tls: failed to verify certificate: x509: certificate signed by unknown authority"`);
    return n;
}

/** What a machine config says the node runs: installer image, role, hostname, Kubernetes images. */
function fromConfig(text) {
    const image = /^\s+image: (\S+\/metal-installer\/([0-9a-f]{64}):(v[0-9.]+))$/m.exec(text);
    if (!image) fail("config has no Image Factory installer image");
    return {
        image: image[1], schematic: image[2], tag: image[3],
        role: /^\s+type: controlplane$/m.test(text) ? "controlplane" : "worker",
        hostname: (/^hostname: (\S+)$/m.exec(text) || [])[1],
        kubelet: (/kubelet:(v[0-9.]+)/.exec(text) || [])[1],
        apiServer: (/kube-apiserver:(v[0-9.]+)/.exec(text) || [])[1],
    };
}

function image(n, ref) {
    const m = /\/metal-installer\/([0-9a-f]{64}):(v[0-9.]+)$/.exec(ref);
    if (!m) fail(`cannot pull ${ref}`);
    Object.assign(n, { image: ref, schematic: m[1], tag: m[2] });
}

function blockForever() {
    // Written whole, then renamed into place: a watcher never reads a half-written pid.
    fs.writeFileSync(path.join(dir, "hung.pid.tmp"), String(process.pid));
    fs.renameSync(path.join(dir, "hung.pid.tmp"), path.join(dir, "hung.pid"));
    // Bounded: the test kills this process long before.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300000);
    fail("hang: nobody killed me", 3);
}

function talosctl() {
    const nodes = (flag("--nodes", "-n") || "").split(",").filter(Boolean);
    const [command, sub] = words;
    switch (command) {
        case "apply-config": {
            const text = fs.readFileSync(flag("--file"), "utf8");
            if (has("--insecure")) {
                const n = node(nodes[0]);
                if (n.state === "installed") fail("rpc error: code = Unavailable desc = connection error: desc = \"transport: authentication handshake failed: remote error: tls: certificate required\"");
                const seen = fromConfig(text);
                // Counted once the node has its config: a call killed before this never reached it.
                save({ ...n, ...seen, state: "installed", config: text, upgrades: 0, installs: (n.installs ?? 0) + 1 });
                if (fs.existsSync(path.join(dir, `hang-apply-${nodes[0]}`))) blockForever();
                return;
            }
            const n = authenticated(nodes[0]);
            if (has("--dry-run")) {
                console.log("Dry run summary:\nApplied configuration without a reboot (skipped in dry-run).\n\nConfig diff:\n");
                console.log(n.config === text ? "No changes." : "--- a\n+++ b\n(changed)");
                return;
            }
            save({ ...n, config: text, applies: (n.applies || 0) + 1 });
            return;
        }
        case "version": {
            const n = authenticated(nodes[0]);
            console.log(`Client:\n\tTag:         v1.13.9\n\tSHA:         00000000\nServer:\n\tNODE:        ${n.address}\n\tTag:         ${n.tag}\n\tSHA:         00000000\n\tEnabled:     RBAC`);
            return;
        }
        case "get": {
            if (sub !== "extensions") fail(`double: get ${sub} is not modelled`, 4);
            const n = authenticated(nodes[0]);
            console.log("NODE         NAMESPACE   TYPE              ID   VERSION   NAME        VERSION");
            console.log(`${n.address}   runtime     ExtensionStatus   0    1         schematic   ${n.schematic}`);
            return;
        }
        case "bootstrap": {
            const n = authenticated(nodes[0]);
            if (cluster().bootstrapped) fail("rpc error: code = AlreadyExists desc = etcd data directory is not empty");
            writeJson(clusterFile, { bootstrapped: true, apiServer: n.apiServer });
            fs.mkdirSync(etcdDir, { recursive: true });
            for (const m of installed().filter((m) => m.role === "controlplane")) fs.writeFileSync(path.join(etcdDir, m.address), "");
            return;
        }
        case "etcd": {
            for (const address of nodes) authenticated(address);
            if (!cluster().bootstrapped) fail("etcd is not running");
            if (sub === "leave") fs.rmSync(path.join(etcdDir, nodes[0]), { force: true });
            return;
        }
        case "health": {
            authenticated(nodes[0]);
            if (!cluster().bootstrapped) fail("healthcheck error: etcd is not healthy");
            console.error("discovered nodes: " + installed().map((m) => m.address).join(","));
            return;
        }
        case "upgrade": {
            const n = authenticated(nodes[0]);
            if (fs.existsSync(path.join(dir, `fail-upgrade-${n.address}`))) fail(`error upgrading ${n.address}: failed to pull ${flag("--image")}: 503 Service Unavailable`);
            image(n, flag("--image"));
            save({ ...n, upgrades: (n.upgrades || 0) + 1 });
            return;
        }
        case "upgrade-k8s": {
            authenticated(nodes[0]);
            if (has("--dry-run")) return;
            const to = `v${flag("--to")}`;
            writeJson(clusterFile, { ...cluster(), apiServer: to });
            // Talos rewrites the image tags in each node's machine config, as upgrade-k8s does.
            for (const n of installed()) save({ ...n, kubelet: to, config: n.config.replace(/(kubelet|kube-apiserver|kube-controller-manager|kube-scheduler|kube-proxy):v[0-9.]+/g, `$1:${to}`) });
            return;
        }
        case "reset": {
            const n = authenticated(nodes[0]);
            save({ ...n, state: "reset" });
            return;
        }
        default:
            fail(`double: talosctl ${command} is not modelled`, 4);
    }
}

function kubectl() {
    const kubeconfig = flag("--kubeconfig");
    if (!kubeconfig || !/^kind: Config$/m.test(fs.readFileSync(kubeconfig, "utf8"))) fail("no kubeconfig");
    const c = cluster();
    if (!c.bootstrapped) fail("The connection to the server 127.0.10.10:6443 was refused");
    const raw = flag("--raw");
    if (raw === "/readyz") return console.log("ok");
    if (raw === "/version") return console.log(JSON.stringify({ major: "1", gitVersion: c.apiServer }, null, 2));
    const [verb, kind] = words;
    const members = installed().filter((n) => !n.deleted);
    if (verb === "get" && kind === "nodes") {
        const output = flag("-o", "-o");
        if (output && output.startsWith("jsonpath=")) return console.log(members.map((n) => n.kubelet).join("\n"));
        if (output === "jsonpath") return console.log(members.map((n) => n.kubelet).join("\n"));
        return console.log(members.map((n) => `${n.hostname} NotReady control-plane 1m ${n.kubelet}`).join("\n"));
    }
    if (["cordon", "drain"].includes(verb)) return;
    if (verb === "delete" && kind === "node") {
        const n = members.find((m) => m.hostname === words[2]);
        if (n) save({ ...n, deleted: true });
        return;
    }
    fail(`double: kubectl ${argv.join(" ")} is not modelled`, 4);
}

if (tool === "talosctl") talosctl();
else if (tool === "kubectl") kubectl();
else fail(`unknown tool ${tool}`, 2);
