import { z } from "zod";
import * as versions from "../versions";
import { byteQuantity, cidr, cpuQuantity, devicePath, dnsLabel, httpsOrigin, httpsUrl, ipAddress, labels, macAddress, section, sshKeyOrName, sshPublicKey, uniqueList } from "./fields";
import { imagePinProblem } from "../../policy/lib/rules/imageRules";
import { uniqueBy } from "./uniqueness";
import { chartVersion, exactVersionProblem, kubernetesRelease, talosRelease, VersionRule } from "../../policy/lib/rules/versionRules";
import { builtInVolumes } from "./vmNames";
import { chartRepository, manifestSource, mapKeys } from "./mirrorFields";

/**
 * The shape of every `ironcloud:*` stack config key. Cross-field rules live in *Rules.ts. Lists
 * whose items become objects (nodes, teams, volumes, releases, objects, devices, taints) refuse
 * repeated names here or there; versions are exact here, by the rules the policies use.
 */

/** A version the policy gate will also accept (versionRules.ts): exact, never a range or latest. */
const exactVersion = (rule: VersionRule) => z.string().superRefine((version, ctx) => {
    const problem = exactVersionProblem(rule, version);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/** An image whose tag or digest names what was tested (imageRules.ts, as workload-image-pinned). */
const pinnedImage = z.string().superRefine((image, ctx) => {
    const problem = imagePinProblem(image);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const environment = z.enum(["dev", "staging", "prod"]);

const talosPatch = z.record(z.string(), z.unknown());

const architecture = z.enum(["amd64", "arm64"]);

const taint = section({
    key: z.string().min(1),
    value: z.string().optional(),
    effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]),
});

const node = section({
    name: dnsLabel,
    address: ipAddress,
    role: z.enum(["controlplane", "worker"]),
    installDisk: devicePath.optional(),
    /** Wipe the node with `talosctl reset` when it is removed from the stack. */
    reset: z.boolean().default(false),
    labels: labels.default({}),
    taints: uniqueBy(taint, (t) => `${t.key}:${t.effect}`, { name: "taint", why: "Kubernetes allows one taint per key and effect" }).default([]),
    patches: z.array(talosPatch).default([]),
    /** The MAC address the node netboots from: `npm run netboot` serves it its own architecture's boot assets. */
    mac: macAddress.optional(),
    /** The node's CPU architecture, when it differs from the cluster's (a mixed cluster); only netboot uses it. */
    architecture: architecture.optional(),
});

const reservation = section({ cpu: cpuQuantity, memory: byteQuantity });

const kubelet = section({
    systemReserved: reservation.default({ cpu: "500m", memory: "1Gi" }),
    kubeReserved: reservation.default({ cpu: "500m", memory: "1Gi" }),
    evictionHard: section({
        memoryAvailable: byteQuantity.default("500Mi"),
        nodefsAvailable: z.string().regex(/^\d{1,2}%$/, "must be a percentage such as 10%").default("10%"),
        imagefsAvailable: z.string().regex(/^\d{1,2}%$/, "must be a percentage such as 15%").default("15%"),
    }).default({ memoryAvailable: "500Mi", nodefsAvailable: "10%", imagefsAvailable: "15%" }),
});

/** The cluster's DNS domain, the suffix of every Service name (`<vm>.vm.<team>.svc.<domain>`). */
export const dnsDomain = z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "must be a DNS domain such as cluster.local");

const clusterNetwork = section({
    podSubnets: z.array(cidr).min(1).default(["10.244.0.0/16"]),
    serviceSubnets: z.array(cidr).min(1).default(["10.96.0.0/12"]),
    nodeSubnet: cidr.optional(),
    dnsDomain: dnsDomain.default("cluster.local"),
    vipInterface: z.string().regex(/^[A-Za-z0-9_.-]{1,15}$/, "must be a Linux interface name such as eth0 or bond0").default("eth0"),
});

export const cluster = section({
    name: dnsLabel,
    kubeconfig: z.string().min(1).optional(),
    endpoint: httpsUrl.optional(),
    vip: ipAddress.optional(),
    talosVersion: exactVersion(talosRelease).default(versions.talosVersion),
    kubernetesVersion: exactVersion(kubernetesRelease).default(versions.kubernetesVersion),
    architecture: architecture.default(versions.defaultArchitecture),
    installDisk: devicePath.optional(),
    extensions: uniqueList(z.string().regex(/^siderolabs\/[a-z0-9-]+$/, "must be an official extension such as siderolabs/drbd")).default([]),
    kernelArgs: uniqueList(z.string().regex(/^[^\s]+$/, "must be one kernel argument without spaces, e.g. net.ifnames=0")).default([]),
    /** A self-hosted Image Factory; unset: the public one (infra/versions.ts imageFactory). */
    imageFactory: section({ url: httpsOrigin.optional(), pxeUrl: httpsOrigin.optional() }).optional(),
    diskEncryption: z.enum(["none", "nodeID", "tpm"]).default("none"),
    network: clusterNetwork.default({
        podSubnets: ["10.244.0.0/16"], serviceSubnets: ["10.96.0.0/12"], dnsDomain: "cluster.local", vipInterface: "eth0",
    }),
    allowSchedulingOnControlPlanes: z.boolean().default(false),
    /** Reset every node removed from the stack (otherwise only nodes marked reset: true). */
    allowReset: z.boolean().default(false),
    /** Admin client certificates are renewed by `pulumi up` this many days before they expire. */
    clientCertificateRenewalDays: z.number().int().min(1).max(180).default(30),
    eventsEtcd: section({ endpoints: z.array(httpsUrl).min(1) }).optional(),
    registryMirrors: z.record(z.string().regex(/^[a-z0-9.-]+(:\d+)?$/, "must be a registry host such as docker.io"), z.array(z.string().url("must be a mirror URL such as https://registry.example.com/v2/docker.io")).min(1)).default({}),
    kubelet: kubelet.default({
        systemReserved: { cpu: "500m", memory: "1Gi" },
        kubeReserved: { cpu: "500m", memory: "1Gi" },
        evictionHard: { memoryAvailable: "500Mi", nodefsAvailable: "10%", imagefsAvailable: "15%" },
    }),
    certSANs: z.array(z.string().min(1)).default([]),
    patches: section({
        all: z.array(talosPatch).default([]),
        controlplane: z.array(talosPatch).default([]),
        worker: z.array(talosPatch).default([]),
    }).default({ all: [], controlplane: [], worker: [] }),
    /** `npm run netboot`: what a machine whose MAC no node lists gets (`refuse`: no answer; `default`: the cluster's boot assets). */
    netboot: section({ unknownMachines: z.enum(["refuse", "default"]).default("refuse") }).optional(),
    nodes: z.array(node).optional(),
});

export const platform = section({
    networking: section({
        enabled: z.boolean().default(true),
        hubble: z.boolean().default(false),
        encryption: z.enum(["none", "wireguard"]).default("none"),
    }).default({ enabled: true, hubble: false, encryption: "none" }),
    loadBalancerIPs: z.array(cidr).default([]),
    certManager: section({ enabled: z.boolean().default(true) }).default({ enabled: true }),
    storage: section({
        enabled: z.boolean().default(true),
        pool: z.enum(["lvm-thin", "zfs-thin", "file-thin"]).default("lvm-thin"),
        devices: uniqueList(devicePath).default([]),
        replicas: z.number().int().min(1).max(5).default(2),
        defaultClass: z.enum(["replicated", "local"]).default("replicated"),
    }).default({ enabled: true, pool: "lvm-thin", devices: [], replicas: 2, defaultClass: "replicated" }),
    virtualization: section({
        /** VMs can run on this cluster (ironcloud's VM service needs it while VMs are declared). */
        enabled: z.boolean().default(true),
        /**
         * The existing cluster already runs KubeVirt and CDI (Harvester, Cozystack, an earlier
         * install): ironcloud declares neither and VMs wait for nothing of them.
         */
        provided: z.boolean().default(false),
        emulation: z.boolean().default(false),
    }).default({ enabled: true, provided: false, emulation: false }),
    monitoring: section({ enabled: z.boolean().default(false) }).default({ enabled: false }),
    /** Helm releases a site adds (database operators and the like); the policies apply to them too. */
    extraReleases: uniqueBy(section({
        name: dnsLabel,
        namespace: dnsLabel,
        chart: z.string().min(1),
        version: exactVersion(chartVersion),
        repository: z.string().url("must be the chart repository URL, e.g. https://charts.example.com").optional(),
        values: z.record(z.string(), z.unknown()).default({}),
    }), (r) => r.name, { field: "name", name: "release name", why: "each release is one Pulumi resource named after it (and one Helm release per name and namespace)" }).default([]),
    /** Kubernetes objects a site adds as plain manifests; the policies apply to them too. */
    extraObjects: uniqueBy(z.looseObject({
        apiVersion: z.string().min(1),
        kind: z.string().regex(/^[A-Z][A-Za-z0-9]*$/, "must be a Kubernetes kind such as ConfigMap"),
        metadata: z.looseObject({ name: dnsLabel, namespace: dnsLabel.optional() }),
    }), extraObjectId, { field: "metadata", name: "object", why: "the Pulumi resource is named <kind>-<namespace>-<name>, so kind, namespace and name together must differ" }).default([]),
});

/**
 * Where the pinned platform charts and release manifests come from when the public ones cannot be
 * reached. A mirror changes only where: chart names and versions stay those of infra/versions.ts.
 */
export const mirrors = section({
    /** The stack declares it reaches no public host (the air-gapped policy checks that). */
    airGapped: z.boolean().default(false),
    /**
     * DNS domains inside the site (e.g. `corp.example`): hosts there and below count as internal
     * for the air-gapped policy, like private addresses and the cluster's own services.
     */
    siteDomains: z.array(z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/, "must be a DNS domain such as corp.example")).default([]),
    /** One entry per pinned chart of infra/versions.ts `charts`; a chart left out comes from its public repository. */
    charts: section(mapKeys(versions.charts, () => section({ repository: chartRepository }).optional())).default({}),
    /** The KubeVirt and CDI operator manifests: a mirror URL, or a YAML file in the project. */
    manifests: section(mapKeys(versions.manifests, (pinnedUrl) => manifestSource(pinnedUrl).optional())).default({}),
});

/**
 * Public keys and user CAs declared once and named: VMs, fleets and the jump host list a name
 * instead of repeating the key, which keeps a stack of thousands of VMs within the engine's
 * config size limit.
 */
export const sshKeys = z.record(dnsLabel, sshPublicKey);

export const access = section({
    /** The sshd image; override to pull it from a mirror (pin a tag or digest). */
    image: z.string()
        .regex(/^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)+(:[A-Za-z0-9._-]+)?(@sha256:[0-9a-f]{64})?$/, "must be an image reference such as quay.io/panubo/sshd:1.10.0")
        .pipe(pinnedImage).default(versions.jumpHostImage),
    port: z.number().int().min(1).max(65535).default(2222),
    user: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/, "must be a Linux user name such as jump").default("jump"),
    uid: z.number().int().min(1000).max(65534).default(2222),
    gid: z.number().int().min(1000).max(65534).default(2222),
    replicas: z.number().int().min(1).max(10).default(2),
    loadBalancerIP: ipAddress.optional(),
    hostnames: z.array(z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "must be a DNS name such as jump.example.com")).default([]),
    authorizedKeys: z.array(sshKeyOrName).default([]),
    trustedUserCAKeys: z.array(sshKeyOrName).default([]),
});

const resources = section({ cpu: cpuQuantity, memory: byteQuantity });

export const operatingSystem = section({
    image: z.string().regex(/^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)+$/, "must be an image repository without tag, e.g. quay.io/containerdisks/ubuntu"),
    versions: uniqueList(z.string().regex(/^[A-Za-z0-9._-]+$/, "must be an image tag such as 24.04").refine((tag) => tag.toLowerCase() !== "latest", "must be a released image tag such as 24.04, not latest (which moves)")).min(1),
    defaultVersion: z.string().optional(),
    user: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/, "must be a Linux user name such as ubuntu"),
    resources,
    nodeSelector: z.record(z.string(), z.string()).default({}),
    affinity: z.record(z.string(), z.unknown()).optional(),
    tolerations: z.array(z.record(z.string(), z.unknown())).default([]),
    dnsPolicy: z.enum(["ClusterFirst", "Default", "None"]).optional(),
    dnsConfig: section({
        nameservers: z.array(ipAddress).default([]),
        searches: z.array(z.string()).default([]),
        options: z.array(section({ name: z.string(), value: z.string().optional() })).default([]),
    }).optional(),
});

export const operatingSystems = z.record(dnsLabel, operatingSystem);

export const team = section({
    name: dnsLabel,
    quota: section({ cpu: cpuQuantity, memory: byteQuantity, storage: byteQuantity.optional() }),
    users: uniqueList(z.string().min(1)).default([]),
    groups: uniqueList(z.string().min(1)).default([]),
    /**
     * The team's own file of VMs and fleets (see `inventory` below), relative to the project
     * directory: the team owns that file, the platform team owns the stack file.
     */
    inventory: z.string().regex(/^[^\0]+\.ya?ml$/, "must be the path of a YAML file relative to the project directory, e.g. stacks/prod/alpha.yaml").optional(),
});

export const teams = z.array(team);

const vmFields = {
    name: dnsLabel,
    team: dnsLabel,
    os: dnsLabel,
    version: z.string().optional(),
    cpu: cpuQuantity.optional(),
    memory: byteQuantity.optional(),
    disk: byteQuantity.optional(),
    storageClass: dnsLabel.optional(),
    runStrategy: z.enum(["Always", "RerunOnFailure", "Manual", "Halted"]).default("Always"),
    owner: z.string().min(1).optional(),
    labels: labels.default({}),
    authorizedKeys: z.array(sshKeyOrName).default([]),
    trustedUserCAKeys: z.array(sshKeyOrName).default([]),
    volumes: uniqueBy(section({
        name: dnsLabel.refine((name) => !builtInVolumes.includes(name), `must not be ${builtInVolumes.join(" or ")}: the VM's own disks use those names`),
        size: byteQuantity,
        storageClass: dnsLabel.optional(),
    }), (v) => v.name, { field: "name", name: "volume name", why: "each volume is a disk of the VM and a DataVolume named <vm>-<volume>" }).default([]),
    hostAliases: z.array(section({ ip: ipAddress, hostnames: z.array(z.string().min(1)).min(1) })).default([]),
};

export const vm = section(vmFields);
export const vms = z.array(vm);
const fleetReplicas = z.number().int().min(1).max(1000);
export const fleet = section({ ...vmFields, replicas: fleetReplicas });
export const fleets = z.array(fleet);

/**
 * A team's inventory file: its VMs and fleets, outside the stack config (whose size the engine
 * caps, pulumi/pulumi#8680). `team` may be left out; when given it must be the file's team.
 */
export const inventory = section({
    vms: z.array(section({ ...vmFields, team: dnsLabel.optional() })).default([]),
    fleets: z.array(section({ ...vmFields, team: dnsLabel.optional(), replicas: fleetReplicas })).default([]),
});

export type Environment = z.output<typeof environment>;
export type ClusterConfig = z.output<typeof cluster>;
export type NodeConfig = z.output<typeof node>;
export type Architecture = z.output<typeof architecture>;
export type PlatformConfig = z.output<typeof platform>;
export type MirrorsConfig = z.output<typeof mirrors>;
export type AccessConfig = z.output<typeof access>;
export type OperatingSystemConfig = z.output<typeof operatingSystem>;
export type TeamConfig = z.output<typeof team>;
export type VmConfig = z.output<typeof vm>;
export type FleetConfig = z.output<typeof fleet>;
export type InventoryConfig = z.output<typeof inventory>;

/** The Pulumi resource name of an extra object: `Service` `debug` in `default` → `service-default-debug`. */
export function extraObjectId(object: { kind: string; metadata: { name: string; namespace?: string } }): string {
    return [object.kind.toLowerCase(), object.metadata.namespace, object.metadata.name].filter(Boolean).join("-");
}
