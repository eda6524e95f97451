import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { ClusterConfig, NodeConfig } from "../../infra/config";
import { renderKubeconfig, renderTalosconfig } from "./clientConfigs";
import { clientCertificate } from "./clientCertificate";
import { BootAssets, bootAssets, schematicId, schematicYaml } from "./imageFactory";
import { renderMachineConfig } from "./machineConfig";
import { TalosSecrets } from "./secrets";
import { filesStdin, scriptStdin } from "../shell/privateScript";
import { appliedRecord, configRecord, configSyncScript, firstApplyScript, kubernetesRecord, kubernetesUpgradeScript, nodeFiles, removalScript, upgradeRecord, upgradeScript } from "./day2";
import { bootstrapScript, readinessScript } from "./talosctl";

export interface TalosClusterArgs {
    cluster: ClusterConfig;
    /** Load the DRBD kernel modules (LINSTOR storage is on). */
    drbd: boolean;
    /** Expose etcd, scheduler and controller-manager metrics to the monitoring stack. */
    monitoring: boolean;
}

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
    readonly kubeconfig: pulumi.Output<string>;
    readonly talosconfig: pulumi.Output<string>;
    readonly machineConfigs: pulumi.Output<Record<string, string>>;
    readonly schematic: string;
    readonly bootAssets: BootAssets;
    /** Completes when the cluster passed its health check. */
    readonly ready: command.local.Command;

    constructor(name: string, args: TalosClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ironcloud:talos:TalosCluster", name, talosClusterSummary(args), opts);
        const parent = { parent: this };
        const { cluster } = args;
        const nodes = cluster.nodes ?? [];
        const controlPlanes = nodes.filter((n) => n.role === "controlplane");

        ({ schematic: this.schematic, assets: this.bootAssets } = imageOf(cluster));

        const secrets = new TalosSecrets(name, parent);
        const configs = Object.fromEntries(nodes.map((node) => [node.name, pulumi.secret(secrets.bundle.apply((bundle) =>
            renderMachineConfig({ cluster, node, installImage: this.bootAssets.installerImage, secrets: bundle, drbd: args.drbd, monitoring: args.monitoring })))]));
        this.machineConfigs = pulumi.secret(pulumi.all(configs));

        const kubernetesAdmin = clientCertificate(`${name}-kubernetes-admin`, {
            ca: secrets.kubernetesCa,
            key: { algorithm: "ECDSA", ecdsaCurve: "P256" },
            subject: { commonName: "admin", organization: "system:masters" },
            renewalDays: cluster.clientCertificateRenewalDays,
        }, parent);
        const talosAdmin = clientCertificate(`${name}-talos-admin`, {
            ca: secrets.osCa,
            key: { algorithm: "ED25519" },
            subject: { organization: "os:admin" },
            renewalDays: cluster.clientCertificateRenewalDays,
        }, parent);
        const addresses = (list: NodeConfig[]) => list.map((n) => n.address);
        this.kubeconfig = pulumi.secret(kubernetesAdmin.apply((c) => renderKubeconfig(cluster.name, cluster.endpoint as string, c)));
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
        }, parent));
        const controlPlaneApplies = applies.filter((_, i) => nodes[i].role === "controlplane");

        const bootstrap = bootstrapScript(controlPlanes[0].address, lifecycleRetry);
        const bootstrapped = new command.local.Command(`${name}-bootstrap`, {
            create: bootstrap.text,
            stdin: pulumi.secret(this.talosconfig.apply((talosconfig) => scriptStdin(bootstrap, { talosconfig }))),
        }, { ...parent, dependsOn: controlPlaneApplies, ignoreChanges: ["stdin"] });

        const readiness = readinessScript({ controlPlanes: addresses(controlPlanes), nodeCount: nodes.length }, lifecycleRetry);
        this.ready = new command.local.Command(`${name}-health`, {
            create: readiness.text,
            stdin: pulumi.secret(pulumi.all([this.talosconfig, this.kubeconfig])
                .apply(([talosconfig, kubeconfig]) => scriptStdin(readiness, { talosconfig, kubeconfig }))),
        }, { ...parent, dependsOn: [bootstrapped, ...applies] });

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
            }, { ...parent, dependsOn: [previous] });
        }
        previous = new command.local.Command(`${name}-upgrade-kubernetes`, {
            create: kubernetesRecord(cluster.kubernetesVersion).text,
            update: kubernetesUpgradeScript(cluster.kubernetesVersion, controlPlanes[0].address).text,
            stdin: adminStdin,
        }, { ...parent, dependsOn: [previous] });
        for (const node of rolloutOrder) {
            previous = new command.local.Command(`${name}-config-${node.name}`, {
                create: configRecord(node).text,
                update: configSyncScript(node).text,
                stdin: nodeStdin(node),
            }, { ...parent, dependsOn: [previous] });
        }

        // The summary again as outputs: under the CLI a stack policy sees a component's registered
        // outputs, not its constructor inputs (storage-needs-drbd reads extensions and kernelModules).
        this.registerOutputs({
            ...talosClusterSummary(args),
            kubeconfig: this.kubeconfig,
            talosconfig: this.talosconfig,
            machineConfigs: this.machineConfigs,
            bootAssets: this.bootAssets,
        });
    }
}

/**
 * What the cluster is, as the component's inputs (resource policies) and registered outputs
 * (stack policies); reviewers read it too. The machine configs themselves are secrets.
 */
export function talosClusterSummary({ cluster, drbd }: TalosClusterArgs) {
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
    const schematic = schematicYaml({ extensions: cluster.extensions, kernelArgs: cluster.kernelArgs });
    return { schematic, assets: bootAssets(schematicId(schematic), cluster.talosVersion, cluster.architecture) };
}
