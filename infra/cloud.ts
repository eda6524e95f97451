import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AirGap } from "../components/airGap";
import { Platform } from "../components/platform/platform";
import { TalosCluster } from "../components/talos/cluster";
import { BootAssets } from "../components/talos/imageFactory";
import { VmService } from "../components/vms/vmService";
import { airGapFetches, declaredSources } from "./airGap";
import { CloudSpec } from "./config";

/** The stack outputs: what a person or a later stack needs from this cluster. */
export interface CloudOutputs {
    environment: string;
    clusterName: string;
    kubeconfig: pulumi.Output<string>;
    platform: PlatformOutputs;
    access?: VmOutputs["access"];
    vms: VmOutputs["vms"];
    talos?: {
        talosconfig: pulumi.Output<string>;
        machineConfigs: pulumi.Output<Record<string, string>>;
        versions: { talos: string; kubernetes: string };
        nodes: { name: string; address: string; role: string }[];
        schematic: string;
    } & BootAssets;
}

/**
 * Wires the components of one cluster. Only real dependencies are edges: the Kubernetes
 * provider (and everything declared through it) waits for the Talos health gate.
 */
export function declareCloud(spec: CloudSpec): CloudOutputs {
    const { cluster } = spec;
    // The declaration the air-gapped policy checks every resource and fetch against.
    if (spec.mirrors.airGapped) new AirGap(`${cluster.name}-air-gap`, { declared: declaredSources(spec), fetches: airGapFetches(spec) });
    if (cluster.kubeconfig !== undefined) {
        const kubeconfig = pulumi.secret(cluster.kubeconfig);
        const { platform, services } = declareServices(spec, kubeconfig, new k8s.Provider(cluster.name, { kubeconfig }));
        return { environment: spec.environment, clusterName: cluster.name, kubeconfig, platform: platformOutputs(spec, platform), ...vmOutputs(services) };
    }

    const talos = new TalosCluster(cluster.name, {
        ...cluster,
        // parseStackConfig refused a Talos cluster without endpoint or nodes already.
        endpoint: cluster.endpoint as string,
        nodes: cluster.nodes ?? [],
        drbd: spec.platform.storage.enabled,
        monitoring: spec.platform.monitoring.enabled,
        airGapped: spec.mirrors.airGapped,
    });
    const provider = new k8s.Provider(cluster.name, { kubeconfig: talos.kubeconfig }, { dependsOn: talos.ready });
    const { platform, services } = declareServices(spec, talos.kubeconfig, provider);
    return {
        platform: platformOutputs(spec, platform),
        ...vmOutputs(services),
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

function declareServices(spec: CloudSpec, kubeconfig: pulumi.Output<string>, provider: k8s.Provider): { platform: Platform; services: VmService } {
    const nodes = spec.cluster.nodes ?? [];
    const platform = new Platform(spec.cluster.name, {
        ...spec.platform,
        mirrors: { charts: spec.mirrors.charts, manifests: spec.mirrors.manifests },
        environment: spec.environment,
        kubeconfig,
        controlPlanes: nodes.filter((n) => n.role === "controlplane").map((n) => n.address),
        // An existing cluster lists no nodes; it keeps its own CNI, so no Cilium operator to size.
        ...(nodes.length > 0 ? { nodeCount: nodes.length } : {}),
    }, { provider });
    // No Virtualization when the cluster provides KubeVirt and CDI itself: VMs then wait only for their namespace.
    const { virtualization } = platform;
    const services = new VmService(`${spec.cluster.name}-vms`, {
        environment: spec.environment,
        teams: spec.teams,
        vms: spec.vms,
        fleets: spec.fleets,
        operatingSystems: spec.operatingSystems,
        access: spec.access,
        dnsDomain: spec.cluster.network.dnsDomain,
        ...(platform.storage ? { defaultStorageClass: platform.storage.defaultStorageClass } : {}),
        kubevirtReady: virtualization ? [virtualization.kubevirt] : [],
        cdiReady: virtualization ? [virtualization.cdi] : [],
    }, { provider });
    return { platform, services };
}

/** How people reach their VMs. */
export interface VmOutputs {
    access?: {
        jumpHost: { addresses: string[]; port: number; user: string };
        sshConfig: string;
        knownHosts: pulumi.Output<string[]>;
    };
    vms: { name: string; team: string; fqdn: string; os: string; version: string }[];
}

function vmOutputs(service: VmService): VmOutputs {
    const { access } = service;
    return {
        ...(access ? { access: { jumpHost: access.endpoint, sshConfig: access.sshConfig, knownHosts: access.knownHosts } } : {}),
        vms: service.vms.map(({ name, team, fqdn, os, version }) => ({ name, team, fqdn, os, version })),
    };
}

/** What the platform offers, for people and later stacks. */
export interface PlatformOutputs {
    loadBalancerIPs: string[];
    storageClasses: string[];
    defaultStorageClass?: string;
    virtualization: boolean;
    monitoring: boolean;
}

function platformOutputs({ platform }: CloudSpec, { storageClassNames }: Platform): PlatformOutputs {
    const storage = platform.storage.enabled;
    return {
        loadBalancerIPs: platform.networking.enabled ? platform.loadBalancerIPs : [],
        storageClasses: storage ? [storageClassNames.local, storageClassNames.replicated] : [],
        ...(storage ? { defaultStorageClass: storageClassNames[platform.storage.defaultClass] } : {}),
        virtualization: platform.virtualization.enabled,
        monitoring: platform.monitoring.enabled,
    };
}
