import { stackPolicy, types } from "../lib/policy";
import { inNamespace, teamNamespaces } from "./teamNamespaces";

/** A quota that limits nothing is no guard rail: it must cap CPU and memory requests. */
const capsRequests = (hard: Record<string, unknown>) =>
    ["cpu", "memory"].every((resource) => hard[`requests.${resource}`] !== undefined || hard[resource] !== undefined);

/** A team can fill its own namespace, never the cluster. */
export const teamNamespaceGuardrails = stackPolicy({
    name: "team-namespace-guardrails",
    description: "Every team namespace has a ResourceQuota capping CPU and memory requests, and a LimitRange with default requests.",
    severity: "high",
    remediationSteps: "Declare the team in ironcloud:teams with a quota; components/tenancy creates the ResourceQuota (team-quota) and LimitRange (defaults) in its namespace.",
    validate: (args, report) => {
        for (const team of teamNamespaces(args.resources)) {
            const quotas = inNamespace(args.resources, types.resourceQuota, team.namespace);
            if (quotas.length === 0) {
                report(`Team namespace ${team.namespace} has no ResourceQuota; add one capping requests.cpu and requests.memory.`, team.urn);
            } else if (!quotas.some((q) => capsRequests(((q.props.spec ?? {}) as { hard?: Record<string, unknown> }).hard ?? {}))) {
                report(`Team namespace ${team.namespace} has a ResourceQuota that does not cap requests.cpu and requests.memory; set both in spec.hard.`, team.urn);
            }
            const limitRanges = inNamespace(args.resources, types.limitRange, team.namespace);
            if (limitRanges.length === 0) {
                report(`Team namespace ${team.namespace} has no LimitRange; add one with default requests for containers.`, team.urn);
            } else if (!limitRanges.some((l) => (((l.props.spec ?? {}) as { limits?: unknown[] }).limits ?? []).length > 0)) {
                report(`Team namespace ${team.namespace} has a LimitRange with no limits; set spec.limits with default requests.`, team.urn);
            }
        }
    },
});
