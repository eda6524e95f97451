import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { charts } from "../../infra/versions";
import { ciliumValues, CiliumInput, l2AnnouncementPolicy, loadBalancerPool } from "./ciliumValues";
import { crdGate } from "./crdGate";
import { ChartMirror, mirroredChart } from "./mirrors";
import { childOptions, releaseArgs } from "./namespace";

export interface NetworkingArgs extends Omit<CiliumInput, "nodeCount"> {
    /** Nodes in the cluster, at least 1: Cilium's operator runs min(2, nodeCount) replicas. */
    nodeCount: pulumi.Input<number>;
    /** CIDR blocks for LoadBalancer addresses; none declares no pool. */
    loadBalancerIPs: string[];
    /** Name of the CiliumLoadBalancerIPPool and of the CiliumL2AnnouncementPolicy (both cluster-scoped). */
    loadBalancerPoolName: string;
    /** Kubeconfig for the kubectl gate that waits for Cilium's CRDs before the pool is declared. */
    kubeconfig: pulumi.Input<string>;
    /** Where the pinned Cilium chart is fetched from instead of helm.cilium.io. Default: its public repository. */
    chartMirror?: ChartMirror;
}

/**
 * Cilium (CNI, kube-proxy replacement; release `cilium` in kube-system, as Talos documents it) and
 * LoadBalancer addresses through LB IPAM + L2 announcements.
 */
export class Networking extends pulumi.ComponentResource {
    /** Nodes are Ready (they have a CNI) once this release is. */
    readonly cilium: pulumi.Resource;
    /** The Helm values Cilium is installed with. */
    readonly values: pulumi.Output<Record<string, unknown>>;
    /** Name of the LoadBalancer pool; declared only when loadBalancerIPs lists blocks. */
    readonly loadBalancerPoolName: string;

    constructor(name: string, args: NetworkingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ironcloud:platform:Networking", name, {}, opts);
        this.values = pulumi.output(args.nodeCount).apply((nodeCount) => ciliumValues({ ...args, nodeCount }));
        this.cilium = new k8s.helm.v3.Release(`${name}-cilium`, { ...releaseArgs(mirroredChart(charts.cilium, args.chartMirror), "kube-system", this.values), name: "cilium" }, childOptions(this, opts));
        this.loadBalancerPoolName = args.loadBalancerPoolName;

        if (args.loadBalancerIPs.length > 0) {
            const crds = crdGate(`${name}-cilium-crds`, ["ciliumloadbalancerippools.cilium.io", "ciliuml2announcementpolicies.cilium.io"], args.kubeconfig, childOptions(this, opts, [this.cilium]));
            const after = childOptions(this, opts, [crds]);
            new k8s.apiextensions.CustomResource(`${name}-lb-pool`, loadBalancerPool(args.loadBalancerPoolName, args.loadBalancerIPs), after);
            new k8s.apiextensions.CustomResource(`${name}-l2-announcements`, l2AnnouncementPolicy(args.loadBalancerPoolName), after);
        }
        this.registerOutputs({ cilium: this.cilium, values: this.values, loadBalancerPoolName: this.loadBalancerPoolName });
    }
}
