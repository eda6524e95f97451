import { resourcePolicy, types } from "../lib/policy";
import { metadataOf } from "./teamNamespaces";

/**
 * Kinds that live outside any namespace, by API group ("core" for the core group). Objects of
 * these kinds are never "in default"; every other Kubernetes object is treated as namespaced.
 * Add a kind here when the program starts creating a new cluster-scoped one.
 */
export const clusterScopedKinds: Record<string, string[]> = {
    "core": ["Namespace", "Node", "PersistentVolume", "ComponentStatus"],
    "rbac.authorization.k8s.io": ["ClusterRole", "ClusterRoleBinding"],
    "storage.k8s.io": ["StorageClass", "CSIDriver", "CSINode", "VolumeAttachment"],
    "apiextensions.k8s.io": ["CustomResourceDefinition"],
    "admissionregistration.k8s.io": ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"],
    "apiregistration.k8s.io": ["APIService"],
    "scheduling.k8s.io": ["PriorityClass"],
    "networking.k8s.io": ["IngressClass"],
    "node.k8s.io": ["RuntimeClass"],
    "certificates.k8s.io": ["CertificateSigningRequest"],
    "flowcontrol.apiserver.k8s.io": ["FlowSchema", "PriorityLevelConfiguration"],
    "snapshot.storage.k8s.io": ["VolumeSnapshotClass", "VolumeSnapshotContent"],
    "cilium.io": ["CiliumLoadBalancerIPPool", "CiliumL2AnnouncementPolicy", "CiliumClusterwideNetworkPolicy", "CiliumNode", "CiliumIdentity", "CiliumExternalWorkload"],
    "cert-manager.io": ["ClusterIssuer"],
    "cdi.kubevirt.io": ["CDI", "CDIConfig", "StorageProfile", "ObjectTransfer"],
    "instancetype.kubevirt.io": ["VirtualMachineClusterInstancetype", "VirtualMachineClusterPreference"],
    "piraeus.io": ["LinstorCluster", "LinstorSatelliteConfiguration", "LinstorSatellite", "LinstorNodeConnection"],
};

/** `kubernetes:<group>/<version>:<Kind>` → group and kind ("core" for `core/v1`). */
export function groupKindOf(type: string): { group: string; kind: string } | undefined {
    const match = /^kubernetes:(.+)\/[^/:]+:([^:]+)$/.exec(type);
    return match ? { group: match[1], kind: match[2] } : undefined;
}

export const isClusterScoped = (type: string) => {
    const groupKind = groupKindOf(type);
    return groupKind !== undefined && (clusterScopedKinds[groupKind.group] ?? []).includes(groupKind.kind);
};

/** `default` has no quota, no default-deny and no owner: everything ironcloud creates goes somewhere named. */
export const nothingInDefault = resourcePolicy({
    name: "nothing-in-default",
    description: "No namespaced Kubernetes object (or Helm release) is created in the default namespace, explicitly or by omitting the namespace.",
    severity: "medium",
    remediationSteps: "Set metadata.namespace (or the release's namespace) to the component's own namespace; if the kind is cluster-scoped, add it to clusterScopedKinds in policy/namespaces/nothingInDefault.ts.",
    validate: (args, report) => {
        if (args.type === types.release) {
            const namespace = args.props.namespace as string | undefined;
            if (!namespace || namespace === "default") report(`Helm release ${args.name} installs into the default namespace; set its namespace to the component's own.`);
            return;
        }
        if (!args.type.startsWith("kubernetes:") || args.props.metadata === undefined) args.notApplicable("only Kubernetes objects have a namespace");
        if (isClusterScoped(args.type)) args.notApplicable("cluster-scoped kinds have no namespace");
        const { kind } = groupKindOf(args.type) ?? { kind: args.type };
        const meta = metadataOf(args);
        const name = meta.name ?? args.name;
        if (meta.namespace === "default") report(`${kind} ${name} is in the default namespace; set metadata.namespace to the component's own namespace.`);
        else if (!meta.namespace) report(`${kind} ${name} sets no metadata.namespace, so it lands in the default namespace; set metadata.namespace to the component's own namespace.`);
    },
});
