import { environmentOf, resourcePolicy, types } from "../lib/policy";

/** etcd needs an odd number of members; production needs to survive losing one (3) or two (5). */
export const talosControlPlaneQuorum = resourcePolicy({
    name: "talos-control-plane-quorum",
    description: "Talos clusters have an odd number of control planes, and 3 or 5 in production.",
    severity: "critical",
    remediationSteps: "Set an odd number of nodes with role: controlplane in ironcloud:cluster.nodes (3 or 5 in prod).",
    validate: (args, report) => {
        if (args.type !== types.talosCluster) args.notApplicable("only Talos clusters have control planes");
        const count = Number(args.props.controlPlanes);
        if (count % 2 === 0) report(`${args.name} has ${count} control planes; etcd needs an odd number to keep quorum.`);
        else if (environmentOf(args) === "prod" && count !== 3 && count !== 5) report(`${args.name} has ${count} control plane(s); production needs 3 or 5 to survive a node loss.`);
    },
});
