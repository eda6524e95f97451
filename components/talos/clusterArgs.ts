import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ClusterConfig } from "../../infra/config";
import { clusterProblems } from "../../infra/validation/clusterRules";
import { Problem } from "../../infra/validation/problem";
import * as sections from "../../infra/validation/sections";
import { checkArgs, parseArgs } from "../componentArgs";

/** The `ironcloud:cluster` stack config section as a user writes it (before defaults). */
type ClusterInput = z.input<typeof sections.cluster>;
type NodeInput = NonNullable<ClusterInput["nodes"]>[number];

/**
 * One machine of the cluster: the keys of an `ironcloud:cluster` `nodes` entry. Every field is a
 * plain value: the name and role decide which resources exist and what they are called, and the
 * address is in the rules checked before anything is declared (unique, inside the node subnet,
 * not the VIP, outside the pod and service networks) and in the text of the node's day-2 scripts,
 * which @pulumi/command compares to decide what runs.
 */
export interface TalosNodeArgs {
    /** Hostname and Kubernetes node name (a DNS-1123 label); names the node's commands (`<cluster>-apply-<name>`). */
    name: NodeInput["name"];
    /** The address talosctl reaches the node at and the kubelet registers (IPv4 or IPv6); unique in the cluster. */
    address: NodeInput["address"];
    /** `controlplane` runs etcd and the API server; `worker` runs only workloads. Control planes are upgraded first. */
    role: NodeInput["role"];
    /** The disk Talos installs to (e.g. `/dev/nvme0n1`); required unless the cluster's `installDisk` is set, which it overrides. */
    installDisk?: NodeInput["installDisk"];
    /** Wipe the node with `talosctl reset` when it leaves the cluster. Default `false`: it is drained and left running. */
    reset?: NodeInput["reset"];
    /** Kubernetes labels of the node. Default none. */
    labels?: NodeInput["labels"];
    /** Kubernetes taints of the node, one per key and effect. Default none. */
    taints?: NodeInput["taints"];
    /** Talos config patches for this node only, applied after the cluster's. Default none. */
    patches?: NodeInput["patches"];
    /** The MAC address the node netboots from (`npm run netboot`); unique in the cluster. The component does not use it. Default none. */
    mac?: NodeInput["mac"];
    /** The node's CPU architecture when it differs from the cluster's; only netboot uses it (the installer image is multi-arch). Default the cluster's. */
    architecture?: NodeInput["architecture"];
}

/**
 * A Talos cluster's args: the keys of the `ironcloud:cluster` stack config section (but
 * `kubeconfig`: a cluster that exists already does not use this component), with the same
 * defaults, plus what the platform on top needs from the nodes. Problems are reported all at
 * once, with the stack-config validation's messages, as a ComponentArgsError.
 */
export interface TalosClusterArgs {
    /** The cluster name (a DNS-1123 label), as in the kubeconfig, talosconfig and machine configs. */
    name: ClusterInput["name"];
    /**
     * The Kubernetes API URL, `https://<host>:<port>` without a path (e.g. `https://10.0.0.10:6443`,
     * usually the VIP or a load balancer); required. It goes into the machine configs and the
     * kubeconfig, so it may come from another resource: an Output is checked when its value is
     * known (during `pulumi up`; a preview with an unknown value checks nothing).
     */
    endpoint: pulumi.Input<string>;
    /** A shared control-plane address Talos moves between the control planes (layer 2); must be a free address. Default none. */
    vip?: ClusterInput["vip"];
    /** The exact Talos release, e.g. `v1.13.9`. Default: the release ironcloud is tested with. A change rolls an upgrade through the nodes. */
    talosVersion?: ClusterInput["talosVersion"];
    /** The exact Kubernetes release, e.g. `1.36.3`, inside what `talosVersion` supports. Default: the tested release. */
    kubernetesVersion?: ClusterInput["kubernetesVersion"];
    /** CPU architecture of every node. Default `amd64`. */
    architecture?: ClusterInput["architecture"];
    /** The disk Talos installs to on every node without its own `installDisk`. Default none (then every node needs one). */
    installDisk?: ClusterInput["installDisk"];
    /** Official system extensions baked into the installer image (e.g. `siderolabs/drbd`). Default none. */
    extensions?: ClusterInput["extensions"];
    /** Extra kernel arguments baked into the installer image, one argument per entry. Default none. */
    kernelArgs?: ClusterInput["kernelArgs"];
    /**
     * A self-hosted Image Factory: `url` (https, host and optional port, no path) serves boot
     * assets and is the registry host of the installer image; `pxeUrl` serves the iPXE scripts
     * (default: `url`). Default: the public factory.talos.dev and pxe.factory.talos.dev. The
     * schematic ID is computed locally, so the factory must not have authentication on.
     */
    imageFactory?: ClusterInput["imageFactory"];
    /** Encryption of the STATE and EPHEMERAL partitions: `none`, `nodeID` (key derived from the node) or `tpm`. Default `none`. */
    diskEncryption?: ClusterInput["diskEncryption"];
    /**
     * Pod and service networks (CIDRs, disjoint from each other and the nodes; defaults `10.244.0.0/16`
     * and `10.96.0.0/12`), the node subnet (default none; when set, the kubelet and etcd use it and
     * every node address and the VIP must lie in it), the DNS domain (default `cluster.local`) and
     * the interface the VIP is announced on (default `eth0`).
     */
    network?: ClusterInput["network"];
    /** Let workloads run on control planes; must be `true` when there are no workers. Default `false`. */
    allowSchedulingOnControlPlanes?: ClusterInput["allowSchedulingOnControlPlanes"];
    /** Reset every node that leaves the cluster, not only those marked `reset`. Default `false`. */
    allowReset?: ClusterInput["allowReset"];
    /** Days (1 to 180) before expiry at which `pulumi up` renews the admin client certificates. Default 30. */
    clientCertificateRenewalDays?: ClusterInput["clientCertificateRenewalDays"];
    /** A separate etcd for Kubernetes events (https URLs with port). Default none: events stay in the cluster's etcd. */
    eventsEtcd?: ClusterInput["eventsEtcd"];
    /** Pull-through mirrors per registry host, e.g. `{ "docker.io": ["https://mirror.example.com/v2/docker.io"] }`. Default none. */
    registryMirrors?: ClusterInput["registryMirrors"];
    /**
     * Kubelet reservations (CPU and memory quantities; defaults 500m and 1Gi each for the system and
     * for Kubernetes) and hard eviction thresholds (defaults memory 500Mi, nodefs 10%, imagefs 15%).
     */
    kubelet?: ClusterInput["kubelet"];
    /** Extra names and addresses in the API server and Talos API certificates. Default none. */
    certSANs?: ClusterInput["certSANs"];
    /** Talos config patches for all nodes, control planes and workers (applied in that order, before a node's own). Default none. */
    patches?: ClusterInput["patches"];
    /** What `npm run netboot` answers a machine whose MAC no node lists (`refuse` or `default`); the component does not use it. Default `refuse`. */
    netboot?: ClusterInput["netboot"];
    /** The machines; at least one control plane (an odd number: 1, 3 or 5). Plain values, see TalosNodeArgs. */
    nodes: TalosNodeArgs[];
    /** Load the DRBD kernel modules (LINSTOR storage needs them, with the `siderolabs/drbd` extension). Default `false`. */
    drbd?: boolean;
    /** Expose etcd, scheduler and controller-manager metrics on the node addresses for Prometheus. Default `false`. */
    monitoring?: boolean;
    /** The site reaches no public host: nodes do not use Sidero's public discovery service (discovery.talos.dev). Default `false`. */
    airGapped?: boolean;
}

/** The args with every default applied: the cluster section as the program parses it, and the endpoint as given. */
export interface CheckedClusterArgs {
    /** The parsed section; its `endpoint` is set only when the endpoint was a plain string. */
    cluster: ClusterConfig;
    /** The endpoint, plain or not; an Output's value is checked when it is known. */
    endpoint: pulumi.Output<string>;
    /** TalosClusterArgs.drbd with its default. */
    drbd: boolean;
    /** TalosClusterArgs.monitoring with its default. */
    monitoring: boolean;
    /** TalosClusterArgs.airGapped with its default. */
    airGapped: boolean;
}

const component = "TalosCluster";

/** The cluster section without `kubeconfig`, plus the component's own switches; strict like every section. */
const argsSchema = sections.cluster.omit({ kubeconfig: true }).extend({
    drbd: z.boolean().default(false),
    monitoring: z.boolean().default(false),
    airGapped: z.boolean().default(false),
});

/**
 * Parses `args` with the stack config's cluster section and checks them with its cross-field
 * rules; throws a ComponentArgsError listing every problem. Paths are relative to the args
 * (`nodes[0].address`), messages are the stack config's.
 */
export function checkClusterArgs(name: string, args: TalosClusterArgs): CheckedClusterArgs {
    const { endpoint, ...rest } = args;
    const plain = typeof endpoint === "string" || endpoint === undefined;
    const { drbd, monitoring, airGapped, ...cluster } = parseArgs(component, name, argsSchema, plain ? args : rest, "");
    const problems = clusterProblems(cluster).map(relativeToArgs);
    // An endpoint that is not known yet is there; what the rules say about it waits for its value.
    checkArgs(component, name, plain ? problems : problems.filter((p) => p.path !== "endpoint"));
    return {
        cluster,
        endpoint: plain ? pulumi.output(cluster.endpoint as string) : pulumi.output(endpoint).apply((value) => checkedEndpoint(name, value)),
        drbd,
        monitoring,
        airGapped,
    };
}

function checkedEndpoint(name: string, value: string): string {
    return parseArgs(component, name, sections.cluster.shape.endpoint, value, "endpoint") as string;
}

/** `cluster.nodes[0]` in the stack config is `nodes[0]` in the args. */
function relativeToArgs(problem: Problem): Problem {
    return { ...problem, path: problem.path.replace(/^cluster\./, "") };
}
