import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { charts } from "../../infra/versions";
import { ChartMirror, mirroredChart } from "./mirrors";
import { childOptions, privilegedNamespace, releaseArgs } from "./namespace";
import {
    linstorCluster, StorageClassRole, storageClass, storageClassSpecs, StorageLayout, storageNamespace, storagePoolConfiguration, talosSatelliteConfiguration,
} from "./storageObjects";

export interface StorageArgs extends StorageLayout {
    /** Names of the two StorageClasses (cluster-scoped), by role. */
    classNames: Record<StorageClassRole, string>;
    /** The cert-manager CA issuer LINSTOR takes its TLS certificates from: LINSTOR waits until it exists. */
    caIssuer: pulumi.Resource;
    /** Name of that ClusterIssuer. */
    caIssuerName: string;
    /** Where the pinned Piraeus chart is fetched from instead of its OCI registry on ghcr.io. Default: its public registry. */
    chartMirror?: ChartMirror;
}

/**
 * Piraeus operator, the LINSTOR cluster with TLS, Talos satellite settings, the pool and
 * StorageClasses. The namespace piraeus-datastore, the LINSTOR object names and the pool name are
 * fixed (one LINSTOR per cluster).
 */
export class Storage extends pulumi.ComponentResource {
    /** The StorageClasses: volumes can be provisioned once they exist. */
    readonly storageClasses: pulumi.Resource[];
    /** Names of the StorageClasses, by role: `local` keeps one copy, `replicated` keeps `replicas`. */
    readonly storageClassNames: Record<StorageClassRole, string>;
    /** Name of the cluster's default StorageClass. */
    readonly defaultStorageClass: string;

    constructor(name: string, args: StorageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ironcloud:platform:Storage", name, {}, opts);
        const namespace = privilegedNamespace(`${name}-namespace`, storageNamespace, childOptions(this, opts));
        const operator = new k8s.helm.v3.Release(`${name}-piraeus`, {
            ...releaseArgs(mirroredChart(charts.piraeus, args.chartMirror), storageNamespace, { installCRDs: true }),
            name: "piraeus-operator",
        }, childOptions(this, opts, [namespace]));

        const afterOperator = childOptions(this, opts, [operator, args.caIssuer]);
        const cluster = new k8s.apiextensions.CustomResource(`${name}-linstor-cluster`, linstorCluster(args.caIssuerName), afterOperator);
        new k8s.apiextensions.CustomResource(`${name}-talos-satellites`, talosSatelliteConfiguration(args.caIssuerName), afterOperator);
        new k8s.apiextensions.CustomResource(`${name}-storage-pool`, storagePoolConfiguration(args), afterOperator);

        // Named by role, not by class name: the policies' exemptions and existing stacks know them so.
        this.storageClasses = storageClassSpecs(args, args.classNames).map((spec) =>
            new k8s.storage.v1.StorageClass(`${name}-${spec.role}`, storageClass(spec), childOptions(this, opts, [cluster])));
        this.storageClassNames = args.classNames;
        this.defaultStorageClass = args.classNames[args.defaultClass];
        this.registerOutputs({ storageClasses: this.storageClasses, storageClassNames: this.storageClassNames, defaultStorageClass: this.defaultStorageClass });
    }
}
