import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { serialFor, signSshCertificate } from "../access/sshCertificates";
import { DeclaredObject, declaredObject } from "../declaredObjects";
import { managedBy } from "../labels";
import { childOptions } from "../platform/namespace";
import { ResolvedVm } from "./catalog";
import { publicCloudConfigAnnotation, renderCloudInit, renderPublicCloudInit } from "./cloudInit";
import { cloudInitSecretName, rootDataVolume, virtualMachine, vmLabels, volumeDataVolume } from "./vmObjects";
import { teamResourceName } from "../../infra/validation/vmNames";

export interface TeamVmsArgs {
    vms: ResolvedVm[];
    hostCa: tls.PrivateKey;
    /** Production: VMs with persistent disks, and their disks, are protected from deletion. */
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
        // VMs and disks as declared, registered as outputs for the team-quota-fits stack policy.
        const kubernetesObjects: DeclaredObject[] = [];
        const declared = <T extends { apiVersion: string; kind: string }>(objectName: string, object: T): T => {
            kubernetesObjects.push(declaredObject(objectName, object.apiVersion, object.kind, object));
            return object;
        };
        for (const vm of args.vms) {
            // In production every resource of a VM with persistent disks is protected, not only
            // the disks: the engine deletes in dependency order, so removing such a VM would
            // otherwise delete the VM, its cloud-init and host key before the disk's protection
            // stops the run.
            const protect = args.protectDisks && (vm.disk !== undefined || vm.volumes.length > 0);
            const hostKey = new tls.PrivateKey(teamResourceName(vm.namespace, `${vm.name}-host-key`), { algorithm: "ED25519" }, { parent: this, protect });
            const userData = pulumi.secret(pulumi.all([args.hostCa.privateKeyPem, hostKey.privateKeyOpenssh, hostKey.publicKeyOpenssh]).apply(([caPrivateKey, privateKey, publicKey]) => {
                const certificate = signSshCertificate({
                    caPrivateKey, publicKey, kind: "host", principals: vm.hostPrincipals, keyId: `vm/${vm.namespace}/${vm.name}`, serial: serialFor(vm.fqdn),
                });
                return renderCloudInit(vm, { privateKey, publicKey, certificate });
            }));
            this.cloudInit[vm.name] = userData;
            const secret = new k8s.core.v1.Secret(teamResourceName(vm.namespace, cloudInitSecretName(vm)), {
                metadata: {
                    name: cloudInitSecretName(vm), namespace: vm.namespace, labels: { ...managedBy, ...vmLabels(vm) },
                    annotations: { [publicCloudConfigAnnotation]: renderPublicCloudInit(vm) },
                },
                stringData: { userdata: userData },
            }, { ...childOptions(this, opts, [args.namespace]), protect });

            const disks = [
                ...(vm.disk ? [rootDataVolume(vm)] : []),
                ...vm.volumes.map((volume) => volumeDataVolume(vm, volume)),
            ].map((dataVolume) => new k8s.apiextensions.CustomResource(teamResourceName(vm.namespace, dataVolume.metadata.name), declared(teamResourceName(vm.namespace, dataVolume.metadata.name), dataVolume), {
                ...childOptions(this, opts, [args.namespace, ...args.cdiReady]),
                protect,
            }));
            new k8s.apiextensions.CustomResource(teamResourceName(vm.namespace, vm.name), declared(teamResourceName(vm.namespace, vm.name), virtualMachine(vm)),
                { ...childOptions(this, opts, [args.namespace, secret, ...args.kubevirtReady, ...disks]), protect });
        }
        this.registerOutputs({ kubernetesObjects });
    }
}
