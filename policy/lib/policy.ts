import type { Resource, Unwrap } from "@pulumi/pulumi";
import { withDeclaredObjects } from "./objects";
import { PolicyConfigSchema, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy, validateResourceOfType } from "@pulumi/policy";

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

type PolicyFields<Policy> = Omit<Policy, "validateResource" | "validateStack" | "configSchema"> & { configSchema?: PolicyConfigSchema };

function skipIfExempt(args: ResourceValidationArgs): void {
    const exemption = exemptionFor(args.getConfig<IroncloudPolicyConfig>(), args.name);
    if (exemption) args.notApplicable(`exempt: ${exemption.reason}`);
}

/**
 * A resource policy whose config carries the environment and exemptions, and which checks
 * `args.type` itself. For what resourcePolicyOfType cannot match: several kinds read by one
 * reader (the workload kinds' pod templates, Role and ClusterRole, every namespaced kind), where
 * CrossGuard's typed helper takes one class and filters by type only for a single validation;
 * ironcloud's own components (TalosCluster), whose classes are the program's, not the pack's;
 * and custom resources (KubeVirt's VirtualMachine, CDI's DataVolume), which @pulumi/kubernetes
 * has no class for.
 */
export function resourcePolicy(policy: PolicyFields<ResourceValidationPolicy> & { validate: ResourceCheck }): ResourceValidationPolicy {
    const { validate, configSchema: schema, ...rest } = policy;
    return {
        ...rest,
        configSchema: schema ?? baseConfigSchema,
        validateResource: (args, report) => {
            skipIfExempt(args);
            return validate(args, report);
        },
    };
}

/** A class of a Pulumi SDK, such as `k8s.core.v1.Service`, whose constructor takes `TArgs`. */
type ResourceClass<TResource extends Resource, TArgs> = Parameters<typeof validateResourceOfType<TResource, TArgs>>[0];

/**
 * A resource policy for the resources of one SDK class (CrossGuard's validateResourceOfType, as
 * pulumi-policy-aws builds its policies): CrossGuard calls it for that type only, and it reads
 * the resource's inputs typed as the class's args. Environment and exemptions as resourcePolicy.
 */
export function resourcePolicyOfType<TResource extends Resource, TArgs>(
    resourceClass: ResourceClass<TResource, TArgs>,
    policy: PolicyFields<ResourceValidationPolicy> & { validate: (props: Unwrap<NonNullable<TArgs>>, args: ResourceValidationArgs, report: ReportViolation) => void | Promise<void> },
): ResourceValidationPolicy {
    const { validate, configSchema: schema, ...rest } = policy;
    return {
        ...rest,
        configSchema: schema ?? baseConfigSchema,
        validateResource: validateResourceOfType(resourceClass, (props, args, report) => {
            skipIfExempt(args);
            return validate(props, args, report);
        }),
    };
}

/**
 * A stack policy; exempt resources are left out of what it sees, and Kubernetes objects the
 * engine has no outputs for yet are seen as their components declared them (./objects.ts).
 */
export function stackPolicy(policy: PolicyFields<StackValidationPolicy> & { validate: StackCheck }): StackValidationPolicy {
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

/**
 * Type tokens, as the program registers them, of the resources the generic policies (and the
 * stack policies) read; a policy of one Kubernetes kind names its SDK class instead.
 */
export const types = {
    talosCluster: "ironcloud:talos:TalosCluster",
    storage: "ironcloud:platform:Storage",
    vmService: "ironcloud:vms:VmService",
    release: "kubernetes:helm.sh/v3:Release",
    deployment: "kubernetes:apps/v1:Deployment",
    daemonSet: "kubernetes:apps/v1:DaemonSet",
    statefulSet: "kubernetes:apps/v1:StatefulSet",
    job: "kubernetes:batch/v1:Job",
    role: "kubernetes:rbac.authorization.k8s.io/v1:Role",
    clusterRole: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
    roleBinding: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
    clusterRoleBinding: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
    namespace: "kubernetes:core/v1:Namespace",
    networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    resourceQuota: "kubernetes:core/v1:ResourceQuota",
    limitRange: "kubernetes:core/v1:LimitRange",
    virtualMachine: "kubernetes:kubevirt.io/v1:VirtualMachine",
    dataVolume: "kubernetes:cdi.kubevirt.io/v1beta1:DataVolume",
} as const;
