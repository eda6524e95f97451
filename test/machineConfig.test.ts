import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseAllDocuments, stringify } from "yaml";
import { ClusterConfig, parseStackConfig } from "../infra/config";
import { machineConfigDocuments, MachineConfigInput, renderMachineConfig } from "../components/talos/machineConfig";
import { TalosSecretsBundle } from "../components/talos/secretsBundle";
import { clone, rawConfig, stackValues } from "./harness/configs";
import { talosSchemaErrors } from "./harness/schemas";
import { talosValidate } from "./harness/talosValidator";

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const pem = (label: string, body: string) => `-----BEGIN ${label}-----\n${Buffer.from(body).toString("base64")}\n-----END ${label}-----\n`;
const secrets: TalosSecretsBundle = {
    osCa: { crt: pem("CERTIFICATE", "os-ca"), key: pem("PRIVATE KEY", "os-ca-key") },
    kubernetesCa: { crt: pem("CERTIFICATE", "k8s-ca"), key: pem("EC PRIVATE KEY", "k8s-ca-key") },
    aggregatorCa: { crt: pem("CERTIFICATE", "agg-ca"), key: pem("EC PRIVATE KEY", "agg-ca-key") },
    etcdCa: { crt: pem("CERTIFICATE", "etcd-ca"), key: pem("EC PRIVATE KEY", "etcd-ca-key") },
    serviceAccountKey: pem("RSA PRIVATE KEY", "sa-key"),
    bootstrapToken: "abcdef.0123456789abcdef",
    trustdToken: "ghijkl.0123456789ghijkl",
    clusterId: "Y2x1c3Rlci1pZC0zMi1ieXRlcy0tLS0tLS0tLS0tLS0=",
    clusterSecret: "Y2x1c3Rlci1zZWNyZXQtMzItYnl0ZXMtLS0tLS0tLS0=",
    secretboxEncryptionSecret: "c2VjcmV0Ym94LTMyLWJ5dGVzLS0tLS0tLS0tLS0tLS0=",
};
const b64 = (text: string) => Buffer.from(text).toString("base64");
const installImage = "factory.talos.dev/metal-installer/376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba:v1.13.9";

/** The prod stack's cluster, optionally changed, validated as a user's config would be. */
function prodCluster(change: (cluster: Doc) => void = () => undefined): ClusterConfig {
    const values = clone(stackValues("prod"));
    change(values["ironcloud:cluster"] as Doc);
    return parseStackConfig("prod", rawConfig(values)).cluster;
}

function input(cluster: ClusterConfig, nodeName: string, drbd = true, monitoring = false): MachineConfigInput {
    const node = (cluster.nodes ?? []).find((n) => n.name === nodeName);
    assert.ok(node, `node ${nodeName}`);
    return { cluster, node, installImage, secrets, drbd, monitoring };
}

const docs = (i: MachineConfigInput): Doc[] => machineConfigDocuments(i) as Doc[];
const main = (i: MachineConfigInput): Doc => docs(i)[0];
const ofKind = (i: MachineConfigInput, kind: string): Doc[] => docs(i).filter((d) => d.kind === kind);

describe("Talos machine configs", () => {
    const cluster = prodCluster();
    const controlPlane = input(cluster, "cp-1");
    const worker = input(cluster, "worker-1");

    describe("control plane vs worker", () => {
        it("gives control planes the CA keys, the service-account key, etcd and the API server", () => {
            const doc = main(controlPlane);
            assert.equal(doc.machine.type, "controlplane");
            assert.deepEqual(doc.machine.ca, { crt: b64(secrets.osCa.crt), key: b64(secrets.osCa.key) });
            assert.deepEqual(doc.cluster.ca, { crt: b64(secrets.kubernetesCa.crt), key: b64(secrets.kubernetesCa.key) });
            assert.deepEqual(doc.cluster.aggregatorCA, { crt: b64(secrets.aggregatorCa.crt), key: b64(secrets.aggregatorCa.key) });
            assert.deepEqual(doc.cluster.etcd.ca, { crt: b64(secrets.etcdCa.crt), key: b64(secrets.etcdCa.key) });
            assert.deepEqual(doc.cluster.serviceAccount, { key: b64(secrets.serviceAccountKey) });
            assert.equal(doc.cluster.secretboxEncryptionSecret, secrets.secretboxEncryptionSecret);
            assert.equal(doc.cluster.apiServer.image, "registry.k8s.io/kube-apiserver:v1.36.3");
        });

        it("gives workers CA certificates only: no CA key, no control-plane secrets", () => {
            const doc = main(worker);
            assert.equal(doc.machine.type, "worker");
            assert.deepEqual(doc.machine.ca, { crt: b64(secrets.osCa.crt) });
            assert.deepEqual(doc.cluster.ca, { crt: b64(secrets.kubernetesCa.crt) });
            for (const key of ["aggregatorCA", "serviceAccount", "etcd", "secretboxEncryptionSecret", "apiServer", "controllerManager", "scheduler", "proxy"]) {
                assert.equal(doc.cluster[key], undefined, `worker must not carry cluster.${key}`);
            }
            const text = renderMachineConfig(worker);
            for (const key of [secrets.osCa.key, secrets.kubernetesCa.key, secrets.aggregatorCa.key, secrets.etcdCa.key, secrets.serviceAccountKey]) {
                assert.ok(!text.includes(b64(key)), "a CA or service-account key leaked into a worker config");
            }
        });

        it("shares the cluster identity and join tokens between both roles", () => {
            for (const i of [controlPlane, worker]) {
                const doc = main(i);
                assert.equal(doc.machine.token, secrets.trustdToken);
                assert.equal(doc.cluster.token, secrets.bootstrapToken);
                assert.equal(doc.cluster.id, secrets.clusterId);
                assert.equal(doc.cluster.secret, secrets.clusterSecret);
                assert.equal(doc.cluster.clusterName, "dc1");
                assert.equal(doc.cluster.controlPlane.endpoint, "https://10.0.0.10:6443");
            }
        });
    });

    describe("platform settings", () => {
        it("leaves the CNI and kube-proxy to Cilium", () => {
            const doc = main(controlPlane);
            assert.deepEqual(doc.cluster.network.cni, { name: "none" });
            assert.equal(doc.cluster.proxy.disabled, true);
            assert.equal(main(worker).cluster.network.cni.name, "none");
        });

        it("enables KubePrism on port 7445 on every node", () => {
            for (const i of [controlPlane, worker]) assert.deepEqual(main(i).machine.features.kubePrism, { enabled: true, port: 7445 });
        });

        it("names each node with a HostnameConfig document", () => {
            assert.deepEqual(ofKind(worker, "HostnameConfig"), [{ apiVersion: "v1alpha1", kind: "HostnameConfig", hostname: "worker-1" }]);
        });

        it("installs to the cluster disk with the factory installer, and a node may override the disk", () => {
            assert.deepEqual(main(worker).machine.install, { disk: "/dev/nvme0n1", image: installImage, wipe: false, grubUseUKICmdline: true });
            const overridden = prodCluster((c) => { c.nodes[3].installDisk = "/dev/sda"; });
            assert.equal(main(input(overridden, "worker-1")).machine.install.disk, "/dev/sda");
        });

        it("sets node labels and taints", () => {
            const tainted = prodCluster((c) => { c.nodes[4].taints = [{ key: "dedicated", value: "storage", effect: "NoSchedule" }, { key: "gpu", effect: "NoExecute" }]; });
            const doc = main(input(tainted, "worker-2"));
            assert.deepEqual(doc.machine.nodeLabels, { "topology.kubernetes.io/zone": "rack-a" });
            assert.deepEqual(doc.machine.nodeTaints, { dedicated: "storage:NoSchedule", gpu: ":NoExecute" });
            assert.deepEqual(main(controlPlane).machine.nodeLabels, { "node.kubernetes.io/exclude-from-external-load-balancers": "" });
        });

        it("announces the VIP from control planes only, on the configured link", () => {
            assert.deepEqual(ofKind(controlPlane, "Layer2VIPConfig"), [{ apiVersion: "v1alpha1", kind: "Layer2VIPConfig", name: "10.0.0.10", link: "bond0" }]);
            assert.deepEqual(ofKind(worker, "Layer2VIPConfig"), []);
            const noVip = prodCluster((c) => { delete c.vip; });
            assert.deepEqual(ofKind(input(noVip, "cp-1"), "Layer2VIPConfig"), []);
            assert.ok(main(controlPlane).machine.certSANs.includes("10.0.0.10"));
        });

        it("seals STATE and EPHEMERAL with LUKS2 keyed by the TPM, the node ID, or not at all", () => {
            const volumes = (mode: string) => ofKind(input(prodCluster((c) => { c.diskEncryption = mode; }), "worker-1"), "VolumeConfig");
            const expected = (key: Doc) => ["STATE", "EPHEMERAL"].map((name) => ({ apiVersion: "v1alpha1", kind: "VolumeConfig", name, encryption: { provider: "luks2", keys: [key] } }));
            assert.deepEqual(volumes("tpm"), expected({ slot: 0, tpm: {} }));
            assert.deepEqual(volumes("nodeID"), expected({ slot: 0, nodeID: {} }));
            assert.deepEqual(volumes("none"), []);
        });

        it("loads the DRBD modules only when LINSTOR storage is on", () => {
            assert.deepEqual(main(worker).machine.kernel.modules, [{ name: "drbd", parameters: ["usermode_helper=disabled"] }, { name: "drbd_transport_tcp" }]);
            assert.equal(main(input(cluster, "worker-1", false)).machine.kernel, undefined);
        });

        it("points /events at a separate etcd when one is declared", () => {
            const withEvents = prodCluster((c) => { c.eventsEtcd = { endpoints: ["https://10.0.0.31:2379", "https://10.0.0.32:2379"] }; });
            assert.deepEqual(main(input(withEvents, "cp-1")).cluster.apiServer.extraArgs, { "etcd-servers-overrides": "/events#https://10.0.0.31:2379;https://10.0.0.32:2379" });
            assert.equal(main(controlPlane).cluster.apiServer.extraArgs, undefined);
        });

        it("declares a RegistryMirrorConfig per mirrored registry", () => {
            assert.deepEqual(ofKind(worker, "RegistryMirrorConfig"), [
                { apiVersion: "v1alpha1", kind: "RegistryMirrorConfig", name: "docker.io", endpoints: [{ url: "https://registry.dc1.example.com/v2/docker.io" }] },
                { apiVersion: "v1alpha1", kind: "RegistryMirrorConfig", name: "quay.io", endpoints: [{ url: "https://registry.dc1.example.com/v2/quay.io" }] },
            ]);
        });

        it("reserves resources for the OS and kubelet and evicts before the node starves", () => {
            const extra = main(worker).machine.kubelet.extraConfig;
            assert.deepEqual(extra.systemReserved, { cpu: "500m", memory: "1Gi", pid: "100", "ephemeral-storage": "256Mi" });
            assert.deepEqual(extra.kubeReserved, { cpu: "500m", memory: "1Gi" });
            assert.deepEqual(extra.evictionHard, { "memory.available": "500Mi", "nodefs.available": "10%", "imagefs.available": "15%" });
        });

        it("serves control-plane metrics on the node address only when monitoring is on", () => {
            const monitored = main(input(cluster, "cp-1", true, true)).cluster;
            assert.deepEqual(monitored.etcd.extraArgs, { "listen-metrics-urls": "http://0.0.0.0:2381" });
            assert.deepEqual(monitored.controllerManager.extraArgs, { "bind-address": "0.0.0.0" });
            assert.deepEqual(monitored.scheduler.extraArgs, { "bind-address": "0.0.0.0" });
            const quiet = main(controlPlane).cluster;
            assert.equal(quiet.etcd.extraArgs, undefined);
            assert.equal(quiet.controllerManager.extraArgs, undefined);
        });

        it("pins kubelet and etcd to the node subnet, so the VIP is never a node address", () => {
            assert.deepEqual(main(worker).machine.kubelet.nodeIP, { validSubnets: ["10.0.0.0/24"] });
            assert.deepEqual(main(controlPlane).cluster.etcd.advertisedSubnets, ["10.0.0.0/24"]);
        });
    });

    describe("user patches", () => {
        const patched = prodCluster((c) => {
            c.patches = {
                all: [{ machine: { install: { wipe: true }, certSANs: ["extra.example.com"] } }],
                worker: [{ machine: { sysctls: { "vm.nr_hugepages": "1024" } } }],
                controlplane: [{ cluster: { apiServer: { extraArgs: { "audit-log-maxage": "30" } } } }],
            };
            c.nodes[3].patches = [{ machine: { sysctls: { "vm.nr_hugepages": "2048" } } }, { apiVersion: "v1alpha1", kind: "HostnameConfig", hostname: "storage-1" }];
            c.nodes[0].patches = [{ apiVersion: "v1alpha1", kind: "KmsgLogConfig", name: "remote", url: "udp://10.0.0.5:6050/" }];
        });

        it("applies patches after everything ironcloud renders", () => {
            assert.equal(main(input(patched, "worker-2")).machine.install.wipe, true);
            assert.equal(main(input(patched, "cp-1")).machine.install.wipe, true);
        });

        it("applies role patches to that role only", () => {
            assert.deepEqual(main(input(patched, "worker-2")).machine.sysctls, { "vm.nr_hugepages": "1024" });
            assert.equal(main(input(patched, "cp-1")).machine.sysctls, undefined);
            assert.deepEqual(main(input(patched, "cp-1")).cluster.apiServer.extraArgs, { "audit-log-maxage": "30" });
        });

        it("applies node patches last, over role patches", () => {
            assert.deepEqual(main(input(patched, "worker-1")).machine.sysctls, { "vm.nr_hugepages": "2048" });
        });

        it("appends lists, merges into documents by kind, and adds new documents", () => {
            const sans = main(input(patched, "worker-1")).machine.certSANs as string[];
            assert.deepEqual(sans.slice(-1), ["extra.example.com"]);
            assert.ok(sans.includes("10.0.0.21"));
            assert.deepEqual(ofKind(input(patched, "worker-1"), "HostnameConfig"), [{ apiVersion: "v1alpha1", kind: "HostnameConfig", hostname: "storage-1" }]);
            assert.deepEqual(ofKind(input(patched, "cp-1"), "KmsgLogConfig"), [{ apiVersion: "v1alpha1", kind: "KmsgLogConfig", name: "remote", url: "udp://10.0.0.5:6050/" }]);
        });
    });

    describe("validity", () => {
        const variants: [string, MachineConfigInput][] = [];
        const dev = parseStackConfig("dev", rawConfig(stackValues("dev"))).cluster;
        for (const node of dev.nodes ?? []) variants.push([`dev-${node.name}`, input(dev, node.name)]);
        for (const node of cluster.nodes ?? []) variants.push([`prod-${node.name}`, input(cluster, node.name)]);
        const everything = prodCluster((c) => {
            c.diskEncryption = "nodeID";
            c.eventsEtcd = { endpoints: ["https://10.0.0.31:2379"] };
            c.kernelArgs = ["net.ifnames=0"];
            c.nodes[5].taints = [{ key: "dedicated", value: "db", effect: "NoSchedule" }];
            c.patches = { all: [{ machine: { sysctls: { "net.core.somaxconn": "65535" } } }], controlplane: [], worker: [] };
        });
        variants.push(["cp-everything", input(everything, "cp-2", true, true)], ["worker-everything", input(everything, "worker-3", false, true)]);

        it("validates every document against the Talos v1.13 schema", () => {
            for (const [name, i] of variants) {
                for (const doc of parseAllDocuments(renderMachineConfig(i)).map((d) => d.toJS())) {
                    assert.deepEqual(talosSchemaErrors(doc), [], `${name}: ${doc.kind ?? "v1alpha1"}`);
                }
            }
        });

        it("is refused by the schema when a document carries an unknown key", () => {
            const doc = main(controlPlane);
            assert.notDeepEqual(talosSchemaErrors({ ...doc, machine: { ...doc.machine, instal: {} } }), []);
        });

        describe("with Talos's own validator (metal mode, strict)", () => {
            let dir: string;
            before(() => { dir = mkdtempSync(join(tmpdir(), "ironcloud-talos-")); });
            after(() => rmSync(dir, { recursive: true, force: true }));

            it("accepts every rendered config", () => {
                const files = variants.map(([name, i]) => {
                    const file = join(dir, `${name}.yaml`);
                    writeFileSync(file, renderMachineConfig(i));
                    return file;
                });
                const result = talosValidate(files);
                assert.equal(result.status, 0, result.output);
                assert.equal(result.output.trim().split("\n").filter((l) => l.endsWith(": ok")).length, files.length, result.output);
            });

            it("refuses a worker config that carries a CA key", () => {
                const file = join(dir, "worker-with-key.yaml");
                const [doc, ...rest] = docs(worker);
                const leaky = { ...doc, machine: { ...doc.machine, ca: { crt: b64(secrets.osCa.crt), key: b64(secrets.osCa.key) } } };
                writeFileSync(file, [leaky, ...rest].map((d) => stringify(d)).join("---\n"));
                const result = talosValidate([file]);
                assert.equal(result.status, 1);
                assert.match(result.output, /issuing Talos API CA key is not allowed on non-controlplane nodes/);
            });
        });
    });
});
