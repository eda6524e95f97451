/**
 * Cilium as Talos documents it for clusters without kube-proxy: IPAM from Kubernetes, kube-proxy
 * replacement through KubePrism on localhost:7445, cgroup v2 mounted by Talos, and the Talos
 * capability lists (no SYS_MODULE: Talos does not let pods load kernel modules).
 */

export interface CiliumInput {
    /** Nodes in the cluster: the operator runs min(2, nodeCount) replicas. */
    nodeCount: number;
    /** Hubble with its relay and UI. */
    hubble: boolean;
    /** WireGuard between nodes. */
    wireguard: boolean;
    /** Cilium's Prometheus metrics (monitoring scrapes them). */
    monitoring: boolean;
}

export const defaultLoadBalancerPoolName = "ironcloud";

export function ciliumValues({ nodeCount, hubble, wireguard, monitoring }: CiliumInput): Record<string, unknown> {
    return {
        ipam: { mode: "kubernetes" },
        kubeProxyReplacement: true,
        k8sServiceHost: "localhost",
        k8sServicePort: 7445,
        securityContext: {
            capabilities: {
                ciliumAgent: ["CHOWN", "KILL", "NET_ADMIN", "NET_RAW", "IPC_LOCK", "SYS_ADMIN", "SYS_RESOURCE", "DAC_OVERRIDE", "FOWNER", "SETGID", "SETUID"],
                cleanCiliumState: ["NET_ADMIN", "SYS_ADMIN", "SYS_RESOURCE"],
            },
        },
        cgroup: { autoMount: { enabled: false }, hostRoot: "/sys/fs/cgroup" },
        // LoadBalancer addresses on bare metal: LB IPAM assigns, L2 announcements answer ARP.
        l2announcements: { enabled: true },
        // Leases for L2 announcements talk to the API server; the client defaults (10/20) are too low.
        k8sClientRateLimit: { qps: 50, burst: 100 },
        operator: { replicas: Math.min(2, nodeCount), prometheus: { enabled: monitoring } },
        prometheus: { enabled: monitoring },
        hubble: { enabled: hubble, relay: { enabled: hubble }, ui: { enabled: hubble } },
        encryption: wireguard ? { enabled: true, type: "wireguard" } : { enabled: false },
    };
}

/** One LB IPAM pool with every configured block. */
export function loadBalancerPool(name: string, cidrs: string[]) {
    return {
        apiVersion: "cilium.io/v2",
        kind: "CiliumLoadBalancerIPPool",
        metadata: { name },
        spec: { blocks: cidrs.map((cidr) => ({ cidr })) },
    };
}

/** Answer ARP for every LoadBalancer address, from any Linux node; named as the pool it announces. */
export function l2AnnouncementPolicy(name: string) {
    return {
        apiVersion: "cilium.io/v2alpha1",
        kind: "CiliumL2AnnouncementPolicy",
        metadata: { name },
        spec: {
            loadBalancerIPs: true,
            externalIPs: false,
            nodeSelector: { matchLabels: { "kubernetes.io/os": "linux" } },
        },
    };
}
