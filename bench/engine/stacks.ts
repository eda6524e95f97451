import { GeneratedStack } from "../generatedStack";

/** The address the control plane's LB stand-in writes into the jump host's Service. */
const jumpHostAddress = "127.0.200.10";

/**
 * The same teams, VMs and fleets on an existing cluster that provides KubeVirt and CDI (as
 * test/fixtures/Pulumi.existing.yaml): no Talos layer and no platform service, so `pulumi up`
 * runs against the local control plane. Disks name a StorageClass, which a cluster without
 * ironcloud's storage needs. The kubeconfig is the caller's to set (a secret).
 */
export function onExistingCluster(stack: GeneratedStack): GeneratedStack {
    const config = { ...stack.config };
    config["ironcloud:environment"] = "dev";
    config["ironcloud:cluster"] = { name: "bench" };
    config["ironcloud:platform"] = {
        networking: { enabled: false },
        certManager: { enabled: false },
        storage: { enabled: false },
        virtualization: { provided: true },
        monitoring: { enabled: false },
    };
    config["ironcloud:access"] = { ...(config["ironcloud:access"] as object), loadBalancerIP: jumpHostAddress };
    for (const key of ["ironcloud:vms", "ironcloud:fleets"]) {
        if (Array.isArray(config[key])) config[key] = (config[key] as Workload[]).map(withStorageClass);
    }
    const files = Object.fromEntries(Object.entries(stack.files).map(([path, document]) => [path, inventoryWithStorageClass(document)]));
    return { config, files };
}

interface Workload {
    disk?: string;
    volumes?: unknown[];
    storageClass?: string;
}

function withStorageClass<T extends Workload>(workload: T): T {
    const needsClass = workload.disk !== undefined || (workload.volumes?.length ?? 0) > 0;
    return needsClass && workload.storageClass === undefined ? { ...workload, storageClass: "standard" } : workload;
}

function inventoryWithStorageClass(inventory: GeneratedStack["files"][string]): GeneratedStack["files"][string] {
    return { vms: inventory.vms.map(withStorageClass), fleets: inventory.fleets.map(withStorageClass) };
}
