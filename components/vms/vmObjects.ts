import { parseCpu } from "../../policy/lib/rules/quantity";
import { labels, managedBy, vmPodLabels } from "../labels";
import { ResolvedVm } from "./catalog";
import * as names from "../../infra/validation/vmNames";

/**
 * KubeVirt objects for one VM: the VirtualMachine, and DataVolumes for a persistent root disk
 * (imported from the OS image) and extra volumes. DataVolumes are separate resources, not VM
 * templates, so a production disk can be protected on its own.
 */

export function vmLabels(vm: ResolvedVm): Record<string, string> {
    return {
        ...vm.labels,
        ...managedBy,
        [labels.team]: vm.team,
        [labels.vm]: vm.name,
        [labels.os]: vm.os,
        ...(vm.owner ? { [labels.owner]: vm.owner } : {}),
        ...(vm.fleet ? { [labels.fleet]: vm.fleet } : {}),
    };
}

// The names validation checks for clashes (infra/validation/vmNames.ts), so they are the names created.
export const rootDiskName = (vm: ResolvedVm) => names.rootDiskName(vm.name);
export const volumeName = (vm: ResolvedVm, volume: string) => names.volumeName(vm.name, volume);
export const cloudInitSecretName = (vm: ResolvedVm) => names.cloudInitSecretName(vm.name);

/** Live migration needs storage every node can reach: ephemeral disks or the replicated class. */
export function canLiveMigrate(vm: ResolvedVm): boolean {
    const persistentClasses = [...(vm.disk ? [vm.storageClass] : []), ...vm.volumes.map((v) => v.storageClass ?? vm.storageClass)];
    return persistentClasses.every((c) => c === "replicated");
}

function diskStorage(size: string, storageClass: string | undefined) {
    const shared = storageClass === "replicated" ? { accessModes: ["ReadWriteMany"], volumeMode: "Block" } : {};
    return { ...(storageClass ? { storageClassName: storageClass } : {}), ...shared, resources: { requests: { storage: size } } };
}

export function rootDataVolume(vm: ResolvedVm) {
    return {
        apiVersion: "cdi.kubevirt.io/v1beta1",
        kind: "DataVolume",
        metadata: { name: rootDiskName(vm), namespace: vm.namespace, labels: vmLabels(vm) },
        spec: {
            source: { registry: { url: `docker://${vm.image}` } },
            storage: diskStorage(vm.disk as string, vm.storageClass),
        },
    };
}

export function volumeDataVolume(vm: ResolvedVm, volume: ResolvedVm["volumes"][number]) {
    return {
        apiVersion: "cdi.kubevirt.io/v1beta1",
        kind: "DataVolume",
        metadata: { name: volumeName(vm, volume.name), namespace: vm.namespace, labels: vmLabels(vm) },
        spec: { source: { blank: {} }, storage: diskStorage(volume.size, volume.storageClass ?? vm.storageClass) },
    };
}

export function virtualMachine(vm: ResolvedVm) {
    const os = vm.osConfig;
    const disk = (name: string) => ({ name, disk: { bus: "virtio" } });
    const rootVolume = vm.disk ? { name: "root", dataVolume: { name: rootDiskName(vm) } } : { name: "root", containerDisk: { image: vm.image } };
    return {
        apiVersion: "kubevirt.io/v1",
        kind: "VirtualMachine",
        metadata: { name: vm.name, namespace: vm.namespace, labels: vmLabels(vm) },
        spec: {
            runStrategy: vm.runStrategy,
            template: {
                metadata: { labels: { ...vmPodLabels, [labels.vm]: vm.name, [labels.team]: vm.team } },
                spec: {
                    hostname: vm.name,
                    subdomain: "vm",
                    domain: {
                        cpu: { cores: Math.max(1, Math.ceil(parseCpu(vm.cpu) ?? 1)) },
                        memory: { guest: vm.memory },
                        resources: { requests: { cpu: vm.cpu, memory: vm.memory } },
                        devices: {
                            disks: [disk("root"), disk("cloudinit"), ...vm.volumes.map((v) => disk(v.name))],
                            interfaces: [{ name: "default", masquerade: {} }],
                        },
                    },
                    networks: [{ name: "default", pod: {} }],
                    evictionStrategy: canLiveMigrate(vm) ? "LiveMigrate" : "None",
                    ...(Object.keys(os.nodeSelector).length > 0 ? { nodeSelector: os.nodeSelector } : {}),
                    ...(os.affinity ? { affinity: os.affinity } : {}),
                    ...(os.tolerations.length > 0 ? { tolerations: os.tolerations } : {}),
                    ...(os.dnsPolicy ? { dnsPolicy: os.dnsPolicy } : {}),
                    ...(os.dnsConfig ? { dnsConfig: os.dnsConfig } : {}),
                    volumes: [
                        rootVolume,
                        { name: "cloudinit", cloudInitNoCloud: { secretRef: { name: cloudInitSecretName(vm) } } },
                        ...vm.volumes.map((v) => ({ name: v.name, dataVolume: { name: volumeName(vm, v.name) } })),
                    ],
                },
            },
        },
    };
}
