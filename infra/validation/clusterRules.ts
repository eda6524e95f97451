import { cidrContains, cidrsOverlap } from "./network";
import { Problem } from "./problem";
import { controlPlaneQuorumProblem } from "../../policy/lib/rules/quorum";
import { ClusterConfig, NodeConfig } from "./sections";
import { duplicates } from "./uniqueness";
import { talosSkewProblem } from "../../policy/lib/rules/versionRules";

/** Cross-field rules of `ironcloud:cluster`: what the schema alone cannot see. */
export function clusterProblems(cluster: ClusterConfig, environment?: string): Problem[] {
    if (cluster.kubeconfig !== undefined) return existingClusterProblems(cluster);
    return talosClusterProblems(cluster, environment);
}

const talosOnlyKeys = ["nodes", "endpoint", "vip", "installDisk", "eventsEtcd", "imageFactory", "netboot"] as const;

function existingClusterProblems(cluster: ClusterConfig): Problem[] {
    return talosOnlyKeys
        .filter((key) => cluster[key] !== undefined)
        .map((key) => ({
            path: `cluster.${key}`,
            message: "is for Talos clusters and cannot be combined with cluster.kubeconfig (an existing cluster skips the Talos layer); remove one of them",
        }));
}

function talosClusterProblems(cluster: ClusterConfig, environment: string | undefined): Problem[] {
    const problems: Problem[] = [];
    const nodes = cluster.nodes ?? [];
    if (cluster.endpoint === undefined) {
        problems.push({ path: "cluster.endpoint", message: "is required for a Talos cluster (e.g. https://10.0.0.10:6443), or set cluster.kubeconfig to use an existing cluster" });
    }
    if (nodes.length === 0) {
        problems.push({ path: "cluster.nodes", message: "must list at least one node with name, address and role (controlplane or worker)" });
        return problems;
    }
    if (cluster.installDisk === undefined) {
        nodes.forEach((node, i) => {
            if (node.installDisk === undefined) {
                problems.push({ path: `cluster.nodes[${i}].installDisk`, message: "is required when cluster.installDisk is not set (e.g. /dev/nvme0n1)" });
            }
        });
    }
    problems.push(...duplicates(nodes.map((n) => n.name), (i) => `cluster.nodes[${i}].name`, "node name"));
    problems.push(...duplicates(nodes.map((n) => n.address), (i) => `cluster.nodes[${i}].address`, "node address"));
    problems.push(...macProblems(nodes));

    const controlPlanes = nodes.filter((n) => n.role === "controlplane").length;
    const quorum = controlPlaneQuorumProblem(controlPlanes, environment);
    if (quorum) problems.push({ path: "cluster.nodes", message: quorum });
    if (!cluster.allowSchedulingOnControlPlanes && controlPlanes === nodes.length) {
        problems.push({ path: "cluster.allowSchedulingOnControlPlanes", message: "must be true when the cluster has no worker nodes, or no workload could run" });
    }
    problems.push(...vipProblems(cluster));
    problems.push(...networkProblems(cluster));
    problems.push(...versionProblems(cluster));
    return problems;
}

/** Netboot tells nodes apart by MAC: one MAC on two nodes would boot both as the first. */
function macProblems(nodes: NodeConfig[]): Problem[] {
    return nodes.flatMap((node, i) => {
        const first = nodes.findIndex((other) => other.mac !== undefined && other.mac === node.mac);
        return first === i || first < 0 ? [] : [{ path: `cluster.nodes[${i}].mac`, message: `duplicate node MAC address "${node.mac}" (first used by cluster.nodes[${first}], ${nodes[first].name}); netboot tells nodes apart by MAC` }];
    });
}

function vipProblems(cluster: ClusterConfig): Problem[] {
    const vip = cluster.vip;
    if (vip === undefined) return [];
    const problems: Problem[] = [];
    const owner = (cluster.nodes ?? []).findIndex((n) => n.address === vip);
    if (owner >= 0) problems.push({ path: "cluster.vip", message: `${vip} is also the address of cluster.nodes[${owner}]; the VIP must be a free address` });
    const subnet = cluster.network.nodeSubnet;
    if (subnet !== undefined && !cidrContains(subnet, vip)) {
        problems.push({ path: "cluster.vip", message: `${vip} is outside cluster.network.nodeSubnet ${subnet}` });
    }
    return problems;
}

function networkProblems(cluster: ClusterConfig): Problem[] {
    const problems: Problem[] = [];
    const { podSubnets, serviceSubnets, nodeSubnet } = cluster.network;
    const networks = [
        ...podSubnets.map((value, i) => ({ value, path: `cluster.network.podSubnets[${i}]` })),
        ...serviceSubnets.map((value, i) => ({ value, path: `cluster.network.serviceSubnets[${i}]` })),
        ...(nodeSubnet ? [{ value: nodeSubnet, path: "cluster.network.nodeSubnet" }] : []),
    ];
    networks.forEach((a, i) => {
        networks.slice(i + 1).forEach((b) => {
            if (cidrsOverlap(a.value, b.value)) problems.push({ path: b.path, message: `${b.value} overlaps ${a.path} (${a.value}); pod, service and node networks must be disjoint` });
        });
    });
    (cluster.nodes ?? []).forEach((node, i) => {
        const path = `cluster.nodes[${i}].address`;
        if (nodeSubnet !== undefined && !cidrContains(nodeSubnet, node.address)) {
            problems.push({ path, message: `${node.address} is outside cluster.network.nodeSubnet ${nodeSubnet}` });
        }
        for (const network of [...podSubnets, ...serviceSubnets]) {
            if (cidrContains(network, node.address)) problems.push({ path, message: `${node.address} lies inside the pod or service network ${network}` });
        }
    });
    return problems;
}

function versionProblems(cluster: ClusterConfig): Problem[] {
    const problem = talosSkewProblem(cluster.talosVersion, cluster.kubernetesVersion);
    return problem ? [{ path: `cluster.${problem.field}`, message: problem.message }] : [];
}
