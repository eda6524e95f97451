import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { manifestSource, ReleaseManifest } from "./mirrors";
import { childOptions } from "./namespace";
import { cdiResource, KubevirtInput, kubevirtResource } from "./virtualizationObjects";

export interface VirtualizationArgs extends KubevirtInput {
    /** StorageClass for CDI's scratch space while importing disks; the cluster default if unset. */
    scratchStorageClass?: string;
    /**
     * Where the pinned operator manifests are read from instead of their GitHub release URLs: an
     * https or http URL that names the pinned release, or the path of a YAML file relative to the
     * project directory (where Pulumi.yaml is). Default: the release URLs.
     */
    manifestMirrors?: Partial<Record<ReleaseManifest, string>>;
}

/**
 * KubeVirt and CDI operators from their pinned release manifests (or mirrors of them), and their custom resources. The
 * namespaces (kubevirt, cdi) and resource names come from the upstream manifests and stay fixed.
 */
export class Virtualization extends pulumi.ComponentResource {
    /** Available KubeVirt: VMs can be declared. */
    readonly kubevirt: pulumi.Resource;
    /** Available CDI: DataVolumes can import disks. */
    readonly cdi: pulumi.Resource;

    constructor(name: string, args: VirtualizationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ironcloud:platform:Virtualization", name, {}, opts);
        const kubevirtOperator = new k8s.yaml.v2.ConfigFile(`${name}-kubevirt-operator`, { file: manifestSource("kubevirtOperator", args.manifestMirrors?.kubevirtOperator) }, childOptions(this, opts));
        this.kubevirt = new k8s.apiextensions.CustomResource(`${name}-kubevirt`, kubevirtResource(args), childOptions(this, opts, [kubevirtOperator]));
        const cdiOperator = new k8s.yaml.v2.ConfigFile(`${name}-cdi-operator`, { file: manifestSource("cdiOperator", args.manifestMirrors?.cdiOperator) }, childOptions(this, opts));
        this.cdi = new k8s.apiextensions.CustomResource(`${name}-cdi`, cdiResource(args.scratchStorageClass), childOptions(this, opts, [cdiOperator]));
        this.registerOutputs({ kubevirt: this.kubevirt, cdi: this.cdi });
    }
}
