import { ChildProcess, execFile, execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { repoRoot, sharedSchemas } from "../../harness/program";
import { crdsFromSchemas } from "./crds";
import { LoadBalancerStandIn } from "./loadBalancer";

/**
 * A real Kubernetes control plane on 127.0.0.1 for the engine suite: etcd, kube-apiserver,
 * kube-controller-manager and kube-scheduler v1.36.3 built from the Go module proxy
 * (test/engine/env/build-control-plane.sh), kwok for fake nodes whose pods become Ready, the
 * CRDs of the platform from ../shared/schemas, and a stand-in for Cilium's LB IPAM. It runs in
 * the suite's loopback-only network namespace, so its ports are private to the suite.
 */

const apiPort = 6443;
const etcdPort = 2379;
const waitAttempts = 240;
const waitDelayMs = 250;

export interface ControlPlaneOptions {
    /** Fake nodes kwok manages (pods scheduled there become Running and Ready). */
    nodes: string[];
}

/** Every control-plane process still running: a suite that dies without its after hooks must not leave one behind. */
const running = new Set<ChildProcess>();
process.once("exit", () => {
    for (const child of running) child.kill("SIGKILL");
});

export class ControlPlane {
    readonly server = `https://127.0.0.1:${apiPort}`;
    readonly kubeconfig: string;
    readonly kubeconfigPath: string;
    private readonly processes: ChildProcess[] = [];
    private loadBalancer?: LoadBalancerStandIn;

    private constructor(readonly dir: string, readonly bin: string) {
        this.kubeconfigPath = join(dir, "kubeconfig");
        this.kubeconfig = "";
    }

    static async start(options: ControlPlaneOptions): Promise<ControlPlane> {
        const bin = process.env.IRONCLOUD_CONTROL_PLANE_BIN;
        if (!bin) throw new Error("IRONCLOUD_CONTROL_PLANE_BIN is not set: run the engine suite with `npm run test:engine`");
        const plane = new ControlPlane(mkdtempSync(join(tmpdir(), "ironcloud-control-plane-")), bin);
        try {
            await plane.boot(options);
        } catch (error) {
            plane.stop({ keepLogs: true });
            throw new Error(`the local control plane did not start (logs in ${plane.dir}): ${(error as Error).message}`, { cause: error });
        }
        return plane;
    }

    private async boot({ nodes }: ControlPlaneOptions): Promise<void> {
        const pki = makePki(join(this.dir, "pki"));
        (this as { kubeconfig: string }).kubeconfig = adminKubeconfig(this.server, pki);
        writeFileSync(this.kubeconfigPath, this.kubeconfig, { mode: 0o600 });

        this.launch("etcd", [
            "--name=engine", `--data-dir=${join(this.dir, "etcd")}`, "--unsafe-no-fsync",
            `--listen-client-urls=http://127.0.0.1:${etcdPort}`, `--advertise-client-urls=http://127.0.0.1:${etcdPort}`,
            "--listen-peer-urls=http://127.0.0.1:2380", "--initial-advertise-peer-urls=http://127.0.0.1:2380",
            "--initial-cluster=engine=http://127.0.0.1:2380", "--listen-metrics-urls=http://127.0.0.1:2381",
        ]);
        this.launch("kube-apiserver", [
            `--etcd-servers=http://127.0.0.1:${etcdPort}`, "--bind-address=127.0.0.1", "--advertise-address=127.0.0.1",
            `--secure-port=${apiPort}`, `--cert-dir=${join(this.dir, "apiserver")}`,
            `--tls-cert-file=${pki.serverCert}`, `--tls-private-key-file=${pki.serverKey}`, `--client-ca-file=${pki.caCert}`,
            `--service-account-key-file=${pki.serviceAccountKey}`, `--service-account-signing-key-file=${pki.serviceAccountKey}`,
            "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
            // Addresses the API server only allocates: nothing in this namespace routes to them.
            "--service-cluster-ip-range=10.96.0.0/16", "--authorization-mode=Node,RBAC", "--allow-privileged=true",
        ]);
        await this.waitFor("the API server to be ready", () => this.get("/readyz").then((r) => r.status === 200));

        const kubeconfigFlag = `--kubeconfig=${this.kubeconfigPath}`;
        this.launch("kube-controller-manager", [
            kubeconfigFlag, "--leader-elect=false", "--bind-address=127.0.0.1", "--secure-port=10257",
            `--service-account-private-key-file=${pki.serviceAccountKey}`, `--root-ca-file=${pki.caCert}`,
            `--cluster-signing-cert-file=${pki.caCert}`, `--cluster-signing-key-file=${pki.caKey}`,
            "--controllers=*,-nodeipam,-nodelifecycle,-cloud-node-lifecycle,-service-lb-controller,-route",
        ]);
        this.launch("kube-scheduler", [kubeconfigFlag, "--leader-elect=false", "--bind-address=127.0.0.1", "--secure-port=10259"]);
        this.launch("kwok", [
            kubeconfigFlag, "--manage-all-nodes=false", "--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake",
            "--cidr=127.64.0.0/16", "--node-ip=127.0.0.1", "--server-address=127.0.0.1:10247",
            `--config=${join(repoRoot, "test", "engine", "env", "kwok-stages.yaml")}`,
        ]);

        await this.kubectl(["apply", "--server-side", "-f", "-"], stringify({ apiVersion: "v1", kind: "List", items: crdsFromSchemas(join(sharedSchemas, "crds")) }));
        await this.kubectl(["apply", "-f", "-"], stringify({ apiVersion: "v1", kind: "List", items: nodes.map(fakeNode) }));
        await this.waitFor("the default service account", () => this.get("/api/v1/namespaces/default/serviceaccounts/default").then((r) => r.status === 200));
        await this.waitFor(`${nodes.length} Ready fake nodes`, async () => {
            const { status, body } = await this.get("/api/v1/nodes");
            if (status !== 200) return false;
            const items = (JSON.parse(body) as { items: NodeStatus[] }).items;
            return items.filter((n) => n.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True")).length === nodes.length;
        });
        // The TaintNodesByCondition admission taints new nodes not-ready; the node lifecycle
        // controller, which would lift it, is off (kwok sends no heartbeats it could judge).
        await this.kubectl(["taint", "nodes", "--all", "node.kubernetes.io/not-ready-"]);
        await this.waitFor("the CRDs to be established", () => this.get("/apis/kubevirt.io/v1").then((r) => r.status === 200));

        this.loadBalancer = new LoadBalancerStandIn(this);
        await this.loadBalancer.start();
    }

    /**
     * Runs the kubectl built with the control plane against it; `input` goes to stdin.
     * Asynchronous on purpose: the LB stand-in lives in this process and must keep running.
     */
    kubectl(args: string[], input?: string): Promise<string> {
        return new Promise((resolve, reject) => {
            const child = execFile(join(this.bin, "kubectl"), [`--kubeconfig=${this.kubeconfigPath}`, ...args],
                { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: 120_000 },
                (error, stdout, stderr) => (error ? reject(new Error(`kubectl ${args.join(" ")}: ${stderr || error.message}`)) : resolve(stdout)));
            child.stdin?.end(input ?? "");
        });
    }

    /** A request to the API server as the admin. */
    call(method: string, path: string, body?: unknown, contentType = "application/json"): Promise<{ status: number; body: string }> {
        const pki = this.pki();
        return new Promise((resolve, reject) => {
            const req = request(`${this.server}${path}`, {
                method, ca: pki.ca, cert: pki.cert, key: pki.key, timeout: 30_000,
                headers: body === undefined ? {} : { "content-type": contentType },
            }, (res) => {
                let text = "";
                res.setEncoding("utf8");
                res.on("data", (chunk) => (text += chunk));
                res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
            });
            req.on("error", reject);
            req.on("timeout", () => req.destroy(new Error(`${method} ${path} timed out`)));
            req.end(body === undefined ? undefined : JSON.stringify(body));
        });
    }

    get(path: string): Promise<{ status: number; body: string }> {
        return this.call("GET", path).catch(() => ({ status: 0, body: "" }));
    }

    /** The credentials the admin kubeconfig holds, for clients in this process. */
    pki(): { ca: Buffer; cert: Buffer; key: Buffer } {
        const dir = join(this.dir, "pki");
        return { ca: readFileSync(join(dir, "ca.crt")), cert: readFileSync(join(dir, "admin.crt")), key: readFileSync(join(dir, "admin.key")) };
    }

    stop({ keepLogs = false } = {}): void {
        this.loadBalancer?.stop();
        for (const child of this.processes.reverse()) child.kill("SIGKILL");
        if (!keepLogs) rmSync(this.dir, { recursive: true, force: true });
    }

    private launch(binary: string, args: string[]): void {
        const log = openSync(join(this.dir, `${binary}.log`), "a");
        const child = spawn(join(this.bin, binary), args, { stdio: ["ignore", log, log] });
        this.processes.push(child);
        running.add(child);
        child.once("exit", () => running.delete(child));
    }

    /** Polls `check` a bounded number of times; the control plane's own readiness, not test timing. */
    private async waitFor(what: string, check: () => Promise<boolean>): Promise<void> {
        for (let attempt = 0; attempt < waitAttempts; attempt++) {
            const exited = this.processes.find((p) => p.exitCode !== null);
            if (exited) throw new Error(`${exited.spawnfile} exited with ${exited.exitCode} while waiting for ${what}`);
            if (await check().catch(() => false)) return;
            await new Promise((resolve) => setTimeout(resolve, waitDelayMs));
        }
        throw new Error(`gave up waiting for ${what} after ${(waitAttempts * waitDelayMs) / 1000} s`);
    }
}

interface NodeStatus {
    status?: { conditions?: { type: string; status: string }[] };
}

function fakeNode(name: string) {
    return {
        apiVersion: "v1",
        kind: "Node",
        metadata: {
            name,
            annotations: { "kwok.x-k8s.io/node": "fake", "node.alpha.kubernetes.io/ttl": "0" },
            labels: { "kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64", type: "kwok" },
        },
        spec: {},
        status: {
            allocatable: { cpu: "64", memory: "256Gi", pods: "110" },
            capacity: { cpu: "64", memory: "256Gi", pods: "110" },
        },
    };
}

interface Pki {
    caCert: string;
    caKey: string;
    serverCert: string;
    serverKey: string;
    adminCert: string;
    adminKey: string;
    serviceAccountKey: string;
}

/** A throw-away PKI made with openssl: a CA, the API server's certificate and an admin client. */
function makePki(dir: string): Pki {
    mkdirSync(dir, { recursive: true });
    const at = (file: string) => join(dir, file);
    const openssl = (args: string[]) => execFileSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"] });
    const ecKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
    openssl(["req", "-x509", ...ecKey, "-keyout", at("ca.key"), "-out", at("ca.crt"), "-subj", "/CN=engine-suite-ca", "-days", "2"]);
    const signed = (name: string, subject: string, extensions: string[]) => openssl([
        "req", "-x509", ...ecKey, "-keyout", at(`${name}.key`), "-out", at(`${name}.crt`), "-subj", subject, "-days", "2",
        "-CA", at("ca.crt"), "-CAkey", at("ca.key"), ...extensions.flatMap((e) => ["-addext", e]),
    ]);
    signed("server", "/CN=kube-apiserver", ["subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc", "extendedKeyUsage=serverAuth"]);
    signed("admin", "/O=system:masters/CN=engine-admin", ["extendedKeyUsage=clientAuth"]);
    openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", at("sa.key")]);
    return {
        caCert: at("ca.crt"), caKey: at("ca.key"), serverCert: at("server.crt"), serverKey: at("server.key"),
        adminCert: at("admin.crt"), adminKey: at("admin.key"), serviceAccountKey: at("sa.key"),
    };
}

function adminKubeconfig(server: string, pki: Pki): string {
    const b64 = (file: string) => readFileSync(file).toString("base64");
    return stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "engine", cluster: { server, "certificate-authority-data": b64(pki.caCert) } }],
        users: [{ name: "admin", user: { "client-certificate-data": b64(pki.adminCert), "client-key-data": b64(pki.adminKey) } }],
        contexts: [{ name: "engine", context: { cluster: "engine", user: "admin" } }],
        "current-context": "engine",
    });
}
