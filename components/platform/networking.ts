import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { charts } from "../../infra/versions";
import { ciliumValues, CiliumInput, l2AnnouncementPolicy, loadBalancerPool } from "./ciliumValues";
import { crdGate } from "./crdGate";
import { childOptions, releaseArgs } from "./namespace";

export interface NetworkingArgs extends CiliumInput {
    loadBalancerIPs: string[];
    kubeconfig: pulumi.Input<string>;
}

/** Cilium (CNI, kube-proxy replacement) and LoadBalancer addresses through LB IPAM + L2 announcements. */
export class Networking extends pulumi.ComponentResource {
    /** Nodes are Ready (they have a CNI) once this release is. */
    readonly cilium: k8s.helm.v3.Release;
    readonly values: Record<string, unknown>;

    constructor(name: string, args: NetworkingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ironcloud:platform:Networking", name, {}, opts);
        this.values = ciliumValues(args);
        this.cilium = new k8s.helm.v3.Release(`${name}-cilium`, { ...releaseArgs(charts.cilium, "kube-system", this.values), name: "cilium" }, childOptions(this, opts));

        if (args.loadBalancerIPs.length > 0) {
            const crds = crdGate(`${name}-cilium-crds`, ["ciliumloadbalancerippools.cilium.io", "ciliuml2announcementpolicies.cilium.io"], args.kubeconfig, childOptions(this, opts, [this.cilium]));
            const after = childOptions(this, opts, [crds]);
            new k8s.apiextensions.CustomResource(`${name}-lb-pool`, loadBalancerPool(args.loadBalancerIPs), after);
            new k8s.apiextensions.CustomResource(`${name}-l2-announcements`, l2AnnouncementPolicy(), after);
        }
        this.registerOutputs({});
    }
}
