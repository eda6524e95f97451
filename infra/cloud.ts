import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { TalosCluster } from "../components/talos/cluster";
import { CloudSpec } from "./config";

/** The stack outputs: what a person or a later stack needs from this cluster. */
export interface CloudOutputs {
    environment: string;
    clusterName: string;
    kubeconfig: pulumi.Output<string>;
    talos?: {
        talosconfig: pulumi.Output<string>;
        machineConfigs: pulumi.Output<Record<string, string>>;
        versions: { talos: string; kubernetes: string };
        nodes: { name: string; address: string; role: string }[];
        schematic: string;
        schematicId: string;
        installerImage: string;
        pxeScript: string;
        kernel: string;
        initramfs: string;
        cmdline: string;
        iso: string;
        rawDisk: string;
    };
}

/**
 * Wires the components of one cluster. Only real dependencies are edges: the Kubernetes
 * provider (and everything declared through it) waits for the Talos health gate.
 */
export function declareCloud(spec: CloudSpec): CloudOutputs {
    const { cluster } = spec;
    if (cluster.kubeconfig !== undefined) {
        const kubeconfig = pulumi.secret(cluster.kubeconfig);
        new k8s.Provider(cluster.name, { kubeconfig });
        return { environment: spec.environment, clusterName: cluster.name, kubeconfig };
    }

    const talos = new TalosCluster(cluster.name, { cluster, drbd: spec.platform.storage.enabled });
    new k8s.Provider(cluster.name, { kubeconfig: talos.kubeconfig }, { dependsOn: talos.ready });
    return {
        environment: spec.environment,
        clusterName: cluster.name,
        kubeconfig: talos.kubeconfig,
        talos: {
            talosconfig: talos.talosconfig,
            machineConfigs: talos.machineConfigs,
            versions: { talos: cluster.talosVersion, kubernetes: cluster.kubernetesVersion },
            nodes: (cluster.nodes ?? []).map(({ name, address, role }) => ({ name, address, role })),
            schematic: talos.schematic,
            ...talos.bootAssets,
        },
    };
}
