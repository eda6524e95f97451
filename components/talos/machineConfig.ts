import { stringify } from "yaml";
import { ClusterConfig, NodeConfig } from "../../infra/config";
import { kubernetesImages } from "../../infra/versions";
import { applyPatches, TalosDocument, TalosPatch } from "./patches";
import { TalosSecretsBundle } from "./secretsBundle";

/**
 * Talos v1.13 machine configs: the v1alpha1 document plus the newer per-feature documents
 * (HostnameConfig, Layer2VIPConfig, VolumeConfig, RegistryMirrorConfig). Pure: plain values in,
 * YAML out, so every option is tested without Pulumi and validated by Talos itself.
 */

export interface MachineConfigInput {
    cluster: ClusterConfig;
    node: NodeConfig;
    installImage: string;
    secrets: TalosSecretsBundle;
    /** LINSTOR needs DRBD: load the modules the siderolabs/drbd extension ships. */
    drbd: boolean;
    /** Serve control-plane metrics on the node address for Prometheus (Talos binds them to localhost). */
    monitoring: boolean;
    /** No public host is reachable: the discovery service registry (discovery.talos.dev) is off. */
    airGapped?: boolean;
}

export function renderMachineConfig(input: MachineConfigInput): string {
    return machineConfigDocuments(input).map((doc) => stringify(doc, { lineWidth: 0 })).join("---\n");
}

export function machineConfigDocuments(input: MachineConfigInput): TalosDocument[] {
    const { cluster, node } = input;
    const docs: TalosDocument[] = [
        v1alpha1Config(input),
        { apiVersion: "v1alpha1", kind: "HostnameConfig", hostname: node.name },
        ...vipDocuments(cluster, node),
        ...encryptionDocuments(cluster.diskEncryption),
        ...registryMirrorDocuments(cluster.registryMirrors),
    ];
    const patches: TalosPatch[] = [...cluster.patches.all, ...cluster.patches[node.role], ...node.patches];
    return applyPatches(docs, patches);
}

function v1alpha1Config(input: MachineConfigInput): TalosDocument {
    const isControlPlane = input.node.role === "controlplane";
    return {
        version: "v1alpha1",
        debug: false,
        machine: machineSection(input, isControlPlane),
        cluster: isControlPlane ? controlPlaneClusterSection(input) : workerClusterSection(input),
    };
}

function machineSection({ cluster, node, installImage, secrets, drbd }: MachineConfigInput, isControlPlane: boolean) {
    const { kubelet } = cluster;
    return {
        type: node.role,
        token: secrets.trustdToken,
        ca: isControlPlane ? caWithKey(secrets.osCa) : caCertOnly(secrets.osCa),
        certSANs: unique([...(cluster.vip ? [cluster.vip] : []), node.address, ...cluster.certSANs]),
        kubelet: {
            image: `${kubernetesImages.kubelet}:v${cluster.kubernetesVersion}`,
            defaultRuntimeSeccompProfileEnabled: true,
            disableManifestsDirectory: true,
            // Reserve room for the OS and the kubelet so a greedy pod is evicted, not the node.
            extraConfig: {
                // Setting systemReserved replaces Talos's defaults, so its pid and disk reserve stay.
                systemReserved: { cpu: kubelet.systemReserved.cpu, memory: kubelet.systemReserved.memory, pid: "100", "ephemeral-storage": "256Mi" },
                kubeReserved: { cpu: kubelet.kubeReserved.cpu, memory: kubelet.kubeReserved.memory },
                evictionHard: {
                    "memory.available": kubelet.evictionHard.memoryAvailable,
                    "nodefs.available": kubelet.evictionHard.nodefsAvailable,
                    "imagefs.available": kubelet.evictionHard.imagefsAvailable,
                },
            },
            // With a VIP or several interfaces the kubelet must register the node's own address.
            ...(cluster.network.nodeSubnet ? { nodeIP: { validSubnets: [cluster.network.nodeSubnet] } } : {}),
        },
        install: { disk: node.installDisk ?? cluster.installDisk, image: installImage, wipe: false, grubUseUKICmdline: true },
        features: {
            diskQuotaSupport: true,
            // Cilium reaches the API server through KubePrism on every node.
            kubePrism: { enabled: true, port: 7445 },
            hostDNS: { enabled: true, forwardKubeDNSToHost: true },
        },
        ...(drbd ? { kernel: { modules: [{ name: "drbd", parameters: ["usermode_helper=disabled"] }, { name: "drbd_transport_tcp" }] } } : {}),
        ...nodeLabels(node, isControlPlane),
        ...(node.taints.length > 0 ? { nodeTaints: Object.fromEntries(node.taints.map((t) => [t.key, `${t.value ?? ""}:${t.effect}`])) } : {}),
    };
}

function sharedClusterSection({ cluster, secrets, airGapped }: MachineConfigInput) {
    return {
        id: secrets.clusterId,
        secret: secrets.clusterSecret,
        controlPlane: { endpoint: cluster.endpoint },
        clusterName: cluster.name,
        network: {
            dnsDomain: cluster.network.dnsDomain,
            podSubnets: cluster.network.podSubnets,
            serviceSubnets: cluster.network.serviceSubnets,
            // Cilium is the CNI and replaces kube-proxy; Talos installs neither.
            cni: { name: "none" },
        },
        token: secrets.bootstrapToken,
        discovery: { enabled: true, registries: { kubernetes: { disabled: true }, service: airGapped ? { disabled: true } : {} } },
    };
}

function workerClusterSection(input: MachineConfigInput) {
    return { ...sharedClusterSection(input), ca: caCertOnly(input.secrets.kubernetesCa) };
}

function controlPlaneClusterSection(input: MachineConfigInput) {
    const { cluster, secrets, node } = input;
    const version = `v${cluster.kubernetesVersion}`;
    const eventsEtcd = cluster.eventsEtcd ? { "etcd-servers-overrides": `/events#${cluster.eventsEtcd.endpoints.join(";")}` } : undefined;
    return {
        ...sharedClusterSection(input),
        secretboxEncryptionSecret: secrets.secretboxEncryptionSecret,
        ca: caWithKey(secrets.kubernetesCa),
        aggregatorCA: caWithKey(secrets.aggregatorCa),
        serviceAccount: { key: base64(secrets.serviceAccountKey) },
        apiServer: {
            image: `${kubernetesImages.apiServer}:${version}`,
            certSANs: unique([...(cluster.vip ? [cluster.vip] : []), endpointHost(cluster.endpoint), node.address, ...cluster.certSANs]),
            ...(eventsEtcd ? { extraArgs: eventsEtcd } : {}),
            admissionControl: [podSecurityAdmission],
            auditPolicy: { apiVersion: "audit.k8s.io/v1", kind: "Policy", rules: [{ level: "Metadata" }] },
        },
        controllerManager: { image: `${kubernetesImages.controllerManager}:${version}`, ...metricsBinding(input.monitoring) },
        proxy: { disabled: true, image: `${kubernetesImages.proxy}:${version}` },
        scheduler: { image: `${kubernetesImages.scheduler}:${version}`, ...metricsBinding(input.monitoring) },
        etcd: {
            ca: caWithKey(secrets.etcdCa),
            ...(input.monitoring ? { extraArgs: { "listen-metrics-urls": "http://0.0.0.0:2381" } } : {}),
            ...(cluster.network.nodeSubnet ? { advertisedSubnets: [cluster.network.nodeSubnet] } : {}),
        },
        allowSchedulingOnControlPlanes: cluster.allowSchedulingOnControlPlanes,
    };
}

function metricsBinding(monitoring: boolean) {
    return monitoring ? { extraArgs: { "bind-address": "0.0.0.0" } } : {};
}

/** Pod Security as Talos configures it: baseline enforced, restricted audited and warned. */
const podSecurityAdmission = {
    name: "PodSecurity",
    configuration: {
        apiVersion: "pod-security.admission.config.k8s.io/v1alpha1",
        kind: "PodSecurityConfiguration",
        defaults: { audit: "restricted", "audit-version": "latest", enforce: "baseline", "enforce-version": "latest", warn: "restricted", "warn-version": "latest" },
        exemptions: { namespaces: ["kube-system"], runtimeClasses: [], usernames: [] },
    },
};

/** Control planes stay out of external load balancers, as Talos labels them. */
function nodeLabels(node: NodeConfig, isControlPlane: boolean) {
    const labels = { ...(isControlPlane ? { "node.kubernetes.io/exclude-from-external-load-balancers": "" } : {}), ...node.labels };
    return Object.keys(labels).length > 0 ? { nodeLabels: labels } : {};
}

function vipDocuments(cluster: ClusterConfig, node: NodeConfig): TalosDocument[] {
    if (cluster.vip === undefined || node.role !== "controlplane") return [];
    return [{ apiVersion: "v1alpha1", kind: "Layer2VIPConfig", name: cluster.vip, link: cluster.network.vipInterface }];
}

/** STATE and EPHEMERAL sealed with LUKS2; the key comes from the TPM or is derived from the node ID. */
function encryptionDocuments(mode: ClusterConfig["diskEncryption"]): TalosDocument[] {
    if (mode === "none") return [];
    const key = mode === "tpm" ? { slot: 0, tpm: {} } : { slot: 0, nodeID: {} };
    return ["STATE", "EPHEMERAL"].map((name) => ({
        apiVersion: "v1alpha1",
        kind: "VolumeConfig",
        name,
        encryption: { provider: "luks2", keys: [key] },
    }));
}

function registryMirrorDocuments(mirrors: Record<string, string[]>): TalosDocument[] {
    return Object.entries(mirrors).map(([registry, endpoints]) => ({
        apiVersion: "v1alpha1",
        kind: "RegistryMirrorConfig",
        name: registry,
        endpoints: endpoints.map((url) => ({ url })),
    }));
}

function caWithKey(ca: { crt: string; key: string }) {
    return { crt: base64(ca.crt), key: base64(ca.key) };
}

/** Workers verify with the CA certificate and never hold a CA key. */
function caCertOnly(ca: { crt: string }) {
    return { crt: base64(ca.crt) };
}

function base64(text: string): string {
    return Buffer.from(text).toString("base64");
}

function endpointHost(endpoint: string | undefined): string[] {
    return endpoint ? [new URL(endpoint).hostname.replace(/^\[|\]$/g, "")] : [];
}

function unique(values: (string | string[])[]): string[] {
    return [...new Set(values.flat())];
}
