import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { charts } from "../../infra/versions";
import { certManagerNamespace, certManagerValues, clusterCaCertificate, clusterCaIssuer, IssuerNames, selfSignedIssuer } from "./certManagerObjects";
import { ChartMirror, mirroredChart } from "./mirrors";
import { childOptions, releaseArgs } from "./namespace";

/** The cluster-scoped names cert-manager's objects take (Platform defaults: `ironcloud-ca`, `ironcloud-selfsigned`). */
export interface CertManagerArgs extends IssuerNames {
    /** Where the pinned cert-manager chart is fetched from instead of charts.jetstack.io. Default: its public repository. */
    chartMirror?: ChartMirror;
}

/**
 * cert-manager with its CRDs (release `cert-manager` in the fixed `cert-manager` namespace), and
 * the cluster CA issuer other services take certificates from.
 */
export class CertManager extends pulumi.ComponentResource {
    /** Ready to issue: the CA ClusterIssuer exists. */
    readonly caIssuer: pulumi.Resource;
    /** Name of the CA ClusterIssuer, for `issuerRef`s. */
    readonly caIssuerName: string;

    constructor(name: string, args: CertManagerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ironcloud:platform:CertManager", name, {}, opts);
        const release = new k8s.helm.v3.Release(`${name}-cert-manager`, {
            ...releaseArgs(mirroredChart(charts.certManager, args.chartMirror), certManagerNamespace, certManagerValues),
            name: "cert-manager",
            createNamespace: true,
        }, childOptions(this, opts));
        const selfSigned = new k8s.apiextensions.CustomResource(`${name}-selfsigned`, selfSignedIssuer(args), childOptions(this, opts, [release]));
        const caCertificate = new k8s.apiextensions.CustomResource(`${name}-ca`, clusterCaCertificate(args), childOptions(this, opts, [selfSigned]));
        this.caIssuer = new k8s.apiextensions.CustomResource(`${name}-ca-issuer`, clusterCaIssuer(args), childOptions(this, opts, [caCertificate]));
        this.caIssuerName = args.caIssuerName;
        this.registerOutputs({ caIssuer: this.caIssuer, caIssuerName: this.caIssuerName });
    }
}
