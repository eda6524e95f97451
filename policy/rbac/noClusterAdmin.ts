import { resourcePolicy, types } from "../lib/policy";
import { kindOf } from "./rules";

/** cluster-admin is everything, everywhere; nothing the program declares should hand it out. */
export const rbacNoClusterAdmin = resourcePolicy({
    name: "rbac-no-cluster-admin",
    description: "No RoleBinding or ClusterRoleBinding refers to the cluster-admin ClusterRole.",
    severity: "critical",
    remediationSteps: "Bind a least-privilege Role or ClusterRole instead of cluster-admin; break-glass access comes from the Talos-issued admin kubeconfig, not a binding.",
    validate: (args, report) => {
        if (args.type !== types.roleBinding && args.type !== types.clusterRoleBinding) args.notApplicable("only role bindings refer to roles");
        const roleRef = (args.props.roleRef ?? {}) as { kind?: string; name?: string };
        if (roleRef.kind === "ClusterRole" && roleRef.name === "cluster-admin") {
            report(`${kindOf(args.type)} ${args.name} binds the cluster-admin ClusterRole; bind a least-privilege role instead.`);
        }
    },
});
