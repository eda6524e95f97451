import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PlatformConfig } from "../../infra/config";
import { charts } from "../../infra/versions";
import { childOptions, privilegedNamespace, releaseArgs } from "./namespace";
import { linstorCluster, storageClass, storageClassSpecs, storageNamespace, storagePoolConfiguration, talosSatelliteConfiguration } from "./storageObjects";

export interface StorageArgs {
    storage: PlatformConfig["storage"];
    /** The cert-manager CA issuer LINSTOR takes its TLS certificates from. */
    caIssuer: pulumi.Resource;
}

/** Piraeus operator, the LINSTOR cluster with TLS, Talos satellite settings, the pool and StorageClasses. */
export class Storage extends pulumi.ComponentResource {
    readonly storageClasses: k8s.storage.v1.StorageClass[];

    constructor(name: string, args: StorageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ironcloud:platform:Storage", name, {}, opts);
        const namespace = privilegedNamespace(storageNamespace, childOptions(this, opts));
        const operator = new k8s.helm.v3.Release(`${name}-piraeus`, {
            ...releaseArgs(charts.piraeus, storageNamespace, { installCRDs: true }),
            name: "piraeus-operator",
        }, childOptions(this, opts, [namespace]));

        const afterOperator = childOptions(this, opts, [operator, args.caIssuer]);
        const cluster = new k8s.apiextensions.CustomResource(`${name}-linstor-cluster`, linstorCluster(), afterOperator);
        new k8s.apiextensions.CustomResource(`${name}-talos-satellites`, talosSatelliteConfiguration(), afterOperator);
        new k8s.apiextensions.CustomResource(`${name}-storage-pool`, storagePoolConfiguration(args.storage), afterOperator);

        this.storageClasses = storageClassSpecs(args.storage).map((spec) =>
            new k8s.storage.v1.StorageClass(`${name}-${spec.name}`, storageClass(spec), childOptions(this, opts, [cluster])));
        this.registerOutputs({});
    }
}
