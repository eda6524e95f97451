import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/**
 * Talos enforces the `baseline` Pod Security level everywhere but kube-system. Only the
 * namespaces whose pods need host access (LINSTOR satellites, node exporters) are labelled
 * privileged; everything else keeps the cluster default.
 */
export function privilegedNamespaceLabels(): Record<string, string> {
    return {
        "pod-security.kubernetes.io/enforce": "privileged",
        "pod-security.kubernetes.io/audit": "privileged",
        "pod-security.kubernetes.io/warn": "privileged",
    };
}

/**
 * The namespace `namespace`, as the Pulumi resource `resourceName` (prefixed by its component, so two
 * platforms in one program do not collide). It was once named after the namespace alone; the
 * alias keeps existing stacks from replacing it.
 */
export function privilegedNamespace(resourceName: string, namespace: string, opts: pulumi.CustomResourceOptions): k8s.core.v1.Namespace {
    return new k8s.core.v1.Namespace(resourceName, { metadata: { name: namespace, labels: privilegedNamespaceLabels() } },
        pulumi.mergeOptions(opts, { aliases: [{ name: namespace }] }));
}

/**
 * Options for a component's children. A component's own `dependsOn` does not reach its
 * children, so it is passed down explicitly: nothing inside starts before what the component
 * waits for.
 */
export function childOptions(parent: pulumi.Resource, opts: pulumi.ComponentResourceOptions | undefined, after: pulumi.Input<pulumi.Resource>[] = []): pulumi.CustomResourceOptions {
    return pulumi.mergeOptions({ parent, dependsOn: opts?.dependsOn ?? [] }, { dependsOn: after });
}

/** An exact, pinned Helm release (no ranges, no devel versions). */
export interface PinnedChart {
    repository: string | undefined;
    chart: string;
    version: string;
}

export function releaseArgs(pin: PinnedChart, namespace: string, values: pulumi.Input<Record<string, unknown>>): k8s.helm.v3.ReleaseArgs {
    return {
        chart: pin.chart,
        version: pin.version,
        ...(pin.repository ? { repositoryOpts: { repo: pin.repository } } : {}),
        namespace,
        values,
        atomic: true,
        timeout: 900,
    };
}
