import { strict as assert } from "node:assert";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { Namespace } from "kubernetes-models/v1";
import { StorageClass } from "kubernetes-models/storage.k8s.io/v1";
import { ComponentArgsError } from "../components/componentArgs";
import { Platform, PlatformArgs } from "../components/platform/platform";
import { ConfigError, parseStackConfig } from "../infra/config";
import * as sections from "../infra/validation/sections";
import { charts, manifests } from "../infra/versions";
import { Evaluation, evaluateStack } from "../tools/offline/evaluate";
import { RecordedResource } from "../tools/offline/recordingMonitor";
import { toProgramConfig } from "../tools/offline/stackFile";
import { runPlan } from "../tools/plan/runPlan";
import { clone, stackValues } from "./harness/configs";
import { dependencyNames, evaluateConfig, evaluateStackFile, repoRoot, resource, stackPath } from "./harness/program";
import { crdSchemaErrors } from "./harness/schemas";

type Values = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const release = "kubernetes:helm.sh/v3:Release";
const crdGroups = ["cilium.io", "cert-manager.io", "piraeus.io", "kubevirt.io", "cdi.kubevirt.io", "monitoring.coreos.com"];
const customResource = (r: RecordedResource) => crdGroups.some((group) => r.type.startsWith(`kubernetes:${group}/`));
const names = (evaluation: Evaluation) => new Set(evaluation.resources.map((r) => `${r.type} ${r.name}`));
const platformOnly = (evaluation: Evaluation) => new Set([...names(evaluation)].filter((n) => !/^(tls|random|command):/.test(n) && !n.includes("-apply-") && !n.startsWith("ironcloud:talos")));

describe("platform services", () => {
    let dev: Evaluation;
    let prod: Evaluation;
    before(async () => {
        [dev, prod] = await Promise.all([evaluateStackFile(stackPath("dev")), evaluateStackFile(stackPath("prod"))]);
    });

    describe("releases", () => {
        it("pins every chart to an exact version from its repository, in its namespace", () => {
            const expected: [string, { chart: string; version: string; repository?: string }, string][] = [
                ["dc1-networking-cilium", charts.cilium, "kube-system"],
                ["dc1-cert-manager-cert-manager", charts.certManager, "cert-manager"],
                ["dc1-storage-piraeus", charts.piraeus, "piraeus-datastore"],
                ["dc1-monitoring-prometheus", charts.kubePrometheusStack, "monitoring"],
            ];
            for (const [name, pin, namespace] of expected) {
                const inputs = resource(prod, release, name).inputs as Values;
                assert.equal(inputs.chart, pin.chart, name);
                assert.equal(inputs.version, pin.version, name);
                assert.match(inputs.version, /^v?\d+\.\d+\.\d+$/, `${name}: exact version`);
                assert.deepEqual(inputs.repositoryOpts, pin.repository ? { repo: pin.repository } : undefined, name);
                assert.equal(inputs.namespace, namespace, name);
            }
            assert.deepEqual(prod.resources.filter((r) => r.type === release).map((r) => r.name).sort(), expected.map(([n]) => n).sort());
        });

        it("configures Cilium with the Talos values and LoadBalancer announcements", () => {
            const values = resource(prod, release, "dc1-networking-cilium").inputs.values as Values;
            assert.deepEqual(values.ipam, { mode: "kubernetes" });
            assert.equal(values.kubeProxyReplacement, true);
            assert.equal(values.k8sServiceHost, "localhost");
            assert.equal(values.k8sServicePort, 7445);
            assert.deepEqual(values.cgroup, { autoMount: { enabled: false }, hostRoot: "/sys/fs/cgroup" });
            assert.deepEqual(values.securityContext.capabilities.ciliumAgent,
                ["CHOWN", "KILL", "NET_ADMIN", "NET_RAW", "IPC_LOCK", "SYS_ADMIN", "SYS_RESOURCE", "DAC_OVERRIDE", "FOWNER", "SETGID", "SETUID"]);
            assert.deepEqual(values.securityContext.capabilities.cleanCiliumState, ["NET_ADMIN", "SYS_ADMIN", "SYS_RESOURCE"]);
            for (const list of Object.values(values.securityContext.capabilities) as string[][]) assert.ok(!list.includes("SYS_MODULE"));
            assert.deepEqual(values.l2announcements, { enabled: true });
            assert.deepEqual(values.encryption, { enabled: true, type: "wireguard" }, "prod encrypts node-to-node traffic");
            assert.deepEqual((resource(dev, release, "lab-networking-cilium").inputs.values as Values).encryption, { enabled: false });
        });

        it("installs cert-manager with its CRDs and LINSTOR's operator with its CRDs", () => {
            assert.deepEqual((resource(prod, release, "dc1-cert-manager-cert-manager").inputs.values as Values).crds, { enabled: true, keep: true });
            assert.deepEqual(resource(prod, release, "dc1-storage-piraeus").inputs.values, { installCRDs: true });
        });

        it("scrapes every ServiceMonitor and PodMonitor, and Talos's control plane by address", () => {
            const values = resource(prod, release, "dc1-monitoring-prometheus").inputs.values as Values;
            const spec = values.prometheus.prometheusSpec;
            for (const key of ["serviceMonitor", "podMonitor", "rule", "probe", "scrapeConfig"]) assert.equal(spec[`${key}SelectorNilUsesHelmValues`], false, key);
            assert.deepEqual(values.kubeProxy, { enabled: false });
            assert.deepEqual(values.kubeEtcd.endpoints, ["10.0.0.11", "10.0.0.12", "10.0.0.13"]);
            assert.equal(values.kubeEtcd.service.port, 2381);
        });
    });

    describe("custom resources", () => {
        it("validates every custom resource the program declares against its CRD schema", () => {
            for (const evaluation of [dev, prod]) {
                const crs = evaluation.resources.filter(customResource);
                assert.ok(crs.length >= 10, `${evaluation.stack}: ${crs.length} custom resources`);
                for (const cr of crs) {
                    const object = cr.inputs as { apiVersion: string; kind: string };
                    assert.deepEqual(crdSchemaErrors(object), [], `${evaluation.stack} ${cr.type} ${cr.name}`);
                }
            }
        });

        it("refuses an object the schema does not allow (the check can fail)", () => {
            const pool = resource(prod, "kubernetes:cilium.io/v2:CiliumLoadBalancerIPPool", "dc1-networking-lb-pool").inputs as Values;
            assert.notDeepEqual(crdSchemaErrors({ ...pool, apiVersion: pool.apiVersion, kind: pool.kind, spec: { ...pool.spec, block: [] } }), []);
        });

        it("validates StorageClasses and Namespaces with kubernetes-models", () => {
            const core = prod.resources.filter((r) => (r.type === "kubernetes:storage.k8s.io/v1:StorageClass" || r.type === "kubernetes:core/v1:Namespace") && r.parent.includes("ironcloud:platform"));
            assert.equal(core.length, 4);
            for (const r of core) {
                const model = r.type.endsWith("StorageClass") ? new StorageClass(r.inputs as never) : new Namespace(r.inputs as never);
                assert.doesNotThrow(() => model.validate(), r.name);
            }
        });

        it("announces the configured LoadBalancer pools", () => {
            const pool = resource(prod, "kubernetes:cilium.io/v2:CiliumLoadBalancerIPPool", "dc1-networking-lb-pool").inputs as Values;
            assert.deepEqual(pool.spec.blocks, [{ cidr: "10.0.0.200/29" }]);
            const policy = resource(prod, "kubernetes:cilium.io/v2alpha1:CiliumL2AnnouncementPolicy", "dc1-networking-l2-announcements").inputs as Values;
            assert.equal(policy.spec.loadBalancerIPs, true);
        });

        it("shapes LINSTOR for Talos: DRBD from the extension, LVM metadata under /var, TLS from cert-manager", () => {
            const satellites = resource(prod, "kubernetes:piraeus.io/v1:LinstorSatelliteConfiguration", "dc1-storage-talos-satellites").inputs as Values;
            const template = satellites.spec.podTemplate.spec;
            assert.deepEqual(template.initContainers, [{ name: "drbd-shutdown-guard", $patch: "delete" }, { name: "drbd-module-loader", $patch: "delete" }]);
            assert.deepEqual(template.volumes.filter((v: Values) => v.hostPath).map((v: Values) => v.hostPath.path), ["/var/etc/lvm/backup", "/var/etc/lvm/archive"]);
            const cluster = resource(prod, "kubernetes:piraeus.io/v1:LinstorCluster", "dc1-storage-linstor-cluster").inputs as Values;
            const issuer = { name: "ironcloud-ca", kind: "ClusterIssuer", group: "cert-manager.io" };
            assert.deepEqual([cluster.spec.internalTLS.certManager, cluster.spec.apiTLS.certManager, satellites.spec.internalTLS.certManager], [issuer, issuer, issuer]);
        });

        it("creates the storage pool from the configured devices (or a file pool in the lab)", () => {
            const prodPool = (resource(prod, "kubernetes:piraeus.io/v1:LinstorSatelliteConfiguration", "dc1-storage-storage-pool").inputs as Values).spec.storagePools;
            assert.deepEqual(prodPool, [{ name: "ironcloud", lvmThinPool: { volumeGroup: "vg-ironcloud", thinPool: "ironcloud" }, source: { hostDevices: ["/dev/nvme1n1"] } }]);
            const devPool = (resource(dev, "kubernetes:piraeus.io/v1:LinstorSatelliteConfiguration", "lab-storage-storage-pool").inputs as Values).spec.storagePools;
            assert.deepEqual(devPool, [{ name: "ironcloud", fileThinPool: { directory: "/var/lib/linstor-pools/ironcloud" } }]);
        });

        it("offers `local` and `replicated` StorageClasses with N copies, one of them default", () => {
            const classOf = (name: string) => resource(prod, "kubernetes:storage.k8s.io/v1:StorageClass", `dc1-storage-${name}`).inputs as Values;
            const replicated = classOf("replicated");
            assert.equal(replicated.parameters["linstor.csi.linbit.com/placementCount"], "3");
            assert.equal(replicated.allowVolumeExpansion, true);
            assert.equal(replicated.metadata.annotations["storageclass.kubernetes.io/is-default-class"], "true");
            const local = classOf("local");
            assert.equal(local.parameters["linstor.csi.linbit.com/placementCount"], "1");
            assert.equal(local.volumeBindingMode, "WaitForFirstConsumer");
            assert.equal(local.metadata.annotations["storageclass.kubernetes.io/is-default-class"], "false");
        });

        it("runs KubeVirt with LiveMigrate eviction, the VM service's feature gates, and emulation only where asked", () => {
            const kubevirt = (evaluation: Evaluation, name: string) => resource(evaluation, "kubernetes:kubevirt.io/v1:KubeVirt", name).inputs as Values;
            const prodKubevirt = kubevirt(prod, "dc1-virtualization-kubevirt");
            assert.equal(prodKubevirt.metadata.namespace, "kubevirt");
            assert.equal(prodKubevirt.metadata.annotations["pulumi.com/waitFor"], "condition=Available");
            assert.equal(prodKubevirt.spec.configuration.evictionStrategy, "LiveMigrate");
            assert.deepEqual(prodKubevirt.spec.configuration.developerConfiguration, { useEmulation: false, featureGates: ["ExpandDisks", "Snapshot"] });
            assert.deepEqual(prodKubevirt.spec.workloadUpdateStrategy.workloadUpdateMethods, ["LiveMigrate", "Evict"]);
            assert.equal(kubevirt(dev, "lab-virtualization-kubevirt").spec.configuration.developerConfiguration.useEmulation, true);
        });

        it("installs KubeVirt and CDI from their pinned release manifests", () => {
            assert.equal(resource(prod, "kubernetes:yaml/v2:ConfigFile", "dc1-virtualization-kubevirt-operator").inputs.file, manifests.kubevirtOperator);
            assert.equal(resource(prod, "kubernetes:yaml/v2:ConfigFile", "dc1-virtualization-cdi-operator").inputs.file, manifests.cdiOperator);
            assert.match(manifests.kubevirtOperator, /\/releases\/download\/v1\.8\.4\/kubevirt-operator\.yaml$/);
            assert.match(manifests.cdiOperator, /\/releases\/download\/v1\.64\.0\/cdi-operator\.yaml$/);
            const cdi = resource(prod, "kubernetes:cdi.kubevirt.io/v1beta1:CDI", "dc1-virtualization-cdi").inputs as Values;
            assert.equal(cdi.spec.uninstallStrategy, "BlockUninstallIfWorkloadsExist");
            assert.equal(cdi.spec.config.scratchSpaceStorageClass, "local");
        });

        it("labels privileged only the namespaces whose pods need the host", () => {
            const namespaces = prod.resources.filter((r) => r.type === "kubernetes:core/v1:Namespace").filter((r) => (r.inputs as Values).metadata.labels["pod-security.kubernetes.io/enforce"]).map((r) => [(r.inputs as Values).metadata.name, (r.inputs as Values).metadata.labels["pod-security.kubernetes.io/enforce"]]);
            assert.deepEqual(namespaces.sort(), [["monitoring", "privileged"], ["piraeus-datastore", "privileged"]]);
        });
    });

    describe("ordering", () => {
        const deps = (evaluation: Evaluation, type: string, name: string) => dependencyNames(resource(evaluation, type, name));

        it("installs Cilium first, once the cluster passed its health gate", () => {
            const cilium = resource(prod, release, "dc1-networking-cilium");
            assert.ok(cilium.provider.includes("pulumi:providers:kubernetes::dc1"), "through the cluster's provider");
            assert.ok(dependencyNames(resource(prod, "pulumi:providers:kubernetes", "dc1")).includes("dc1-health"));
            for (const [type, name] of [
                [release, "dc1-cert-manager-cert-manager"], ["kubernetes:core/v1:Namespace", "dc1-storage-namespace"], [release, "dc1-storage-piraeus"],
                ["kubernetes:yaml/v2:ConfigFile", "dc1-virtualization-kubevirt-operator"], ["kubernetes:yaml/v2:ConfigFile", "dc1-virtualization-cdi-operator"],
                ["kubernetes:core/v1:Namespace", "dc1-monitoring-namespace"], [release, "dc1-monitoring-prometheus"],
            ]) {
                assert.ok(deps(prod, type, name).includes("dc1-networking-cilium"), `${name} waits for Cilium`);
            }
        });

        it("declares LB pools only after Cilium's CRDs are established", () => {
            assert.deepEqual(deps(prod, "kubernetes:cilium.io/v2:CiliumLoadBalancerIPPool", "dc1-networking-lb-pool"), ["dc1-networking-cilium-crds"]);
            const gate = resource(prod, "command:local:Command", "dc1-networking-cilium-crds");
            assert.match(String(gate.inputs.create), /wait --for=condition=established .*crd\/ciliumloadbalancerippools\.cilium\.io/);
        });

        it("creates the LINSTOR resources after the operator and the CA issuer, StorageClasses after the cluster", () => {
            for (const name of ["dc1-storage-linstor-cluster"]) {
                assert.deepEqual(deps(prod, "kubernetes:piraeus.io/v1:LinstorCluster", name), ["dc1-cert-manager-ca-issuer", "dc1-networking-cilium", "dc1-storage-piraeus"]);
            }
            assert.ok(deps(prod, "kubernetes:storage.k8s.io/v1:StorageClass", "dc1-storage-replicated").includes("dc1-storage-linstor-cluster"));
        });

        it("creates KubeVirt and CDI resources after their operators, and waits for nothing else", () => {
            assert.deepEqual(deps(prod, "kubernetes:kubevirt.io/v1:KubeVirt", "dc1-virtualization-kubevirt"), ["dc1-networking-cilium", "dc1-virtualization-kubevirt-operator"]);
            assert.deepEqual(deps(prod, "kubernetes:cdi.kubevirt.io/v1beta1:CDI", "dc1-virtualization-cdi"), ["dc1-networking-cilium", "dc1-virtualization-cdi-operator"]);
        });

        it("keeps independent services independent: no edges between storage, virtualization and monitoring", () => {
            const groups = { storage: "dc1-storage", virtualization: "dc1-virtualization", monitoring: "dc1-monitoring" };
            for (const [group, prefix] of Object.entries(groups)) {
                const members = prod.resources.filter((r) => r.name.startsWith(prefix));
                for (const member of members) {
                    for (const dep of dependencyNames(member)) {
                        for (const [other, otherPrefix] of Object.entries(groups)) {
                            if (other !== group) assert.ok(!dep.startsWith(otherPrefix), `${member.name} must not wait for ${dep}`);
                        }
                    }
                }
            }
        });
    });

    describe("switches", () => {
        async function withPlatform(change: (platform: Values) => void): Promise<Evaluation> {
            const values = clone(stackValues("prod"));
            change(values["ironcloud:platform"] as Values);
            // Without LINSTOR, persistent disks name a StorageClass the site provides.
            if ((values["ironcloud:platform"] as Values).storage?.enabled === false) {
                for (const vm of values["ironcloud:vms"] as Values[]) vm.storageClass = "site-nfs";
            }
            return evaluateConfig("prod", values);
        }
        const removed = (before: Evaluation, after: Evaluation) => [...platformOnly(before)].filter((n) => !platformOnly(after).has(n)).sort();

        it("monitoring off removes exactly the monitoring stack and its monitors", async () => {
            const off = await withPlatform((p) => { p.monitoring = { enabled: false }; });
            assert.deepEqual(removed(prod, off), [
                "ironcloud:platform:Monitoring dc1-monitoring",
                "kubernetes:core/v1:Namespace dc1-monitoring-namespace",
                `${release} dc1-monitoring-prometheus`,
                ...["cert-manager", "cilium-agent", "cilium-operator", "linstor-satellite"].map((m) => `kubernetes:monitoring.coreos.com/v1:PodMonitor dc1-monitoring-${m}`),
            ].sort());
            assert.deepEqual([...platformOnly(off)].filter((n) => !platformOnly(prod).has(n)), []);
        });

        it("virtualization off removes exactly KubeVirt and CDI", async () => {
            const values = clone(stackValues("prod"));
            (values["ironcloud:platform"] as Values).virtualization = { enabled: false };
            values["ironcloud:vms"] = [];
            values["ironcloud:fleets"] = [];
            const withoutVms = clone(stackValues("prod"));
            withoutVms["ironcloud:vms"] = [];
            withoutVms["ironcloud:fleets"] = [];
            const [before, off] = await Promise.all([evaluateConfig("prod", withoutVms), evaluateConfig("prod", values)]);
            assert.deepEqual(removed(before, off), [
                "ironcloud:platform:Virtualization dc1-virtualization",
                "kubernetes:cdi.kubevirt.io/v1beta1:CDI dc1-virtualization-cdi",
                "kubernetes:kubevirt.io/v1:KubeVirt dc1-virtualization-kubevirt",
                "kubernetes:yaml/v2:ConfigFile dc1-virtualization-cdi-operator",
                "kubernetes:yaml/v2:ConfigFile dc1-virtualization-kubevirt-operator",
            ]);
        });

        it("virtualization provided by an existing cluster declares exactly none of KubeVirt and CDI", async () => {
            const existing = (virtualization: Values) => {
                const values = clone(stackValues("prod"));
                values["ironcloud:cluster"] = { name: "dc1", kubeconfig: "apiVersion: v1\nkind: Config\n" };
                Object.assign(values["ironcloud:platform"] as Values, { networking: { enabled: false }, virtualization });
                return evaluateConfig("prod", values);
            };
            const [installed, provided] = await Promise.all([existing({}), existing({ provided: true })]);
            assert.deepEqual(removed(installed, provided), [
                "ironcloud:platform:Virtualization dc1-virtualization",
                "kubernetes:cdi.kubevirt.io/v1beta1:CDI dc1-virtualization-cdi",
                "kubernetes:kubevirt.io/v1:KubeVirt dc1-virtualization-kubevirt",
                "kubernetes:yaml/v2:ConfigFile dc1-virtualization-cdi-operator",
                "kubernetes:yaml/v2:ConfigFile dc1-virtualization-kubevirt-operator",
            ]);
            assert.deepEqual([...platformOnly(provided)].filter((n) => !platformOnly(installed).has(n)), [], "adds nothing in their place");
            const operators: string[] = [manifests.kubevirtOperator, manifests.cdiOperator];
            assert.ok(!provided.resources.some((r) => operators.includes(r.inputs.file as string)), "no operator manifest");
            assert.equal(provided.outputs.platform && (provided.outputs.platform as Values).virtualization, true, "VMs can run");
        });

        it("storage off removes exactly LINSTOR, its StorageClasses and its monitor, and the DRBD modules", async () => {
            const off = await withPlatform((p) => { p.storage = { enabled: false }; });
            assert.deepEqual(removed(prod, off), [
                "ironcloud:platform:Storage dc1-storage",
                `${release} dc1-storage-piraeus`,
                "kubernetes:core/v1:Namespace dc1-storage-namespace",
                "kubernetes:monitoring.coreos.com/v1:PodMonitor dc1-monitoring-linstor-satellite",
                "kubernetes:piraeus.io/v1:LinstorCluster dc1-storage-linstor-cluster",
                "kubernetes:piraeus.io/v1:LinstorSatelliteConfiguration dc1-storage-storage-pool",
                "kubernetes:piraeus.io/v1:LinstorSatelliteConfiguration dc1-storage-talos-satellites",
                "kubernetes:storage.k8s.io/v1:StorageClass dc1-storage-local",
                "kubernetes:storage.k8s.io/v1:StorageClass dc1-storage-replicated",
            ].sort());
            const configs = (off.outputs.talos as { machineConfigs: { value: Record<string, string> } }).machineConfigs.value;
            assert.ok(!configs["worker-1"].includes("drbd"));
        });

        it("networking off removes Cilium, its pools and monitors", async () => {
            const off = await withPlatform((p) => { p.networking = { enabled: false }; });
            assert.deepEqual(removed(prod, off), [
                "ironcloud:platform:Networking dc1-networking",
                `${release} dc1-networking-cilium`,
                "kubernetes:cilium.io/v2:CiliumLoadBalancerIPPool dc1-networking-lb-pool",
                "kubernetes:cilium.io/v2alpha1:CiliumL2AnnouncementPolicy dc1-networking-l2-announcements",
                "kubernetes:monitoring.coreos.com/v1:PodMonitor dc1-monitoring-cilium-agent",
                "kubernetes:monitoring.coreos.com/v1:PodMonitor dc1-monitoring-cilium-operator",
            ].sort());
            assert.ok(![...names(off)].includes("command:local:Command dc1-networking-cilium-crds"));
        });

        it("cert-manager off removes cert-manager and its issuers (storage must be off too)", async () => {
            const off = await withPlatform((p) => { p.certManager = { enabled: false }; p.storage = { enabled: false }; });
            const storageOff = await withPlatform((p) => { p.storage = { enabled: false }; });
            assert.deepEqual(removed(storageOff, off), [
                "ironcloud:platform:CertManager dc1-cert-manager",
                `${release} dc1-cert-manager-cert-manager`,
                "kubernetes:cert-manager.io/v1:Certificate dc1-cert-manager-ca",
                "kubernetes:cert-manager.io/v1:ClusterIssuer dc1-cert-manager-ca-issuer",
                "kubernetes:cert-manager.io/v1:ClusterIssuer dc1-cert-manager-selfsigned",
                "kubernetes:monitoring.coreos.com/v1:PodMonitor dc1-monitoring-cert-manager",
            ].sort());
        });
    });

    describe("site extras", () => {
        it("declares extra Helm releases and manifests after the CNI, as the site wrote them", async () => {
            const values = clone(stackValues("prod"));
            Object.assign(values["ironcloud:platform"] as Values, {
                extraReleases: [{ name: "cnpg", namespace: "cnpg-system", chart: "cloudnative-pg", version: "0.26.1", repository: "https://cloudnative-pg.github.io/charts", values: { replicaCount: 2 } }],
                extraObjects: [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "site-info", namespace: "kube-public" }, data: { site: "dc1" } }],
            });
            const withExtras = await evaluateConfig("prod", values);
            const extraRelease = resource(withExtras, release, "dc1-extras-cnpg");
            assert.deepEqual([extraRelease.inputs.chart, extraRelease.inputs.version, extraRelease.inputs.namespace, extraRelease.inputs.repositoryOpts], ["cloudnative-pg", "0.26.1", "cnpg-system", { repo: "https://cloudnative-pg.github.io/charts" }]);
            assert.ok(dependencyNames(extraRelease).includes("dc1-networking-cilium"));
            const configMap = resource(withExtras, "kubernetes:core/v1:ConfigMap", "dc1-extras-configmap-kube-public-site-info");
            assert.deepEqual((configMap.inputs as Values).data, { site: "dc1" });
            assert.ok(!prod.resources.some((r) => r.type === "ironcloud:platform:Extras"), "no extras, no component");
        });
    });

    describe("offline plan", () => {
        let out: string;
        before(() => { out = mkdtempSync(join(tmpdir(), "ironcloud-platform-plan-")); });
        after(() => rmSync(out, { recursive: true, force: true }));

        it("writes the Helm values of each release for review", async () => {
            const lines: string[] = [];
            assert.equal(await runPlan({ stack: "prod", outDir: out, stacksDir: join(repoRoot, "stacks") }, (l) => lines.push(l)), 0);
            for (const file of ["cilium", "cert-manager", "piraeus-operator", "kube-prometheus-stack"]) assert.ok(existsSync(join(out, "prod", "platform", `${file}.yaml`)), file);
            const cilium = readFileSync(join(out, "prod", "platform", "cilium.yaml"), "utf8");
            assert.match(cilium, /^# cilium 1\.19\.6\n/);
            assert.equal(parse(cilium).k8sServicePort, 7445);
        });
    });
});

describe("Platform as a library component", () => {
    const kubeconfig = "apiVersion: v1\nkind: Config\n";
    const noConfig = { values: {}, secretKeys: [] };
    const argsError = (args: PlatformArgs): ComponentArgsError => {
        try {
            new Platform("lab", args);
        } catch (error) {
            if (error instanceof ComponentArgsError) return error;
            throw error;
        }
        throw new Error("Platform accepted the args");
    };
    const declare = (args: PlatformArgs, opts?: (ready: pulumi.Resource) => pulumi.ComponentResourceOptions) => evaluateStack("lib", noConfig, () => {
        const ready = new command.local.Command("cluster-ready", { create: "true" });
        const platform = new Platform("lab", args, opts?.(ready));
        return { storageClassNames: platform.storageClassNames, kubevirt: platform.virtualization?.kubevirt.urn };
    });
    const objectName = (evaluation: Evaluation, type: string, name: string) => (resource(evaluation, type, name).inputs as Values).metadata.name;

    describe("args", () => {
        it("lists every problem of the shape at once, with its path", () => {
            const error = argsError({
                kubeconfig: "", nodeCount: 0, controlPlanes: ["cp-1"], storage: { pool: "btrfs" as "lvm-thin", replicas: 9 }, caIssuerName: "Lab_CA", bogus: true,
            } as PlatformArgs);
            assert.deepEqual(error.problems, [
                { path: "platform.storage.pool", message: 'must be one of lvm-thin, zfs-thin, file-thin, not "btrfs"' },
                { path: "platform.storage.replicas", message: "must be at most 5" },
                { path: "platform.kubeconfig", message: "must not be empty" },
                { path: "platform.controlPlanes[0]", message: "must be an IPv4 or IPv6 address, e.g. 10.0.0.11" },
                { path: "platform.nodeCount", message: "must be at least 1" },
                { path: "platform.caIssuerName", message: "must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit" },
                { path: "platform.bogus", message: `unknown key; allowed: ${[...Object.keys(sections.platform.shape), "mirrors", "kubeconfig", "controlPlanes", "nodeCount", "environment",
                    "caIssuerName", "selfSignedIssuerName", "loadBalancerPoolName", "storageClassNames"].join(", ")}` },
            ]);
            for (const { path, message } of error.problems) assert.ok(error.message.includes(`Platform "lab": ${path}: ${message}`), path);
        });

        it("checks the rules of the stack config with the same messages, every problem at once", () => {
            const platform = { certManager: { enabled: false }, storage: { pool: "lvm-thin" as const, replicas: 1 }, virtualization: { enabled: false, provided: true, emulation: true } };
            const error = argsError({ ...platform, kubeconfig, environment: "prod", caIssuerName: "ca", selfSignedIssuerName: "ca", storageClassNames: { local: "fast", replicated: "fast" } });
            assert.deepEqual(error.problems.map((p) => p.path), [
                "platform.storage.replicas", "platform.certManager.enabled", "platform.storage.devices", "platform.virtualization.provided", "platform.virtualization.emulation",
                "platform.caIssuerName", "platform.storageClassNames.replicated",
            ]);
            assert.match(error.message, /platform\.storageClassNames\.replicated: "fast" is also storageClassNames\.local/);
            const values = clone(stackValues("prod"));
            values["ironcloud:platform"] = platform;
            const stackProblems = (() => {
                try {
                    parseStackConfig("prod", toProgramConfig(values).values);
                } catch (e) {
                    return (e as ConfigError).problems;
                }
                return [];
            })();
            for (const problem of error.problems.slice(0, 5)) assert.ok(stackProblems.some((p) => p.path === problem.path && p.message === problem.message), `${problem.path}: ${problem.message}`);
        });

        it("passes values from other resources on unchecked, and checks them when plain", async () => {
            await declare({ kubeconfig: pulumi.output(""), controlPlanes: [pulumi.output("not-an-address")], nodeCount: pulumi.output(0), storage: { pool: "file-thin" } });
            assert.match(argsError({ kubeconfig, controlPlanes: ["10.0.0.11", "not-an-address"], storage: { pool: "file-thin" } }).message, /platform\.controlPlanes\[1\]: must be an IPv4 or IPv6 address/);
        });
    });

    describe("objects", () => {
        const issuer = "kubernetes:cert-manager.io/v1:ClusterIssuer";
        const storageClass = "kubernetes:storage.k8s.io/v1:StorageClass";
        const pool = "kubernetes:cilium.io/v2:CiliumLoadBalancerIPPool";
        const l2Policy = "kubernetes:cilium.io/v2alpha1:CiliumL2AnnouncementPolicy";
        const lab = { kubeconfig, storage: { pool: "file-thin" as const }, loadBalancerIPs: ["10.0.0.200/29"] };

        it("applies the stack config's defaults and the default names", async () => {
            const evaluation = await declare(lab);
            const { platform } = resource(evaluation, "ironcloud:platform:Platform", "lab").inputs as Values;
            assert.deepEqual(platform, sections.platform.parse({ storage: lab.storage, loadBalancerIPs: lab.loadBalancerIPs }));
            assert.deepEqual([objectName(evaluation, issuer, "lab-cert-manager-ca-issuer"), objectName(evaluation, issuer, "lab-cert-manager-selfsigned")], ["ironcloud-ca", "ironcloud-selfsigned"]);
            assert.deepEqual([objectName(evaluation, pool, "lab-networking-lb-pool"), objectName(evaluation, l2Policy, "lab-networking-l2-announcements")], ["ironcloud", "ironcloud"]);
            assert.deepEqual([objectName(evaluation, storageClass, "lab-storage-local"), objectName(evaluation, storageClass, "lab-storage-replicated")], ["local", "replicated"]);
            assert.equal((resource(evaluation, storageClass, "lab-storage-replicated").inputs as Values).parameters["linstor.csi.linbit.com/placementCount"], "2");
            assert.equal((resource(evaluation, release, "lab-networking-cilium").inputs.values as Values).operator.replicas, 1, "nodeCount defaults to 1");
            assert.ok(!evaluation.resources.some((r) => r.type === "ironcloud:platform:Monitoring"), "monitoring is off by default");
            assert.deepEqual(evaluation.outputs.storageClassNames, { local: "local", replicated: "replicated" });
        });

        it("names the cluster-wide objects as told, and everything that refers to them", async () => {
            const evaluation = await declare({
                ...lab, caIssuerName: "lab-ca", selfSignedIssuerName: "lab-root", loadBalancerPoolName: "lab-pool", storageClassNames: { local: "lab-local", replicated: "lab-replicated" },
            });
            assert.deepEqual([objectName(evaluation, issuer, "lab-cert-manager-ca-issuer"), objectName(evaluation, issuer, "lab-cert-manager-selfsigned")], ["lab-ca", "lab-root"]);
            const certificate = resource(evaluation, "kubernetes:cert-manager.io/v1:Certificate", "lab-cert-manager-ca").inputs as Values;
            assert.deepEqual([certificate.metadata.name, certificate.spec.secretName, certificate.spec.issuerRef.name], ["lab-ca", "lab-ca", "lab-root"]);
            assert.equal((resource(evaluation, issuer, "lab-cert-manager-ca-issuer").inputs as Values).spec.ca.secretName, "lab-ca");
            const linstor = resource(evaluation, "kubernetes:piraeus.io/v1:LinstorCluster", "lab-storage-linstor-cluster").inputs as Values;
            const satellites = resource(evaluation, "kubernetes:piraeus.io/v1:LinstorSatelliteConfiguration", "lab-storage-talos-satellites").inputs as Values;
            assert.deepEqual([linstor.spec.apiTLS.certManager.name, linstor.spec.internalTLS.certManager.name, satellites.spec.internalTLS.certManager.name], ["lab-ca", "lab-ca", "lab-ca"]);
            assert.deepEqual([objectName(evaluation, pool, "lab-networking-lb-pool"), objectName(evaluation, l2Policy, "lab-networking-l2-announcements")], ["lab-pool", "lab-pool"]);
            assert.deepEqual([objectName(evaluation, storageClass, "lab-storage-local"), objectName(evaluation, storageClass, "lab-storage-replicated")], ["lab-local", "lab-replicated"]);
            assert.equal((resource(evaluation, "kubernetes:cdi.kubevirt.io/v1beta1:CDI", "lab-virtualization-cdi").inputs as Values).spec.config.scratchSpaceStorageClass, "lab-local");
            assert.deepEqual(evaluation.outputs.storageClassNames, { local: "lab-local", replicated: "lab-replicated" });
        });

        it("passes its dependsOn to every child, and takes the cluster's facts from other resources", async () => {
            const evaluation = await declare({
                ...lab, monitoring: { enabled: true }, controlPlanes: pulumi.output(["10.0.0.11", "10.0.0.12"]), nodeCount: pulumi.output(3),
                extraObjects: [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "site", namespace: "default" } }],
            }, (ready) => ({ dependsOn: [ready] }));
            const children = evaluation.resources.filter((r) => !r.type.startsWith("ironcloud:") && r.parent.includes("ironcloud:platform:"));
            assert.ok(children.length >= 20, `${children.length} children`);
            for (const child of children) assert.ok(dependencyNames(child).includes("cluster-ready"), `${child.type} ${child.name} waits for cluster-ready`);
            assert.deepEqual((resource(evaluation, release, "lab-monitoring-prometheus").inputs.values as Values).kubeEtcd.endpoints, ["10.0.0.11", "10.0.0.12"]);
            assert.equal((resource(evaluation, release, "lab-networking-cilium").inputs.values as Values).operator.replicas, 2);
        });

        it("prefixes the namespaces' resource names by their component, with an alias to the old name", async () => {
            const aliases = new Map<string, unknown>();
            const recordAliases: pulumi.ResourceTransformation = ({ type, name, opts }) => {
                if (type === "kubernetes:core/v1:Namespace") aliases.set(name, opts.aliases);
                return undefined;
            };
            const evaluation = await declare({ ...lab, monitoring: { enabled: true } }, () => ({ transformations: [recordAliases] }));
            assert.deepEqual([objectName(evaluation, "kubernetes:core/v1:Namespace", "lab-storage-namespace"), objectName(evaluation, "kubernetes:core/v1:Namespace", "lab-monitoring-namespace")],
                ["piraeus-datastore", "monitoring"]);
            assert.deepEqual(Object.fromEntries(aliases), { "lab-storage-namespace": [{ name: "piraeus-datastore" }], "lab-monitoring-namespace": [{ name: "monitoring" }] });
        });

        it("registers what each component exposes as its outputs", async () => {
            const evaluation = await declare({ ...lab, monitoring: { enabled: true }, extraObjects: [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "site" } }] });
            const outputsOf = (type: string) => Object.keys(evaluation.resources.find((r) => r.type === `ironcloud:platform:${type}`)?.outputs ?? {}).sort();
            assert.deepEqual(outputsOf("Platform"), [
                "caIssuerName", "certManager", "extras", "loadBalancerPoolName", "monitoring", "networking", "storage", "storageClassNames", "virtualization",
            ]);
            assert.deepEqual(outputsOf("Networking"), ["cilium", "loadBalancerPoolName", "values"]);
            assert.deepEqual(outputsOf("CertManager"), ["caIssuer", "caIssuerName"]);
            assert.deepEqual(outputsOf("Storage"), ["defaultStorageClass", "storageClassNames", "storageClasses"]);
            assert.deepEqual(outputsOf("Virtualization"), ["cdi", "kubevirt"]);
            assert.deepEqual(outputsOf("Monitoring"), ["prometheus", "values"]);
            assert.deepEqual(outputsOf("Extras"), ["kubernetesObjects", "releases"]);
            const storage = evaluation.resources.find((r) => r.type === "ironcloud:platform:Storage")?.outputs as Values;
            assert.deepEqual([storage.storageClassNames, storage.defaultStorageClass], [{ local: "local", replicated: "replicated" }, "replicated"]);
        });
    });
});
