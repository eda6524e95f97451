import { kubernetesType } from "./platform/extras";

/**
 * A Kubernetes object as its component declared it, registered among the component's outputs
 * (`kubernetesObjects`). Under the Pulumi CLI a stack policy sees each resource's outputs, and at
 * the first preview of a Talos stack the Kubernetes provider is not configured yet (its
 * kubeconfig comes from the PKI being created), so every Kubernetes object's outputs are empty.
 * The declared copy is plain data known at preview; policy/lib/objects.ts reads it whenever the
 * engine has no outputs for the object.
 */
export interface DeclaredObject {
    /** The provider's token for the kind, e.g. kubernetes:core/v1:Namespace. */
    type: string;
    /** The Pulumi resource name of the object. */
    name: string;
    props: Record<string, unknown>;
}

export function declaredObject(name: string, apiVersion: string, kind: string, props: object): DeclaredObject {
    return { type: kubernetesType(apiVersion, kind), name, props: { apiVersion, kind, ...props } };
}
