import { generatedVmConfig } from "../generatedStack";

/** A stack config and the files it names (path relative to the project directory → YAML document). */
export interface BenchStack {
    config: Record<string, unknown>;
    files: Record<string, unknown>;
}

/**
 * `vms` VMs over `teams` teams on the generated 3 + 50 node Talos cluster, each team's VMs and
 * fleets in its own inventory file (the stack config reaches the program in one environment
 * variable, capped at 128 KiB).
 */
export function talosVmStack(vms: number, teams: number): BenchStack {
    const config = generatedVmConfig(vms, teams);
    const files: Record<string, unknown> = {};
    const ofTeam = (key: string, team: string) => (config[key] as { team: string }[]).filter((w) => w.team === team).map(({ team: _team, ...w }) => w);
    config["ironcloud:teams"] = (config["ironcloud:teams"] as { name: string }[]).map((team) => {
        const inventory = `inventories/${team.name}.yaml`;
        files[inventory] = { vms: ofTeam("ironcloud:vms", team.name), fleets: ofTeam("ironcloud:fleets", team.name) };
        return { ...team, inventory };
    });
    delete config["ironcloud:vms"];
    delete config["ironcloud:fleets"];
    return { config, files };
}

/** The address the control plane's LB stand-in writes into the jump host's Service. */
const jumpHostAddress = "127.0.200.10";

/**
 * The same teams, VMs and fleets on an existing cluster that provides KubeVirt and CDI (as
 * test/fixtures/Pulumi.existing.yaml): no Talos layer and no platform service, so `pulumi up`
 * runs against the local control plane. Disks name a StorageClass, which a cluster without
 * ironcloud's storage needs. The kubeconfig is the caller's to set (a secret).
 */
export function onExistingCluster(stack: BenchStack): BenchStack {
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

function inventoryWithStorageClass(document: unknown): unknown {
    if (document === null || typeof document !== "object") return document;
    const inventory = { ...(document as Record<string, unknown>) };
    for (const key of ["vms", "fleets"]) {
        if (Array.isArray(inventory[key])) inventory[key] = (inventory[key] as Workload[]).map(withStorageClass);
    }
    return inventory;
}
