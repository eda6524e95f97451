/**
 * KubeVirt and CDI custom resources. Their operators come from pinned release manifests; the
 * resources carry `pulumi.com/waitFor` so `pulumi up` continues only once they are Available,
 * which is what the VM layer waits for.
 */
export const kubevirtNamespace = "kubevirt";
const waitUntilAvailable = { "pulumi.com/waitFor": "condition=Available" };

export interface KubevirtInput {
    /** Software CPU emulation for labs without /dev/kvm (slow; never in production). */
    emulation: boolean;
    /** Namespace and service account of Prometheus, so virt-operator declares its ServiceMonitor. */
    monitoring?: { namespace: string; account: string };
}

/** Gates the VM service uses: growing disks and snapshots. LiveMigration is GA in v1.8. */
export const kubevirtFeatureGates = ["ExpandDisks", "Snapshot"];

export function kubevirtResource({ emulation, monitoring }: KubevirtInput) {
    return {
        apiVersion: "kubevirt.io/v1",
        kind: "KubeVirt",
        metadata: { name: "kubevirt", namespace: kubevirtNamespace, annotations: waitUntilAvailable },
        spec: {
            imagePullPolicy: "IfNotPresent",
            configuration: {
                developerConfiguration: { useEmulation: emulation, featureGates: kubevirtFeatureGates },
                // Node drains and upgrades move VMs instead of stopping them.
                evictionStrategy: "LiveMigrate",
            },
            workloadUpdateStrategy: { workloadUpdateMethods: ["LiveMigrate", "Evict"] },
            ...(monitoring ? { monitorNamespace: monitoring.namespace, monitorAccount: monitoring.account } : {}),
        },
    };
}

export function cdiResource(scratchStorageClass: string | undefined) {
    const linux = { nodeSelector: { "kubernetes.io/os": "linux" } };
    return {
        apiVersion: "cdi.kubevirt.io/v1beta1",
        kind: "CDI",
        metadata: { name: "cdi", annotations: waitUntilAvailable },
        spec: {
            imagePullPolicy: "IfNotPresent",
            config: {
                featureGates: ["HonorWaitForFirstConsumer"],
                ...(scratchStorageClass ? { scratchSpaceStorageClass: scratchStorageClass } : {}),
            },
            infra: linux,
            workload: linux,
            // Removing CDI must never take imported disks with it.
            uninstallStrategy: "BlockUninstallIfWorkloadsExist",
        },
    };
}
