import { TeamConfig } from "../../infra/config";
import { jumpHostLabels, labels, managedBy, vmPodLabels } from "../labels";
import { teamNamespace } from "../vms/catalog";

/**
 * What a team gets: its namespace, a Role for VM users and its bindings, quota and default
 * limits, default-deny networking with exactly the allows VMs need, and the headless Service
 * that gives VMs their DNS names.
 */

export function teamNamespaceObject(team: TeamConfig) {
    return { metadata: { name: teamNamespace(team.name), labels: { ...managedBy, [labels.team]: team.name } } };
}

/** VM users manage VMs, see their instances, disks and pod logs; no Secrets, no exec, no RBAC. */
export function vmUserRole(team: TeamConfig) {
    return {
        metadata: { name: "vm-user", namespace: teamNamespace(team.name), labels: managedBy },
        rules: [
            { apiGroups: ["kubevirt.io"], resources: ["virtualmachines"], verbs: ["get", "list", "watch", "create", "update", "patch", "delete"] },
            { apiGroups: ["kubevirt.io"], resources: ["virtualmachineinstances"], verbs: ["get", "list", "watch"] },
            { apiGroups: ["subresources.kubevirt.io"], resources: ["virtualmachines/start", "virtualmachines/stop", "virtualmachines/restart"], verbs: ["update"] },
            { apiGroups: ["subresources.kubevirt.io"], resources: ["virtualmachineinstances/console", "virtualmachineinstances/vnc"], verbs: ["get"] },
            { apiGroups: ["cdi.kubevirt.io"], resources: ["datavolumes"], verbs: ["get", "list", "watch"] },
            { apiGroups: [""], resources: ["pods", "pods/log"], verbs: ["get", "list", "watch"] },
        ],
    };
}

export function vmUserBinding(team: TeamConfig) {
    const subjects = [
        ...team.users.map((name) => ({ kind: "User", name, apiGroup: "rbac.authorization.k8s.io" })),
        ...team.groups.map((name) => ({ kind: "Group", name, apiGroup: "rbac.authorization.k8s.io" })),
    ];
    return {
        metadata: { name: "vm-users", namespace: teamNamespace(team.name), labels: managedBy },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "vm-user" },
        subjects,
    };
}

/**
 * The team's quota counts VM pods, which carry KubeVirt's per-VM overhead on top of the guest.
 * It caps requests only: a quota on limits would reject every VM pod, which sets no limits.
 */
export function resourceQuota(team: TeamConfig) {
    return {
        metadata: { name: "team-quota", namespace: teamNamespace(team.name), labels: managedBy },
        spec: {
            hard: {
                "requests.cpu": team.quota.cpu,
                "requests.memory": team.quota.memory,
                ...(team.quota.storage ? { "requests.storage": team.quota.storage } : {}),
            },
        },
    };
}

/**
 * Default requests for containers that declare none, so they count against the quota. No
 * default limits: a VM's compute container requests its guest memory and would be refused a
 * default limit below that.
 */
export function limitRange(team: TeamConfig) {
    return {
        metadata: { name: "defaults", namespace: teamNamespace(team.name), labels: managedBy },
        spec: { limits: [{ type: "Container", defaultRequest: { cpu: "100m", memory: "256Mi" } }] },
    };
}

const dnsPeer = { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } };
export const dnsPorts = [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }];

/** `accessNamespace`: where the jump host runs, the one peer allowed to reach the VMs' SSH port. */
export function networkPolicies(team: TeamConfig, accessNamespace: string) {
    const namespace = teamNamespace(team.name);
    const meta = (name: string) => ({ name, namespace, labels: managedBy });
    return [
        { metadata: meta("default-deny"), spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } },
        {
            metadata: meta("allow-ssh-from-jump-host"),
            spec: {
                podSelector: { matchLabels: vmPodLabels },
                policyTypes: ["Ingress"],
                ingress: [{
                    from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": accessNamespace } }, podSelector: { matchLabels: jumpHostLabels } }],
                    ports: [{ protocol: "TCP", port: 22 }],
                }],
            },
        },
        { metadata: meta("allow-dns"), spec: { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [dnsPeer], ports: dnsPorts }] } },
        {
            // CDI's importer pods run in the team namespace and pull disk images over HTTPS.
            metadata: meta("allow-disk-import"),
            spec: {
                podSelector: { matchLabels: { app: "containerized-data-importer" } },
                policyTypes: ["Egress"],
                egress: [{ ports: [{ protocol: "TCP", port: 443 }] }],
            },
        },
    ];
}

/** Headless Service `vm`: with `subdomain: vm` each VM resolves as `<vm>.vm.<namespace>.svc.<domain>`. */
export function vmService(team: TeamConfig) {
    return {
        metadata: { name: "vm", namespace: teamNamespace(team.name), labels: managedBy },
        spec: { clusterIP: "None", selector: vmPodLabels, ports: [{ name: "ssh", protocol: "TCP", port: 22, targetPort: 22 }] },
    };
}
