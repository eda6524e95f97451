import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { serialFor, signSshCertificate } from "../access/sshCertificates";
import { managedBy } from "../labels";
import { childOptions } from "../platform/namespace";
import { ResolvedVm } from "./catalog";
import { renderCloudInit } from "./cloudInit";
import { cloudInitSecretName, rootDataVolume, virtualMachine, vmLabels, volumeDataVolume } from "./vmObjects";

export interface TeamVmsArgs {
    vms: ResolvedVm[];
    hostCa: tls.PrivateKey;
    /** Production: persistent disks are protected from deletion. */
    protectDisks: boolean;
    /** VMs wait for KubeVirt (and disks for CDI) and the team namespace, nothing else. */
    kubevirtReady: pulumi.Resource[];
    cdiReady: pulumi.Resource[];
    namespace: pulumi.Resource;
}

/**
 * One team's VMs. Per VM: an Ed25519 host key kept in state, the cloud-init Secret with the
 * host certificate, the VirtualMachine, and DataVolumes for persistent disks.
 */
export class TeamVms extends pulumi.ComponentResource {
    /** Rendered cloud-init per VM name, a secret (it holds the host key). */
    readonly cloudInit: Record<string, pulumi.Output<string>> = {};

    constructor(name: string, args: TeamVmsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ironcloud:vms:TeamVms", name, {}, opts);
        for (const vm of args.vms) {
            const hostKey = new tls.PrivateKey(`${vm.namespace}-${vm.name}-host-key`, { algorithm: "ED25519" }, { parent: this });
            const userData = pulumi.secret(pulumi.all([args.hostCa.privateKeyPem, hostKey.privateKeyOpenssh, hostKey.publicKeyOpenssh]).apply(([caPrivateKey, privateKey, publicKey]) => {
                const certificate = signSshCertificate({
                    caPrivateKey, publicKey, kind: "host", principals: vm.hostPrincipals, keyId: `vm/${vm.namespace}/${vm.name}`, serial: serialFor(vm.fqdn),
                });
                return renderCloudInit(vm, { privateKey, publicKey, certificate });
            }));
            this.cloudInit[vm.name] = userData;
            const secret = new k8s.core.v1.Secret(`${vm.namespace}-${vm.name}-cloud-init`, {
                metadata: { name: cloudInitSecretName(vm), namespace: vm.namespace, labels: { ...managedBy, ...vmLabels(vm) } },
                stringData: { userdata: userData },
            }, childOptions(this, opts, [args.namespace]));

            const disks = [
                ...(vm.disk ? [rootDataVolume(vm)] : []),
                ...vm.volumes.map((volume) => volumeDataVolume(vm, volume)),
            ].map((dataVolume) => new k8s.apiextensions.CustomResource(`${vm.namespace}-${dataVolume.metadata.name}`, dataVolume, {
                ...childOptions(this, opts, [args.namespace, ...args.cdiReady]),
                protect: args.protectDisks,
            }));
            new k8s.apiextensions.CustomResource(`${vm.namespace}-${vm.name}`, virtualMachine(vm),
                childOptions(this, opts, [args.namespace, secret, ...args.kubevirtReady, ...disks]));
        }
        this.registerOutputs({});
    }
}
