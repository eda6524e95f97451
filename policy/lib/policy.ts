import { withDeclaredObjects } from "./objects";
import { PolicyConfigSchema, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";

/**
 * Shared shape of ironcloud's policies: every policy takes the stack's environment and a list
 * of named exemptions from the policy config, so nothing is ever exempt silently.
 */

export type Environment = "dev" | "staging" | "prod";

/** An explicit exemption: resources whose name matches `resource` (a glob with `*`) and why. */
export interface Exemption {
    resource: string;
    reason: string;
}

export interface IroncloudPolicyConfig {
    environment?: Environment;
    exemptions?: Exemption[];
}

export const baseConfigSchema: PolicyConfigSchema = {
    properties: {
        environment: { type: "string", enum: ["dev", "staging", "prod"] },
        exemptions: {
            type: "array",
            items: {
                type: "object",
                properties: { resource: { type: "string" }, reason: { type: "string", minLength: 1 } },
                required: ["resource", "reason"],
            },
        },
    },
};

export function configSchema(extra: PolicyConfigSchema["properties"] = {}): PolicyConfigSchema {
    return { properties: { ...baseConfigSchema.properties, ...extra } };
}

export function environmentOf(args: { getConfig<T extends object>(): T }): Environment {
    return args.getConfig<IroncloudPolicyConfig>().environment ?? "dev";
}

function globToRegExp(glob: string): RegExp {
    return new RegExp(`^${glob.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
}

export function exemptionFor(config: IroncloudPolicyConfig, name: string): Exemption | undefined {
    return (config.exemptions ?? []).find((e) => globToRegExp(e.resource).test(name));
}

type ResourceCheck = (args: ResourceValidationArgs, report: ReportViolation) => void | Promise<void>;
type StackCheck = (args: StackValidationArgs, report: ReportViolation) => void | Promise<void>;

/** A resource policy whose config carries the environment and exemptions. */
export function resourcePolicy(policy: Omit<ResourceValidationPolicy, "validateResource" | "configSchema"> & { configSchema?: PolicyConfigSchema; validate: ResourceCheck }): ResourceValidationPolicy {
    const { validate, configSchema: schema, ...rest } = policy;
    return {
        ...rest,
        configSchema: schema ?? baseConfigSchema,
        validateResource: (args, report) => {
            const exemption = exemptionFor(args.getConfig<IroncloudPolicyConfig>(), args.name);
            if (exemption) args.notApplicable(`exempt: ${exemption.reason}`);
            return validate(args, report);
        },
    };
}

/**
 * A stack policy; exempt resources are left out of what it sees, and Kubernetes objects the
 * engine has no outputs for yet are seen as their components declared them (./objects.ts).
 */
export function stackPolicy(policy: Omit<StackValidationPolicy, "validateStack" | "configSchema"> & { configSchema?: PolicyConfigSchema; validate: StackCheck }): StackValidationPolicy {
    const { validate, configSchema: schema, ...rest } = policy;
    return {
        ...rest,
        configSchema: schema ?? baseConfigSchema,
        validateStack: (args, report) => {
            const config = args.getConfig<IroncloudPolicyConfig>();
            const resources = withDeclaredObjects(args.resources).filter((r) => !exemptionFor(config, r.name));
            return validate({ ...args, resources }, report);
        },
    };
}

/** Resource types by Pulumi token, as the program registers them. */
export const types = {
    talosCluster: "ironcloud:talos:TalosCluster",
    storage: "ironcloud:platform:Storage",
    vmService: "ironcloud:vms:VmService",
    release: "kubernetes:helm.sh/v3:Release",
    configFile: "kubernetes:yaml/v2:ConfigFile",
    deployment: "kubernetes:apps/v1:Deployment",
    daemonSet: "kubernetes:apps/v1:DaemonSet",
    statefulSet: "kubernetes:apps/v1:StatefulSet",
    job: "kubernetes:batch/v1:Job",
    role: "kubernetes:rbac.authorization.k8s.io/v1:Role",
    clusterRole: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
    roleBinding: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
    clusterRoleBinding: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
    service: "kubernetes:core/v1:Service",
    namespace: "kubernetes:core/v1:Namespace",
    networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    resourceQuota: "kubernetes:core/v1:ResourceQuota",
    limitRange: "kubernetes:core/v1:LimitRange",
    secret: "kubernetes:core/v1:Secret",
    virtualMachine: "kubernetes:kubevirt.io/v1:VirtualMachine",
    dataVolume: "kubernetes:cdi.kubevirt.io/v1beta1:DataVolume",
    storageClass: "kubernetes:storage.k8s.io/v1:StorageClass",
} as const;
