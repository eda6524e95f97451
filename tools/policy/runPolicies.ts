import { EnforcementLevel, PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy, UnknownValueError } from "@pulumi/policy";
import { RecordedResource } from "../offline/recordingMonitor";
import { reveal } from "../offline/evaluate";
import { isTypeOf, pulumiTypeOf } from "./policyInternals";
import { previewInputs, stackPolicyProps } from "./stackView";

/**
 * CrossGuard, offline: runs the pack's resource policies on every registered resource's inputs
 * and its stack policies on the whole set as the CLI shows it at preview (./stackView.ts), with
 * the same arguments the Pulumi CLI passes (secrets unwrapped, `notApplicable`, per-policy
 * config), and the levels of a config file.
 */

export type PolicyConfigFile = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;

export interface Violation {
    policy: string;
    level: EnforcementLevel;
    resource?: string;
    message: string;
}

type AnyPolicy = ResourceValidationPolicy | StackValidationPolicy;

class NotApplicable extends Error {}

function levelOf(policy: AnyPolicy, config: PolicyConfigFile): EnforcementLevel {
    const entry = config[policy.name] ?? config.all;
    if (typeof entry === "string") return entry;
    return entry?.enforcementLevel ?? policy.enforcementLevel ?? "advisory";
}

function configOf(policy: AnyPolicy, config: PolicyConfigFile): Record<string, unknown> {
    const entry = config[policy.name];
    if (entry === undefined || typeof entry === "string") return {};
    const { enforcementLevel: _level, ...rest } = entry;
    return rest;
}

export function toPolicyResource(r: RecordedResource, props: Record<string, unknown> = reveal(r.inputs) as Record<string, unknown>): PolicyResource {
    return {
        type: r.type,
        props,
        urn: r.urn,
        name: r.name,
        opts: { protect: r.protect, ignoreChanges: r.ignoreChanges, aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [], parent: r.parent || undefined },
        dependencies: [],
        propertyDependencies: {},
        isType: (resourceClass: unknown) => isTypeOf(r.type, resourceClass),
        asType: (resourceClass: unknown) => (isTypeOf(r.type, resourceClass) ? props : undefined),
    } as unknown as PolicyResource;
}

export async function runPolicies(resources: RecordedResource[], policies: AnyPolicy[], config: PolicyConfigFile): Promise<Violation[]> {
    const violations: Violation[] = [];
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const policyResources = resources.map((r) => toPolicyResource(r, previewInputs(r)));
    const stackResources = resources.map((r) => toPolicyResource(r, stackPolicyProps(r, byUrn)));
    const stackTags = new Map<string, string>();
    const notApplicable = (reason?: string): never => { throw new NotApplicable(reason); };
    for (const policy of policies) {
        const level = levelOf(policy, config);
        if (level === "disabled") continue;
        const getConfig = <T extends object>() => configOf(policy, config) as T;
        if ("validateResource" in policy && policy.validateResource) {
            const checks = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
            // As the CLI does: one typed validation (not a list) is not applicable to resources of another type, without a call.
            const onlyType = Array.isArray(policy.validateResource) ? undefined : pulumiTypeOf(policy.validateResource);
            for (const resource of policyResources) {
                if (onlyType !== undefined && resource.type !== onlyType) continue;
                const args = { ...resource, stackTags, getConfig, notApplicable } as unknown as ResourceValidationArgs;
                for (const check of checks) {
                    try {
                        await check(args, (message) => violations.push({ policy: policy.name, level, resource: resource.name, message }));
                    } catch (error) {
                        const unknown = cannotRunAtPreview(policy, error);
                        if (unknown) violations.push({ ...unknown, resource: resource.name });
                        else if (!(error instanceof NotApplicable)) throw error;
                    }
                }
            }
        }
        if ("validateStack" in policy && policy.validateStack) {
            try {
                await policy.validateStack({ resources: stackResources, stackTags, getConfig, notApplicable } as never, (message, urn) =>
                    violations.push({ policy: policy.name, level, resource: stackResources.find((r) => r.urn === urn)?.name, message }));
            } catch (error) {
                const unknown = cannotRunAtPreview(policy, error);
                if (unknown) violations.push(unknown);
                else if (!(error instanceof NotApplicable)) throw error;
            }
        }
    }
    return violations;
}

/** A policy that read a value unknown at preview: CrossGuard reports that, as advisory, and goes on. */
function cannotRunAtPreview(policy: AnyPolicy, error: unknown): Violation | undefined {
    if (!(error instanceof UnknownValueError)) return undefined;
    return { policy: policy.name, level: "advisory", message: `can't run policy '${policy.name}' during preview: ${(error as Error).message}` };
}
