import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { ClusterConfig, NodeConfig } from "../../infra/config";
import { childOptions } from "../platform/namespace";
import { renderKubeconfig, renderTalosconfig } from "./clientConfigs";
import { clientCertificate } from "./clientCertificate";
import { CheckedClusterArgs, checkClusterArgs, TalosClusterArgs } from "./clusterArgs";
import { BootAssets, clusterImage, schematicId } from "./imageFactory";
import { renderMachineConfig } from "./machineConfig";
import { TalosSecrets } from "./secrets";
import { filesStdin, scriptStdin } from "../shell/privateScript";
import { appliedRecord, configRecord, configSyncScript, firstApplyScript, kubernetesRecord, kubernetesUpgradeScript, nodeFiles, removalScript, upgradeRecord, upgradeScript } from "./day2";
import { bootstrapScript, readinessScript } from "./talosctl";

export type { TalosClusterArgs, TalosNodeArgs } from "./clusterArgs";

/** Bounded waits (20 minutes each): a node installs Talos and reboots before etcd can start. */
const lifecycleRetry = { attempts: 120, delaySeconds: 10 };

/**
 * A Talos cluster from bare metal: PKI, one machine config per node, apply on first contact,
 * bootstrap once, a health gate, and admin credentials built locally from the CAs. Everything
 * later layers need waits on `ready`. Day 2 is declarative: a new installer image rolls through
 * the nodes one at a time (control planes first), a new Kubernetes version follows once, and
 * changed configs are applied node by node after both.
 */
export class TalosCluster extends pulumi.ComponentResource {
    /** Admin kubeconfig (cluster-admin, a client certificate renewed by `pulumi up`); a secret. Its server is the `endpoint`. */
    readonly kubeconfig: pulumi.Output<string>;
    /** Admin talosconfig (`os:admin`) for the control planes; a secret. */
    readonly talosconfig: pulumi.Output<string>;
    /** Each node's machine config (YAML) by node name; a secret, for `talosctl apply-config` by hand or PXE boot. */
    readonly machineConfigs: pulumi.Output<Record<string, string>>;
    /** The Image Factory schematic (YAML) of the extensions and kernel arguments. */
    readonly schematic: string;
    /** The installer image and boot media (ISO, PXE) built from `schematic` for the Talos version and architecture. */
    readonly bootAssets: BootAssets;
    /** Completes when the cluster passed its health check: a Kubernetes provider and everything on the cluster wait for it. */
    readonly ready: pulumi.Resource;

    /** Throws a ComponentArgsError listing every problem of `args` before anything is declared. */
    constructor(name: string, args: TalosClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        const checked = checkClusterArgs(name, args);
        super("ironcloud:talos:TalosCluster", name, talosClusterSummary(checked), opts);
        // Every child waits for what the component was told to wait for (opts.dependsOn).
        const inside = (after: pulumi.Input<pulumi.Resource>[] = []) => childOptions(this, opts, after);
        const { cluster, endpoint } = checked;
        const nodes = cluster.nodes ?? [];
        const controlPlanes = nodes.filter((n) => n.role === "controlplane");

        ({ schematic: this.schematic, assets: this.bootAssets } = imageOf(cluster));

        const secrets = new TalosSecrets(name, inside());
        const configs = Object.fromEntries(nodes.map((node) => [node.name, pulumi.secret(pulumi.all([secrets.bundle, endpoint]).apply(([bundle, knownEndpoint]) =>
            renderMachineConfig({ cluster: { ...cluster, endpoint: knownEndpoint }, node, installImage: this.bootAssets.installerImage, secrets: bundle, drbd: checked.drbd, monitoring: checked.monitoring, airGapped: checked.airGapped })))]));
        this.machineConfigs = pulumi.secret(pulumi.all(configs));

        const kubernetesAdmin = clientCertificate(`${name}-kubernetes-admin`, {
            ca: secrets.kubernetesCa,
            key: { algorithm: "ECDSA", ecdsaCurve: "P256" },
            subject: { commonName: "admin", organization: "system:masters" },
            renewalDays: cluster.clientCertificateRenewalDays,
        }, inside());
        const talosAdmin = clientCertificate(`${name}-talos-admin`, {
            ca: secrets.osCa,
            key: { algorithm: "ED25519" },
            subject: { organization: "os:admin" },
            renewalDays: cluster.clientCertificateRenewalDays,
        }, inside());
        const addresses = (list: NodeConfig[]) => list.map((n) => n.address);
        this.kubeconfig = pulumi.secret(pulumi.all([kubernetesAdmin, endpoint]).apply(([c, server]) => renderKubeconfig(cluster.name, server, c)));
        this.talosconfig = pulumi.secret(talosAdmin.apply((c) => renderTalosconfig(cluster.name, addresses(controlPlanes), addresses(controlPlanes), c)));

        // One stdin for every per-node script: the first apply, the removal and config changes.
        const nodeStdin = (node: NodeConfig) => pulumi.secret(pulumi.all([this.talosconfig, this.kubeconfig, configs[node.name]])
            .apply(([talosconfig, kubeconfig, config]) => filesStdin(nodeFiles, { talosconfig, kubeconfig, "config.yaml": config })));
        const talosconfigStdin = pulumi.secret(this.talosconfig.apply((talosconfig) => filesStdin(["talosconfig"], { talosconfig })));
        const adminStdin = pulumi.secret(pulumi.all([this.talosconfig, this.kubeconfig])
            .apply(([talosconfig, kubeconfig]) => filesStdin(["talosconfig", "kubeconfig"], { talosconfig, kubeconfig })));
        const applies = nodes.map((node) => new command.local.Command(`${name}-apply-${node.name}`, {
            create: firstApplyScript(node).text,
            update: appliedRecord(node).text,
            delete: removalScript(node, node.reset || cluster.allowReset).text,
            stdin: nodeStdin(node),
        }, inside()));
        const controlPlaneApplies = applies.filter((_, i) => nodes[i].role === "controlplane");

        const bootstrap = bootstrapScript(controlPlanes[0].address, lifecycleRetry);
        const bootstrapped = new command.local.Command(`${name}-bootstrap`, {
            create: bootstrap.text,
            stdin: pulumi.secret(this.talosconfig.apply((talosconfig) => scriptStdin(bootstrap, { talosconfig }))),
        }, { ...inside(controlPlaneApplies), ignoreChanges: ["stdin"] });

        const readiness = readinessScript({ controlPlanes: addresses(controlPlanes), nodeCount: nodes.length }, lifecycleRetry);
        this.ready = new command.local.Command(`${name}-health`, {
            create: readiness.text,
            stdin: pulumi.secret(pulumi.all([this.talosconfig, this.kubeconfig])
                .apply(([talosconfig, kubeconfig]) => scriptStdin(readiness, { talosconfig, kubeconfig }))),
        }, inside([bootstrapped, ...applies]));

        // Day 2, one node at a time: OS upgrades (control planes first), then Kubernetes, then configs.
        // Each step's inputs name the target and its own node only, so adding a node leaves the
        // others' steps unchanged; what a step does on other input changes (renewed credentials
        // on stdin) is decided by reading the node first — see day2.ts.
        const rolloutOrder = [...controlPlanes, ...nodes.filter((n) => n.role === "worker")];
        const target = { image: this.bootAssets.installerImage, talosVersion: cluster.talosVersion, schematic: schematicId(this.schematic) };
        let previous: pulumi.Resource = this.ready;
        for (const node of rolloutOrder) {
            previous = new command.local.Command(`${name}-upgrade-${node.name}`, {
                create: upgradeRecord(node, target).text,
                update: upgradeScript(node, target, controlPlanes[0].address).text,
                stdin: talosconfigStdin,
            }, inside([previous]));
        }
        previous = new command.local.Command(`${name}-upgrade-kubernetes`, {
            create: kubernetesRecord(cluster.kubernetesVersion).text,
            update: kubernetesUpgradeScript(cluster.kubernetesVersion, controlPlanes[0].address).text,
            stdin: adminStdin,
        }, inside([previous]));
        for (const node of rolloutOrder) {
            previous = new command.local.Command(`${name}-config-${node.name}`, {
                create: configRecord(node).text,
                update: configSyncScript(node).text,
                stdin: nodeStdin(node),
            }, inside([previous]));
        }

        // The summary again as outputs: under the CLI a stack policy sees a component's registered
        // outputs, not its constructor inputs (storage-needs-drbd reads extensions and kernelModules).
        this.registerOutputs({
            ...talosClusterSummary(checked),
            kubeconfig: this.kubeconfig,
            talosconfig: this.talosconfig,
            machineConfigs: this.machineConfigs,
            schematic: this.schematic,
            bootAssets: this.bootAssets,
            ready: this.ready,
        });
    }
}

/**
 * What the cluster is, as the component's inputs (resource policies) and registered outputs
 * (stack policies); reviewers read it too. The machine configs themselves are secrets.
 */
export function talosClusterSummary({ cluster, drbd }: CheckedClusterArgs) {
    const nodes = cluster.nodes ?? [];
    return {
        clusterName: cluster.name,
        talosVersion: cluster.talosVersion,
        kubernetesVersion: cluster.kubernetesVersion,
        controlPlanes: nodes.filter((n) => n.role === "controlplane").length,
        workers: nodes.filter((n) => n.role === "worker").length,
        extensions: cluster.extensions,
        kernelModules: drbd ? ["drbd", "drbd_transport_tcp"] : [],
        diskEncryption: cluster.diskEncryption,
        installerImage: imageOf(cluster).assets.installerImage,
    };
}

/** The Image Factory schematic of the cluster's extensions and kernel arguments, and its boot assets. */
function imageOf(cluster: ClusterConfig): { schematic: string; assets: BootAssets } {
    return clusterImage(cluster, cluster.architecture);
}
