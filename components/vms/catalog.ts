import { FleetConfig, OperatingSystemConfig, VmConfig } from "../../infra/config";

/**
 * A VM with everything resolved: fleets expanded to `<fleet>-<i>`, the OS version and
 * resources defaulted from the catalog, the namespace and DNS names fixed.
 */
export interface ResolvedVm {
    name: string;
    team: string;
    namespace: string;
    fleet?: string;
    os: string;
    osConfig: OperatingSystemConfig;
    version: string;
    image: string;
    user: string;
    cpu: string;
    memory: string;
    /** Persistent root disk size; undefined for an ephemeral containerDisk root. */
    disk?: string;
    storageClass?: string;
    runStrategy: VmConfig["runStrategy"];
    owner?: string;
    labels: Record<string, string>;
    authorizedKeys: string[];
    trustedUserCAKeys: string[];
    volumes: VmConfig["volumes"];
    hostAliases: VmConfig["hostAliases"];
    fqdn: string;
    shortName: string;
    /**
     * Names the host certificate vouches for: the FQDN, and `<vm>.vm` only when no other team
     * has a VM of that name — otherwise one team's VM could pass for another's under the short name.
     */
    hostPrincipals: string[];
}

/** Team namespaces are named after the team, so VM FQDNs read `<vm>.vm.<team>.svc.cluster.local`. */
export function teamNamespace(team: string): string {
    return team;
}

/** What VMs are resolved from: the parsed sections, with key names already resolved. */
export interface VmCatalog {
    vms: VmConfig[];
    fleets: FleetConfig[];
    operatingSystems: Record<string, OperatingSystemConfig>;
    dnsDomain: string;
    /** The class of disks and volumes that name none; undefined: the cluster's default class. */
    defaultStorageClass?: string;
}

export function resolveVms(spec: VmCatalog): ResolvedVm[] {
    const dnsDomain = spec.dnsDomain;
    const fromVm = (vm: VmConfig, name: string, fleet?: string): Omit<ResolvedVm, "hostPrincipals"> => {
        const osConfig = spec.operatingSystems[vm.os];
        const version = vm.version ?? osConfig.defaultVersion ?? osConfig.versions[osConfig.versions.length - 1];
        const namespace = teamNamespace(vm.team);
        return {
            name,
            team: vm.team,
            namespace,
            ...(fleet ? { fleet } : {}),
            os: vm.os,
            osConfig,
            version,
            image: `${osConfig.image}:${version}`,
            user: osConfig.user,
            cpu: vm.cpu ?? osConfig.resources.cpu,
            memory: vm.memory ?? osConfig.resources.memory,
            ...(vm.disk ? { disk: vm.disk } : {}),
            storageClass: vm.storageClass ?? spec.defaultStorageClass,
            runStrategy: vm.runStrategy,
            ...(vm.owner ? { owner: vm.owner } : {}),
            labels: vm.labels,
            authorizedKeys: vm.authorizedKeys,
            trustedUserCAKeys: vm.trustedUserCAKeys,
            volumes: vm.volumes,
            hostAliases: vm.hostAliases,
            fqdn: `${name}.vm.${namespace}.svc.${dnsDomain}`,
            shortName: `${name}.vm`,
        };
    };
    const vms = [
        ...spec.vms.map((vm) => fromVm(vm, vm.name)),
        ...spec.fleets.flatMap((fleet: FleetConfig) => Array.from({ length: fleet.replicas }, (_, i) => fromVm(fleet, `${fleet.name}-${i}`, fleet.name))),
    ];
    const teamsByName = new Map<string, Set<string>>();
    for (const vm of vms) teamsByName.set(vm.name, (teamsByName.get(vm.name) ?? new Set()).add(vm.team));
    return vms.map((vm) => ({ ...vm, hostPrincipals: teamsByName.get(vm.name)?.size === 1 ? [vm.shortName, vm.fqdn] : [vm.fqdn] }));
}
