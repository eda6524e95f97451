import { cidrContains, cidrsOverlap } from "./network";
import { Problem } from "./problem";
import { parseBytes, parseCpu } from "../../policy/lib/rules/quantity";
import { QuotaKey, quotaOverruns } from "../../policy/lib/rules/quotaRules";
import { AccessConfig, ClusterConfig, Environment, FleetConfig, OperatingSystemConfig, PlatformConfig, TeamConfig, VmConfig } from "./sections";
import { copiesProblem, drbdExtension, lacksDrbd } from "../../policy/lib/rules/storageRules";
import { duplicates } from "./uniqueness";
import { vmNameProblems } from "./vmNames";

/** Cross-section rules for the platform, access and VM sections. */

export function platformProblems(platform: PlatformConfig, cluster: ClusterConfig | undefined, environment?: Environment): Problem[] {
    const problems: Problem[] = [];
    const storage = platform.storage;
    const isTalos = cluster !== undefined && cluster.kubeconfig === undefined;
    if (storage.enabled && isTalos && lacksDrbd(cluster.extensions)) {
        problems.push({
            path: "platform.storage.enabled",
            message: `LINSTOR storage needs the DRBD kernel module from the Talos extension: add ${drbdExtension} to ironcloud:cluster.extensions, or set platform.storage.enabled: false`,
        });
    }
    const copies = storage.enabled ? copiesProblem(environment, storage.replicas) : undefined;
    if (copies) problems.push({ path: "platform.storage.replicas", message: `is ${storage.replicas}: the replicated StorageClass ${copies}; use 2 or more (at most the nodes that run workloads)` });
    if (storage.enabled && !platform.certManager.enabled) {
        problems.push({ path: "platform.certManager.enabled", message: "must be true while platform.storage is on: LINSTOR takes its TLS certificates from cert-manager" });
    }
    if (cluster?.kubeconfig !== undefined && platform.networking.enabled) {
        problems.push({ path: "platform.networking.enabled", message: "must be false for an existing cluster (cluster.kubeconfig): it keeps its own CNI; ironcloud installs Cilium only on Talos clusters it builds" });
    }
    if (storage.enabled && storage.pool === "zfs-thin" && isTalos && !cluster.extensions.includes("siderolabs/zfs")) {
        problems.push({ path: "platform.storage.pool", message: "zfs-thin needs the siderolabs/zfs extension in ironcloud:cluster.extensions; or use lvm-thin" });
    }
    if (storage.enabled && storage.pool !== "file-thin" && storage.devices.length === 0) {
        problems.push({ path: "platform.storage.devices", message: `must list at least one disk (e.g. /dev/sdb) for the ${storage.pool} pool, or use pool: file-thin for a lab` });
    }
    if (storage.enabled && isTalos) {
        const storageNodes = (cluster.nodes ?? []).filter((n) => n.role === "worker" || cluster.allowSchedulingOnControlPlanes).length;
        if (storageNodes > 0 && storage.replicas > storageNodes) {
            problems.push({ path: "platform.storage.replicas", message: `is ${storage.replicas}, but only ${storageNodes} nodes can hold replicas; use at most ${storageNodes}` });
        }
    }
    if (cluster !== undefined) {
        const internal = [...cluster.network.podSubnets, ...cluster.network.serviceSubnets];
        const hostAddresses = [...(cluster.vip ? [cluster.vip] : []), ...(cluster.nodes ?? []).map((n) => n.address)];
        platform.loadBalancerIPs.forEach((pool, i) => {
            const clash = internal.find((network) => cidrsOverlap(network, pool));
            if (clash) problems.push({ path: `platform.loadBalancerIPs[${i}]`, message: `${pool} overlaps the pod or service network ${clash}` });
            const taken = hostAddresses.filter((address) => cidrContains(pool, address));
            if (taken.length > 0) problems.push({ path: `platform.loadBalancerIPs[${i}]`, message: `${pool} contains node or VIP addresses (${taken.join(", ")}); LoadBalancer addresses must be free` });
        });
    }
    return problems;
}

export function accessProblems(access: AccessConfig, platform: PlatformConfig | undefined, vmCount: number): Problem[] {
    const problems: Problem[] = [];
    if (vmCount > 0 && access.authorizedKeys.length === 0 && access.trustedUserCAKeys.length === 0) {
        problems.push({ path: "access", message: "needs at least one entry in authorizedKeys or trustedUserCAKeys, or nobody can pass the jump host to reach the VMs" });
    }
    if (vmCount > 0 && access.loadBalancerIP === undefined && access.hostnames.length === 0) {
        problems.push({ path: "access.loadBalancerIP", message: "is required while VMs exist (or set access.hostnames): the jump host's certificate names the address clients connect to" });
    }
    if (platform === undefined) return problems;
    if (vmCount > 0 && !platform.virtualization.enabled) {
        problems.push({ path: "platform.virtualization.enabled", message: "must be true while ironcloud:vms or ironcloud:fleets declare VMs" });
    }
    const pools = platform.loadBalancerIPs;
    if (access.loadBalancerIP !== undefined && platform.networking.enabled && !pools.some((pool) => cidrContains(pool, access.loadBalancerIP as string))) {
        problems.push({ path: "access.loadBalancerIP", message: `${access.loadBalancerIP} is not inside any of platform.loadBalancerIPs (${pools.join(", ") || "none declared"})` });
    }
    return problems;
}

export function operatingSystemProblems(operatingSystems: Record<string, OperatingSystemConfig>): Problem[] {
    return Object.entries(operatingSystems).flatMap(([name, os]) =>
        os.defaultVersion !== undefined && !os.versions.includes(os.defaultVersion)
            ? [{ path: `operatingSystems.${name}.defaultVersion`, message: `"${os.defaultVersion}" is not in versions (${os.versions.join(", ")})` }]
            : [],
    );
}

/** Namespaces the platform itself uses; a team (whose namespace is its name) cannot take them. */
const reservedNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease", "cert-manager", "piraeus-datastore", "kubevirt", "cdi", "monitoring", "ironcloud-access"];

/** `accessNamespace`: where the jump host runs (a VmService may name another than ironcloud-access). */
export function teamProblems(teams: TeamConfig[], accessNamespace = "ironcloud-access"): Problem[] {
    const taken = [...new Set([...reservedNamespaces, accessNamespace])];
    const reserved = teams.flatMap((team, i) =>
        taken.includes(team.name) || team.name.startsWith("kube-")
            ? [{ path: `teams[${i}].name`, message: `"${team.name}" is a namespace the platform uses; reserved: ${taken.join(", ")}, kube-*` }]
            : []);
    return [...reserved, ...duplicates(teams.map((t) => t.name), (i) => `teams[${i}].name`, "team name")];
}

interface Catalog {
    operatingSystems?: Record<string, OperatingSystemConfig>;
    teams?: TeamConfig[];
    platform?: PlatformConfig;
}

/** Rules over VMs and fleets together: they share names, teams and quotas. */
export function workloadProblems(vms: VmConfig[], fleets: FleetConfig[], catalog: Catalog): Problem[] {
    const declared = [
        ...vms.map((vm, i) => ({ spec: vm, path: `vms[${i}]`, names: [vm.name], count: 1 })),
        ...fleets.map((fleet, i) => ({
            spec: fleet,
            path: `fleets[${i}]`,
            names: Array.from({ length: fleet.replicas }, (_, r) => `${fleet.name}-${r}`),
            count: fleet.replicas,
        })),
    ];
    const problems = declared.flatMap(({ spec, path }) => workloadSpecProblems(spec, path, catalog));

    problems.push(...vmNameProblems(declared.flatMap(({ spec, path, names }) =>
        names.map((name) => ({ name, team: spec.team, path, disk: spec.disk !== undefined, volumes: spec.volumes })))));
    for (const { path, names } of declared) {
        const longest = names[names.length - 1];
        if (longest.length > 63) problems.push({ path: `${path}.name`, message: `VM name "${longest}" is longer than 63 characters` });
    }
    if (catalog.teams && catalog.operatingSystems) problems.push(...quotaProblems(declared, catalog.teams, catalog.operatingSystems));
    return problems;
}

function workloadSpecProblems(spec: VmConfig, path: string, catalog: Catalog): Problem[] {
    const problems: Problem[] = [];
    if (catalog.teams && !catalog.teams.some((t) => t.name === spec.team)) {
        problems.push({ path: `${path}.team`, message: `unknown team "${spec.team}"; declared: ${catalog.teams.map((t) => t.name).join(", ") || "none"}` });
    }
    const os = catalog.operatingSystems?.[spec.os];
    if (catalog.operatingSystems && os === undefined) {
        problems.push({ path: `${path}.os`, message: `unknown OS "${spec.os}"; known: ${Object.keys(catalog.operatingSystems).join(", ") || "none"}` });
    }
    if (os && spec.version !== undefined && !os.versions.includes(spec.version)) {
        problems.push({ path: `${path}.version`, message: `"${spec.version}" is not a version of ${spec.os}; allowed: ${os.versions.join(", ")}` });
    }
    if (spec.authorizedKeys.length === 0 && spec.trustedUserCAKeys.length === 0) {
        problems.push({ path, message: "needs at least one entry in authorizedKeys or trustedUserCAKeys, or nobody can log in" });
    }
    if (catalog.platform === undefined) return problems;
    const storageOn = catalog.platform.storage.enabled;
    const needsClass = [spec.disk !== undefined ? "disk" : undefined, ...spec.volumes.map((_, i) => `volumes[${i}]`)].filter((x): x is string => x !== undefined);
    if (!storageOn && needsClass.length > 0 && spec.storageClass === undefined) {
        problems.push({ path: `${path}.storageClass`, message: `is required for ${needsClass.join(", ")} when platform.storage is off (name an existing StorageClass)` });
    }
    return problems;
}

interface DeclaredWorkload {
    spec: VmConfig;
    path: string;
    count: number;
}

function quotaProblems(declared: DeclaredWorkload[], teams: TeamConfig[], operatingSystems: Record<string, OperatingSystemConfig>): Problem[] {
    return teams.flatMap((team, i) => {
        const members = declared.filter((d) => d.spec.team === team.name);
        const sum = (pick: (d: DeclaredWorkload) => number) => members.reduce((total, d) => total + pick(d) * d.count, 0);
        const usage = {
            cpu: sum((d) => parseCpu(d.spec.cpu ?? operatingSystems[d.spec.os]?.resources.cpu ?? "0") ?? 0),
            memory: sum((d) => parseBytes(d.spec.memory ?? operatingSystems[d.spec.os]?.resources.memory ?? "0") ?? 0),
            storage: sum((d) => [d.spec.disk, ...d.spec.volumes.map((v) => v.size)].reduce((total, size) => total + (size === undefined ? 0 : (parseBytes(size) ?? 0)), 0)),
        };
        // The schema has already refused quotas that are not quantities.
        return quotaOverruns(team.quota, usage).flatMap((overrun) => ("invalid" in overrun ? [] : [{
            path: `teams[${i}].quota.${overrun.key}`,
            message: `VMs of team "${team.name}" request ${overrun.used}${quotaUnits[overrun.key]} in total, more than the quota of ${team.quota[overrun.key]}`,
        }]));
    });
}

const quotaUnits: Record<QuotaKey, string> = { cpu: " CPUs", memory: " of memory", storage: " of disk" };
