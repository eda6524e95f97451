import { ProjectFiles, projectFiles } from "./projectFiles";
import { clusterProblems } from "./validation/clusterRules";
import { locate, mergeInventories } from "./validation/inventories";
import { manifestFileProblems, wellFormedManifests } from "./validation/mirrorRules";
import { describeIssue } from "./validation/issues";
import { Problem, problemLocation } from "./validation/problem";
import * as sections from "./validation/sections";
import { platformProblems } from "./validation/serviceRules";
import { virtualizationProblems } from "./validation/virtualizationRules";
import { resolveKeyNames, vmServiceProblems } from "./validation/vmServiceRules";

export type { Problem } from "./validation/problem";
export type * from "./validation/sections";

/** The validated, defaulted stack config: everything the program declares comes from here. */
export interface CloudSpec {
    stack: string;
    environment: sections.Environment;
    cluster: sections.ClusterConfig;
    platform: sections.PlatformConfig;
    mirrors: sections.MirrorsConfig;
    access: sections.AccessConfig;
    operatingSystems: Record<string, sections.OperatingSystemConfig>;
    teams: sections.TeamConfig[];
    vms: sections.VmConfig[];
    fleets: sections.FleetConfig[];
}

const namespace = "ironcloud";

const schemas = {
    environment: sections.environment,
    cluster: sections.cluster,
    platform: sections.platform,
    mirrors: sections.mirrors,
    sshKeys: sections.sshKeys,
    access: sections.access,
    operatingSystems: sections.operatingSystems,
    teams: sections.teams,
    vms: sections.vms,
    fleets: sections.fleets,
} as const;

type Key = keyof typeof schemas;
const keys = Object.keys(schemas) as Key[];
const optionalKeys: ReadonlySet<Key> = new Set(["platform", "mirrors", "sshKeys", "access", "operatingSystems", "teams", "vms", "fleets"]);
const emptyValue: Record<Key, unknown> = { environment: undefined, cluster: undefined, platform: {}, mirrors: {}, sshKeys: {}, access: {}, operatingSystems: {}, teams: [], vms: [], fleets: [] };

/** Every problem of a stack config at once, each as `ironcloud:<path>: <why>` or `<inventory file>: <path>: <why>`. */
export class ConfigError extends Error {
    constructor(readonly problems: Problem[]) {
        super(`invalid stack config (${problems.length} ${problems.length === 1 ? "problem" : "problems"}):\n` +
            problems.map((p) => `  ${problemLocation(p)}: ${p.message}`).join("\n"));
        this.name = "ConfigError";
    }
}

/**
 * Turns the raw Pulumi config of a stack (keys `ironcloud:<name>`, values as Pulumi hands them
 * to a program: strings, with objects JSON-encoded) into a CloudSpec, or throws ConfigError
 * listing every problem. Each section is parsed on its own so that a mistake in one does not
 * hide the mistakes in another; cross-section rules run on the sections that parsed.
 *
 * Team inventory files (`teams[].inventory`) and manifests mirrored as project files
 * (`mirrors.manifests`) are read through `files`, by default relative to the working directory,
 * which is the project directory under the Pulumi CLI.
 */
export function parseStackConfig(stack: string, raw: Record<string, string>, files: ProjectFiles = projectFiles(process.cwd())): CloudSpec {
    const problems: Problem[] = [];
    const parsed: Partial<Record<Key, unknown>> = {};

    for (const fullKey of Object.keys(raw)) {
        const [prefix, key] = fullKey.split(":");
        if (prefix === namespace && !keys.includes(key as Key)) {
            problems.push({ path: key, message: `unknown config key; allowed: ${keys.map((k) => `${namespace}:${k}`).join(", ")}` });
        }
    }
    for (const key of keys) {
        const text = raw[`${namespace}:${key}`];
        if (text === undefined) {
            if (optionalKeys.has(key)) parsed[key] = schemas[key].parse(emptyValue[key]);
            else problems.push({ path: key, message: `is required (${requiredHint[key]})` });
            continue;
        }
        const result = schemas[key].safeParse(decode(text), { reportInput: true });
        if (result.success) parsed[key] = result.data;
        else problems.push(...result.error.issues.flatMap((issue) => describeIssue(key, schemas[key], issue)));
    }

    const { sshKeys, ...spec } = parsed as Partial<CloudSpec> & { sshKeys?: Record<string, string> };
    const inventories = spec.teams ? mergeInventories({ vms: spec.vms ?? [], fleets: spec.fleets ?? [] }, spec.teams, files) : undefined;
    if (inventories) {
        problems.push(...inventories.problems);
        // A list that did not parse stays out, as cross-section rules skip broken sections.
        if (spec.vms) spec.vms = inventories.workloads.vms;
        if (spec.fleets) spec.fleets = inventories.workloads.fleets;
    }
    const mirrors = raw[`${namespace}:mirrors`];
    if (mirrors !== undefined) problems.push(...manifestFileProblems(wellFormedManifests(decode(mirrors)), files));
    const merged: Problem[] = [];
    if (sshKeys) merged.push(...resolveKeyNames(spec, sshKeys));
    merged.push(...crossSectionProblems(spec));
    problems.push(...(inventories ? merged.map((p) => locate(p, inventories.workloads)) : merged));
    if (problems.length > 0) throw new ConfigError(problems);
    return { stack, ...(spec as Omit<CloudSpec, "stack">) };
}

const requiredHint: Partial<Record<Key, string>> = {
    environment: "one of dev, staging, prod",
    cluster: "at least name, and either endpoint, installDisk and nodes for a Talos cluster, or kubeconfig for an existing one",
};

function crossSectionProblems(spec: Partial<CloudSpec>): Problem[] {
    const problems: Problem[] = [];
    if (spec.cluster) problems.push(...clusterProblems(spec.cluster, spec.environment));
    if (spec.platform) {
        problems.push(...platformProblems(spec.platform, spec.cluster, spec.environment));
        problems.push(...virtualizationProblems(spec.platform.virtualization, spec.cluster));
    }
    problems.push(...vmServiceProblems(spec));
    return problems;
}

/** Pulumi hands structured values as JSON text and plain values as text. */
function decode(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}
