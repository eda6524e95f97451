import { certManagerIssuer } from "./certManagerObjects";

/**
 * LINSTOR through the Piraeus operator, shaped for Talos: DRBD comes from the siderolabs/drbd
 * extension (so the module loader and shutdown guard go), and LVM keeps its metadata under /var,
 * the only writable host path.
 */
export const storageNamespace = "piraeus-datastore";
export const storagePoolName = "ironcloud";

export function linstorCluster(caIssuerName: string) {
    const caIssuer = certManagerIssuer(caIssuerName);
    return {
        apiVersion: "piraeus.io/v1",
        kind: "LinstorCluster",
        metadata: { name: "linstorcluster" },
        spec: {
            internalTLS: { certManager: caIssuer },
            apiTLS: { certManager: caIssuer },
        },
    };
}

export function talosSatelliteConfiguration(caIssuerName: string) {
    const deleted = (name: string) => ({ name, $patch: "delete" });
    const lvmDirectory = (name: string, path: string) => ({ name, hostPath: { path, type: "DirectoryOrCreate" } });
    return {
        apiVersion: "piraeus.io/v1",
        kind: "LinstorSatelliteConfiguration",
        metadata: { name: "talos-loader-override" },
        spec: {
            internalTLS: { certManager: certManagerIssuer(caIssuerName) },
            podTemplate: {
                spec: {
                    initContainers: [deleted("drbd-shutdown-guard"), deleted("drbd-module-loader")],
                    volumes: [
                        ...["run-systemd-system", "run-drbd-shutdown-guard", "systemd-bus-socket", "lib-modules", "usr-src"].map(deleted),
                        lvmDirectory("etc-lvm-backup", "/var/etc/lvm/backup"),
                        lvmDirectory("etc-lvm-archive", "/var/etc/lvm/archive"),
                    ],
                },
            },
        },
    };
}

/** Where LINSTOR keeps volumes and how many copies the replicated class makes. */
export interface StorageLayout {
    /** lvm-thin and zfs-thin build the pool from `devices`; file-thin keeps files under /var (a lab). */
    pool: "lvm-thin" | "zfs-thin" | "file-thin";
    /** Disks the pool is created from on every satellite, e.g. /dev/nvme1n1. */
    devices: string[];
    /** Copies of each volume in the replicated StorageClass. */
    replicas: number;
    /** Which of the two StorageClasses is the cluster default. */
    defaultClass: StorageClassRole;
}

/** The storage pool on every satellite, created by LINSTOR from the listed devices. */
export function storagePoolConfiguration(storage: Pick<StorageLayout, "pool" | "devices">) {
    const source = storage.devices.length > 0 ? { source: { hostDevices: storage.devices } } : {};
    const pool = storage.pool === "lvm-thin" ? { lvmThinPool: { volumeGroup: `vg-${storagePoolName}`, thinPool: storagePoolName }, ...source }
        : storage.pool === "zfs-thin" ? { zfsThinPool: { zPool: storagePoolName }, ...source }
            : { fileThinPool: { directory: `/var/lib/linstor-pools/${storagePoolName}` } };
    return {
        apiVersion: "piraeus.io/v1",
        kind: "LinstorSatelliteConfiguration",
        metadata: { name: "storage-pool" },
        spec: { storagePools: [{ name: storagePoolName, ...pool }] },
    };
}

/** One copy of each volume, or `replicas` copies. */
export type StorageClassRole = "local" | "replicated";

export const defaultStorageClassNames: Record<StorageClassRole, string> = { local: "local", replicated: "replicated" };

export interface StorageClassSpec {
    name: string;
    isDefault: boolean;
    placementCount: number;
}

export function storageClassSpecs(storage: Pick<StorageLayout, "replicas" | "defaultClass">, names: Record<StorageClassRole, string>): (StorageClassSpec & { role: StorageClassRole })[] {
    return [
        { role: "local", name: names.local, isDefault: storage.defaultClass === "local", placementCount: 1 },
        { role: "replicated", name: names.replicated, isDefault: storage.defaultClass === "replicated", placementCount: storage.replicas },
    ];
}

/** Volumes bind where their first pod lands (WaitForFirstConsumer), and can grow. */
export function storageClass({ name, isDefault, placementCount }: StorageClassSpec) {
    return {
        apiVersion: "storage.k8s.io/v1" as const,
        kind: "StorageClass" as const,
        metadata: { name, annotations: { "storageclass.kubernetes.io/is-default-class": String(isDefault) } },
        provisioner: "linstor.csi.linbit.com",
        allowVolumeExpansion: true,
        volumeBindingMode: "WaitForFirstConsumer",
        reclaimPolicy: "Delete",
        parameters: {
            "linstor.csi.linbit.com/storagePool": storagePoolName,
            "linstor.csi.linbit.com/placementCount": String(placementCount),
        },
    };
}
