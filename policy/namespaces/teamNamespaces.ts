import { PolicyResource } from "@pulumi/policy";
import { types } from "../lib/policy";

/** The label the program puts on every team namespace (components/labels.ts). */
export const teamLabel = "ironcloud.dev/team";

export interface TeamNamespace {
    /** The Kubernetes namespace name. */
    namespace: string;
    /** The resource a violation about this namespace is reported against. */
    urn: string;
}

interface Metadata {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
}

export const metadataOf = (r: { props: Record<string, unknown> }): Metadata => (r.props.metadata ?? {}) as Metadata;

/** The namespace a namespaced object lands in; Pulumi's Kubernetes provider defaults to "default". */
export const namespaceOf = (r: { props: Record<string, unknown> }): string => metadataOf(r).namespace || "default";

/** `namespace/name` of a namespaced object, for messages; the resource's name when metadata has none. */
export const namespacedName = (metadata: Metadata | undefined, resourceName: string): string =>
    `${metadata?.namespace || "default"}/${metadata?.name ?? resourceName}`;

/**
 * Every team namespace of the stack: Namespace resources labelled ironcloud.dev/team, and the
 * namespaces the VM service declares for its teams (even when no Namespace resource carries them).
 */
export function teamNamespaces(resources: PolicyResource[]): TeamNamespace[] {
    const found = new Map<string, TeamNamespace>();
    for (const r of resources.filter((r) => r.type === types.namespace)) {
        const meta = metadataOf(r);
        if (meta.labels?.[teamLabel] === undefined) continue;
        const namespace = meta.name ?? r.name;
        if (!found.has(namespace)) found.set(namespace, { namespace, urn: r.urn });
    }
    for (const service of resources.filter((r) => r.type === types.vmService)) {
        const teams = (service.props.teams ?? []) as { name: string; namespace?: string }[];
        for (const team of teams) {
            const namespace = team.namespace ?? team.name;
            if (!found.has(namespace)) found.set(namespace, { namespace, urn: service.urn });
        }
    }
    return [...found.values()];
}

/** The resources of `type` whose metadata.namespace is `namespace`. */
export const inNamespace = (resources: PolicyResource[], type: string, namespace: string) =>
    resources.filter((r) => r.type === type && metadataOf(r).namespace === namespace);
