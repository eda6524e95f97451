import { AccessConfig } from "../../infra/config";
import { jumpHostLabels, labels, managedBy, vmPodLabels } from "../labels";
import { dnsPorts } from "../tenancy/teamObjects";

/**
 * The jump host's Kubernetes objects: sshd as the unprivileged jump user on a read-only root
 * filesystem, at least two replicas spread over nodes, a long grace period so sessions drain,
 * a LoadBalancer address, and egress only to port 22 of VM pods (and DNS).
 */

const sessionDrainSeconds = 3600;

export function passwdFiles(access: AccessConfig) {
    return {
        passwd: `${access.user}:x:${access.uid}:${access.gid}:ironcloud jump host:/nonexistent:/bin/false\n`,
        group: `${access.user}:x:${access.gid}:\n`,
    };
}

export interface JumpHostPodInput {
    /** The namespace the jump host runs in. */
    namespace: string;
    /** Team namespaces, so `<vm>.vm` resolves through the pod's DNS search list. */
    teamNamespaces: string[];
    dnsDomain: string;
    /** Checksum of the public config, so a change rolls the pods. */
    configChecksum: string;
}

/** Kubernetes allows 32 search domains; the pod's own namespace brings three. */
const maxTeamSearchDomains = 29;

export function jumpHostDeployment(access: AccessConfig, { namespace, teamNamespaces, dnsDomain, configChecksum }: JumpHostPodInput) {
    const mount = (name: string, mountPath: string, subPath?: string) => ({ name, mountPath, readOnly: true, ...(subPath ? { subPath } : {}) });
    return {
        metadata: { name: "jump-host", namespace, labels: { ...managedBy, ...jumpHostLabels } },
        spec: {
            replicas: access.replicas,
            selector: { matchLabels: jumpHostLabels },
            template: {
                metadata: { labels: jumpHostLabels, annotations: { "ironcloud.dev/config-checksum": configChecksum } },
                spec: {
                    terminationGracePeriodSeconds: sessionDrainSeconds,
                    automountServiceAccountToken: false,
                    securityContext: {
                        runAsUser: access.uid,
                        runAsGroup: access.gid,
                        fsGroup: access.gid,
                        runAsNonRoot: true,
                        seccompProfile: { type: "RuntimeDefault" },
                    },
                    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: jumpHostLabels } }],
                    dnsConfig: { searches: teamNamespaces.slice(0, maxTeamSearchDomains).map((ns) => `${ns}.svc.${dnsDomain}`) },
                    containers: [{
                        name: "sshd",
                        image: access.image,
                        command: ["/usr/sbin/sshd", "-D", "-e", "-f", "/etc/ironcloud/sshd_config"],
                        ports: [{ name: "ssh", containerPort: access.port, protocol: "TCP" }],
                        securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
                        resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { memory: "256Mi" } },
                        readinessProbe: { tcpSocket: { port: access.port }, periodSeconds: 10 },
                        livenessProbe: { tcpSocket: { port: access.port }, periodSeconds: 20, failureThreshold: 3 },
                        // New connections stop when the pod leaves the Service; open sessions may finish.
                        lifecycle: { preStop: { exec: { command: ["/bin/sh", "-c", `i=0; while pgrep -f 'sshd: ${access.user}' >/dev/null && [ $i -lt ${sessionDrainSeconds / 5} ]; do sleep 5; i=$((i+1)); done`] } } },
                        volumeMounts: [
                            mount("config", "/etc/ironcloud/sshd_config", "sshd_config"),
                            mount("config", "/etc/passwd", "passwd"),
                            mount("config", "/etc/group", "group"),
                            mount("host-key", "/etc/ironcloud/host"),
                            mount("users", "/etc/ironcloud/users"),
                            { name: "run", mountPath: "/run/sshd" },
                            { name: "tmp", mountPath: "/tmp" },
                        ],
                    }],
                    volumes: [
                        { name: "config", configMap: { name: "jump-host" } },
                        { name: "host-key", secret: { secretName: "jump-host-key", defaultMode: 0o440 } },
                        { name: "users", configMap: { name: "jump-host-users" } },
                        { name: "run", emptyDir: { medium: "Memory", sizeLimit: "1Mi" } },
                        { name: "tmp", emptyDir: { medium: "Memory", sizeLimit: "16Mi" } },
                    ],
                },
            },
        },
    };
}

export function jumpHostService(access: AccessConfig, namespace: string) {
    return {
        metadata: {
            name: "jump-host",
            namespace,
            labels: { ...managedBy, ...jumpHostLabels },
            ...(access.loadBalancerIP ? { annotations: { "lbipam.cilium.io/ips": access.loadBalancerIP } } : {}),
        },
        spec: {
            type: "LoadBalancer",
            // L2 announcements do not support externalTrafficPolicy: Local.
            externalTrafficPolicy: "Cluster",
            selector: jumpHostLabels,
            ports: [{ name: "ssh", protocol: "TCP", port: access.port, targetPort: access.port }],
        },
    };
}

export function jumpHostDisruptionBudget(namespace: string) {
    return { metadata: { name: "jump-host", namespace, labels: managedBy }, spec: { minAvailable: 1, selector: { matchLabels: jumpHostLabels } } };
}

/** In: SSH from anywhere. Out: port 22 of VM pods in team namespaces, and DNS. Nothing else. */
export function jumpHostNetworkPolicy(access: AccessConfig, namespace: string) {
    return {
        metadata: { name: "jump-host", namespace, labels: managedBy },
        spec: {
            podSelector: { matchLabels: jumpHostLabels },
            policyTypes: ["Ingress", "Egress"],
            ingress: [{ ports: [{ protocol: "TCP", port: access.port }] }],
            egress: [
                {
                    to: [{ namespaceSelector: { matchExpressions: [{ key: labels.team, operator: "Exists" }] }, podSelector: { matchLabels: vmPodLabels } }],
                    ports: [{ protocol: "TCP", port: 22 }],
                },
                {
                    to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
                    ports: dnsPorts,
                },
            ],
        },
    };
}
