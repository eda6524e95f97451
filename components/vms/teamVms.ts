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

/** What a TeamVms is declared from; VmService resolves and checks it. */
export interface TeamVmsArgs {
    /** The team's VMs, fleets expanded and defaults resolved (catalog.ts). */
    vms: ResolvedVm[];
    /** The host CA that signs each VM's host certificate. */
    hostCa: tls.PrivateKey;
    /** Production: VMs with persistent disks, and their disks, are protected from deletion. */
    protectDisks: boolean;
    /** VMs wait for these (e.g. KubeVirt Available) and the team namespace, nothing else. */
    kubevirtReady: pulumi.Input<pulumi.Resource>[];
    /** Disks (DataVolumes) wait for these (e.g. CDI Available) and the team namespace. */
    cdiReady: pulumi.Input<pulumi.Resource>[];
    /** The team namespace. */
    namespace: pulumi.Resource;
}

/**
 * One team's VMs. Per VM: an Ed25519 host key kept in state, the cloud-init Secret with the
 * host certificate, the VirtualMachine, and DataVolumes for persistent disks.
 */
export class TeamVms extends pulumi.ComponentResource {
    /**
     * Rendered cloud-init per VM name, a secret (it holds the host key). Not among the registered
     * outputs: that would put every VM's host key into the state a second time.
     */
    readonly cloudInit: Record<string, pulumi.Output<string>> = {};
    /** The VMs and disks as declared (for the team-quota-fits stack policy). */
    readonly kubernetesObjects: DeclaredObject[] = [];

    constructor(name: string, args: TeamVmsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ironcloud:vms:TeamVms", name, {}, opts);
        const declared = <T extends { apiVersion: string; kind: string }>(objectName: string, object: T): T => {
            this.kubernetesObjects.push(declaredObject(objectName, object.apiVersion, object.kind, object));
            return object;
        };
        for (const vm of args.vms) {
            // In production every resource of a VM with persistent disks is protected, not only
            // the disks: the engine deletes in dependency order, so removing such a VM would
            // otherwise delete the VM, its cloud-init and host key before the disk's protection
            // stops the run.
            const protect = args.protectDisks && (vm.disk !== undefined || vm.volumes.length > 0);
            // Children are named after the component, so two VM services do not collide; they were
            // named <namespace>-<object> before, and the alias keeps existing stacks' resources.
            const options = (object: string, after: pulumi.Input<pulumi.Resource>[]) => ({
                resourceName: `${name}-${object}`,
                opts: { ...childOptions(this, opts, after), protect, aliases: [{ name: teamResourceName(vm.namespace, object) }] },
            });
            const key = options(`${vm.name}-host-key`, []);
            const hostKey = new tls.PrivateKey(key.resourceName, { algorithm: "ED25519" }, key.opts);
            const userData = pulumi.secret(pulumi.all([args.hostCa.privateKeyPem, hostKey.privateKeyOpenssh, hostKey.publicKeyOpenssh]).apply(([caPrivateKey, privateKey, publicKey]) => {
                const certificate = signSshCertificate({
                    caPrivateKey, publicKey, kind: "host", principals: vm.hostPrincipals, keyId: `vm/${vm.namespace}/${vm.name}`, serial: serialFor(vm.fqdn),
                });
                return renderCloudInit(vm, { privateKey, publicKey, certificate });
            }));
            this.cloudInit[vm.name] = userData;
            const cloudInit = options(cloudInitSecretName(vm), [args.namespace]);
            const secret = new k8s.core.v1.Secret(cloudInit.resourceName, {
                metadata: {
                    name: cloudInitSecretName(vm), namespace: vm.namespace, labels: { ...managedBy, ...vmLabels(vm) },
                    annotations: { [publicCloudConfigAnnotation]: renderPublicCloudInit(vm) },
                },
                stringData: { userdata: userData },
            }, cloudInit.opts);

            const disks = [
                ...(vm.disk ? [rootDataVolume(vm)] : []),
                ...vm.volumes.map((volume) => volumeDataVolume(vm, volume)),
            ].map((dataVolume) => {
                const disk = options(dataVolume.metadata.name, [args.namespace, ...args.cdiReady]);
                return new k8s.apiextensions.CustomResource(disk.resourceName, declared(disk.resourceName, dataVolume), disk.opts);
            });
            const machine = options(vm.name, [args.namespace, secret, ...args.kubevirtReady, ...disks]);
            new k8s.apiextensions.CustomResource(machine.resourceName, declared(machine.resourceName, virtualMachine(vm)), machine.opts);
        }
        this.registerOutputs({ kubernetesObjects: this.kubernetesObjects });
    }
}
