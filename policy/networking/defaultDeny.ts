import { PolicyResource } from "@pulumi/policy";
import { stackPolicy, types } from "../lib/policy";
import { inNamespace, teamNamespaces } from "../namespaces/teamNamespaces";

interface NetworkPolicySpec {
    podSelector?: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] };
    policyTypes?: string[];
    ingress?: unknown[];
    egress?: unknown[];
}

/** podSelector {} (or omitted, which the API defaults to {}) selects every pod of the namespace. */
const selectsAllPods = (selector: NetworkPolicySpec["podSelector"]) =>
    selector === undefined || (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0);

/** A policy that isolates every pod in both directions and allows nothing itself. */
export function isDefaultDeny(policy: PolicyResource): boolean {
    const spec = (policy.props.spec ?? {}) as NetworkPolicySpec;
    const policyTypes = spec.policyTypes ?? [];
    return selectsAllPods(spec.podSelector)
        && policyTypes.includes("Ingress") && policyTypes.includes("Egress")
        && (spec.ingress ?? []).length === 0 && (spec.egress ?? []).length === 0;
}

/** Team namespaces start closed; VMs get exactly the traffic the allow policies open. */
export const networkDefaultDeny = stackPolicy({
    name: "network-default-deny",
    description: "Every team namespace has a default-deny NetworkPolicy: podSelector {}, policyTypes Ingress and Egress, no rules.",
    severity: "high",
    remediationSteps: "Declare a NetworkPolicy in the team namespace with podSelector: {}, policyTypes: [Ingress, Egress] and no ingress/egress rules (components/tenancy/teamObjects.ts networkPolicies); open traffic in separate allow policies.",
    validate: (args, report) => {
        for (const team of teamNamespaces(args.resources)) {
            if (inNamespace(args.resources, types.networkPolicy, team.namespace).some(isDefaultDeny)) continue;
            report(`Team namespace ${team.namespace} has no default-deny NetworkPolicy; add one with podSelector: {}, policyTypes: [Ingress, Egress] and no rules.`, team.urn);
        }
    },
});
