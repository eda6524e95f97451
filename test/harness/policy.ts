import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { RecordedResource } from "../../tools/offline/recordingMonitor";
import { PolicyConfigFile, runPolicies } from "../../tools/policy/runPolicies";

/**
 * Calls one policy the way CrossGuard does (@pulumi/policy 1.21 arguments: props, name, type,
 * urn, stackTags, getConfig, notApplicable) on hand-made resources, and returns the messages it
 * reported. A policy that calls notApplicable reports nothing.
 */
export interface FixtureResource {
    type: string;
    name: string;
    props: Record<string, unknown>;
    protect?: boolean;
}

/**
 * A resource as the engine records it. An ironcloud component registers its props as outputs
 * too (what its stack policies read); a custom resource's provider is configured.
 */
export function fixture(resource: FixtureResource): RecordedResource {
    const component = resource.type.startsWith("ironcloud:");
    return {
        urn: `urn:pulumi:test::ironcloud::${resource.type}::${resource.name}`,
        type: resource.type,
        name: resource.name,
        custom: !component,
        parent: "",
        provider: "",
        dependencies: [],
        protect: resource.protect ?? false,
        ignoreChanges: [],
        inputs: resource.props,
        propertyDependencies: {},
        ...(component ? { outputs: resource.props } : {}),
    };
}

export async function violationsOf(
    policy: ResourceValidationPolicy | StackValidationPolicy,
    resources: FixtureResource[],
    config: Record<string, unknown> = {},
): Promise<string[]> {
    const file: PolicyConfigFile = { [policy.name]: { enforcementLevel: "mandatory", ...config } };
    return (await runPolicies(resources.map(fixture), [policy], file)).map((v) => (v.resource ? `${v.resource}: ${v.message}` : v.message));
}
