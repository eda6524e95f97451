import { CloudSpec } from "../../infra/config";

/** Things a reviewer should know that are allowed but risky. Policies decide what blocks. */
export function planWarnings(spec: CloudSpec): string[] {
    const { cluster, environment } = spec;
    const warnings: string[] = [];
    if (cluster.kubeconfig !== undefined) {
        warnings.push("existing-cluster mode: the Talos layer is skipped; the cluster is used as the kubeconfig finds it");
        return warnings;
    }
    const controlPlanes = (cluster.nodes ?? []).filter((n) => n.role === "controlplane").length;
    if (controlPlanes === 1) warnings.push("one control plane: etcd has no redundancy, losing that node loses the cluster");
    if (cluster.diskEncryption === "none" && environment !== "dev") warnings.push(`disk encryption is off in ${environment}`);
    if (cluster.vip === undefined && controlPlanes > 1) warnings.push("several control planes but no VIP: the endpoint must be a load balancer or DNS name in front of them");
    if (spec.platform.storage.enabled && spec.platform.storage.replicas === 1) warnings.push("storage replicas: 1 — a node failure loses the volumes on it");
    return warnings;
}
