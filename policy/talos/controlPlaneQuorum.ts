import { controlPlaneQuorumProblem } from "../lib/rules/quorum";
import { environmentOf, resourcePolicy, types } from "../lib/policy";

/** etcd needs an odd number of members; production needs to survive losing one (3) or two (5). */
export const talosControlPlaneQuorum = resourcePolicy({
    name: "talos-control-plane-quorum",
    description: "Talos clusters have an odd number of control planes, and 3 or 5 in production.",
    severity: "critical",
    remediationSteps: "Set an odd number of nodes with role: controlplane in ironcloud:cluster.nodes (3 or 5 in prod).",
    validate: (args, report) => {
        if (args.type !== types.talosCluster) args.notApplicable("only Talos clusters have control planes");
        // The rule config validation applies to cluster.nodes (policy/lib/rules/quorum.ts).
        const problem = controlPlaneQuorumProblem(Number(args.props.controlPlanes), environmentOf(args));
        if (problem) report(`Talos cluster ${args.name} ${problem}.`);
    },
});
