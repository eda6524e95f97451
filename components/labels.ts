/** Labels ironcloud puts on what it creates; policies and NetworkPolicies select by them. */
export const labels = {
    managedBy: "app.kubernetes.io/managed-by",
    team: "ironcloud.dev/team",
    owner: "ironcloud.dev/owner",
    role: "ironcloud.dev/role",
    vm: "ironcloud.dev/vm",
    os: "ironcloud.dev/os",
    fleet: "ironcloud.dev/fleet",
} as const;

export const managedBy = { [labels.managedBy]: "ironcloud" };

/** Pods of VMs (virt-launcher) carry this, from the VM template. */
export const vmPodLabels = { [labels.role]: "vm" };

/** The jump host's namespace unless a VmService names another (`accessNamespace`). */
export const defaultAccessNamespace = "ironcloud-access";
export const jumpHostLabels = { "app.kubernetes.io/name": "jump-host", [labels.role]: "jump-host" };
