import { Problem } from "./problem";
import { AccessConfig, FleetConfig, OperatingSystemConfig, PlatformConfig, TeamConfig, VmConfig } from "./sections";
import { accessProblems, operatingSystemProblems, teamProblems, workloadProblems } from "./serviceRules";
import { resolveSshKeyNames } from "./sshKeyNames";

/**
 * The sections the VM service is declared from, as far as they parsed: the stack config
 * (infra/config.ts) and the VmService component check them with these two functions, so a
 * library user gets the stack config's messages.
 */
export interface VmServiceSections {
    platform?: PlatformConfig;
    access?: AccessConfig;
    operatingSystems?: Record<string, OperatingSystemConfig>;
    teams?: TeamConfig[];
    vms?: VmConfig[];
    fleets?: FleetConfig[];
}

/** Puts the declared keys in place of their names, in every section that parsed. */
export function resolveKeyNames(spec: VmServiceSections, sshKeys: Record<string, string>): Problem[] {
    const access = resolveSshKeyNames(spec.access ? [["access", spec.access]] : [], sshKeys);
    const vms = resolveSshKeyNames((spec.vms ?? []).map((vm, i) => [`vms[${i}]`, vm]), sshKeys);
    const fleets = resolveSshKeyNames((spec.fleets ?? []).map((fleet, i) => [`fleets[${i}]`, fleet]), sshKeys);
    if (spec.access) spec.access = access.resolved[0];
    if (spec.vms) spec.vms = vms.resolved;
    if (spec.fleets) spec.fleets = fleets.resolved;
    return [...access.problems, ...vms.problems, ...fleets.problems];
}

/** The rules across the VM service's sections; a section that did not parse is left out. */
export function vmServiceProblems(spec: VmServiceSections, accessNamespace?: string): Problem[] {
    const problems: Problem[] = [];
    if (spec.operatingSystems) problems.push(...operatingSystemProblems(spec.operatingSystems));
    if (spec.teams) problems.push(...teamProblems(spec.teams, accessNamespace));
    if (spec.vms && spec.fleets) {
        problems.push(...workloadProblems(spec.vms, spec.fleets, spec));
        if (spec.access) problems.push(...accessProblems(spec.access, spec.platform, spec.vms.length + spec.fleets.length));
    }
    return problems;
}
