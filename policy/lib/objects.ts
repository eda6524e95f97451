import { PolicyResource } from "@pulumi/policy";

/**
 * A stack policy sees each resource's outputs. At the first preview of a Talos stack the
 * Kubernetes provider is not configured yet (its kubeconfig comes from the PKI being created),
 * so the engine gives every Kubernetes object empty outputs. Components therefore register the
 * objects the stack policies read as `kubernetesObjects` (components/declaredObjects.ts), plain
 * data known at preview; this puts that copy in place of outputs the engine does not have yet.
 */

interface DeclaredObject {
    type: string;
    name: string;
    props: Record<string, unknown>;
}

const key = (type: string, name: string) => `${type}::${name}`;

function declaredBy(resources: PolicyResource[]): Map<string, Record<string, unknown>> {
    const declared = new Map<string, Record<string, unknown>>();
    for (const r of resources) {
        const objects = r.props.kubernetesObjects;
        if (!Array.isArray(objects)) continue;
        for (const o of objects as DeclaredObject[]) declared.set(key(o.type, o.name), o.props);
    }
    return declared;
}

const isKubernetesObject = (r: PolicyResource) => r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:helm.sh/") && !r.type.startsWith("kubernetes:yaml/");

/** The resources with each Kubernetes object's outputs, or its declared copy while the engine has none. */
export function withDeclaredObjects(resources: PolicyResource[]): PolicyResource[] {
    const declared = declaredBy(resources);
    return resources.map((r) => {
        if (!isKubernetesObject(r) || Object.keys(r.props).length > 0) return r;
        const props = declared.get(key(r.type, r.name));
        return props === undefined ? r : { ...r, props };
    });
}
