import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { ClusterConfig, NodeConfig } from "../../infra/config";
import { renderKubeconfig, renderTalosconfig } from "./clientConfigs";
import { clientCertificate } from "./clientCertificate";
import { BootAssets, bootAssets, schematicId, schematicYaml } from "./imageFactory";
import { renderMachineConfig } from "./machineConfig";
import { TalosSecrets } from "./secrets";
import { scriptStdin } from "../shell/privateScript";
import { applyInsecureScript, applySecureScript, bootstrapScript, readinessScript } from "./talosctl";

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
 * bootstrap once, a health gate, and admin credentials built locally from the CAs.
 * Everything later layers need waits on `ready`.
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

        this.schematic = schematicYaml({ extensions: cluster.extensions, kernelArgs: cluster.kernelArgs });
        this.bootAssets = bootAssets(schematicId(this.schematic), cluster.talosVersion, cluster.architecture);

        const secrets = new TalosSecrets(name, parent);
        const configs = Object.fromEntries(nodes.map((node) => [node.name, pulumi.secret(secrets.bundle.apply((bundle) =>
            renderMachineConfig({ cluster, node, installImage: this.bootAssets.installerImage, secrets: bundle, drbd: args.drbd, monitoring: args.monitoring })))]));
        this.machineConfigs = pulumi.secret(pulumi.all(configs));

        const kubernetesAdmin = clientCertificate(`${name}-kubernetes-admin`, {
            ca: secrets.kubernetesCa,
            key: { algorithm: "ECDSA", ecdsaCurve: "P256" },
            subject: { commonName: "admin", organization: "system:masters" },
        }, parent);
        const talosAdmin = clientCertificate(`${name}-talos-admin`, {
            ca: secrets.osCa,
            key: { algorithm: "ED25519" },
            subject: { organization: "os:admin" },
        }, parent);
        const addresses = (list: NodeConfig[]) => list.map((n) => n.address);
        this.kubeconfig = pulumi.secret(kubernetesAdmin.apply((c) => renderKubeconfig(cluster.name, cluster.endpoint as string, c)));
        this.talosconfig = pulumi.secret(talosAdmin.apply((c) => renderTalosconfig(cluster.name, addresses(controlPlanes), addresses(controlPlanes), c)));

        const applies = nodes.map((node) => {
            const first = applyInsecureScript(node.address);
            const stdin = pulumi.all([this.talosconfig, configs[node.name]])
                .apply(([talosconfig, config]) => scriptStdin(first, { talosconfig, "config.yaml": config }));
            return new command.local.Command(`${name}-apply-${node.name}`, {
                create: first.text,
                update: applySecureScript(node.address).text,
                stdin: pulumi.secret(stdin),
            }, parent);
        });
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

        this.registerOutputs({
            kubeconfig: this.kubeconfig,
            talosconfig: this.talosconfig,
            machineConfigs: this.machineConfigs,
            bootAssets: this.bootAssets,
        });
    }
}

/**
 * What the cluster is, as the component's inputs: CrossGuard policies and reviewers read these
 * (the machine configs themselves are secrets).
 */
export function talosClusterSummary({ cluster, drbd }: TalosClusterArgs) {
    const nodes = cluster.nodes ?? [];
    const schematic = schematicYaml({ extensions: cluster.extensions, kernelArgs: cluster.kernelArgs });
    return {
        clusterName: cluster.name,
        talosVersion: cluster.talosVersion,
        kubernetesVersion: cluster.kubernetesVersion,
        controlPlanes: nodes.filter((n) => n.role === "controlplane").length,
        workers: nodes.filter((n) => n.role === "worker").length,
        extensions: cluster.extensions,
        kernelModules: drbd ? ["drbd", "drbd_transport_tcp"] : [],
        diskEncryption: cluster.diskEncryption,
        installerImage: bootAssets(schematicId(schematic), cluster.talosVersion, cluster.architecture).installerImage,
    };
}
