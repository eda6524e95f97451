import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { charts } from "../../infra/versions";
import { certManagerNamespace, certManagerValues, clusterCaCertificate, clusterCaIssuer, selfSignedIssuer } from "./certManagerObjects";
import { childOptions, releaseArgs } from "./namespace";

/** cert-manager with its CRDs, and the cluster CA issuer other services take certificates from. */
export class CertManager extends pulumi.ComponentResource {
    /** Ready to issue: the CA ClusterIssuer exists. */
    readonly caIssuer: k8s.apiextensions.CustomResource;

    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("ironcloud:platform:CertManager", name, {}, opts);
        const release = new k8s.helm.v3.Release(`${name}-cert-manager`, {
            ...releaseArgs(charts.certManager, certManagerNamespace, certManagerValues),
            name: "cert-manager",
            createNamespace: true,
        }, childOptions(this, opts));
        const selfSigned = new k8s.apiextensions.CustomResource(`${name}-selfsigned`, selfSignedIssuer(), childOptions(this, opts, [release]));
        const caCertificate = new k8s.apiextensions.CustomResource(`${name}-ca`, clusterCaCertificate(), childOptions(this, opts, [selfSigned]));
        this.caIssuer = new k8s.apiextensions.CustomResource(`${name}-ca-issuer`, clusterCaIssuer(), childOptions(this, opts, [caCertificate]));
        this.registerOutputs({});
    }
}
