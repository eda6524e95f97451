import { resourcePolicy, types } from "../lib/policy";
import { kindOf, listOf, rulesOf } from "./rules";

const fields = ["verbs", "resources", "apiGroups"] as const;

/** A wildcard grants whatever the API server adds tomorrow, including verbs nobody reviewed. */
export const rbacNoWildcards = resourcePolicy({
    name: "rbac-no-wildcards",
    description: "Role and ClusterRole rules name their verbs, resources and API groups explicitly; no \"*\".",
    severity: "high",
    remediationSteps: "Replace \"*\" in the rule's verbs, resources and apiGroups with the exact values the subject needs.",
    validate: (args, report) => {
        if (args.type !== types.role && args.type !== types.clusterRole) args.notApplicable("only Roles and ClusterRoles have rules");
        rulesOf(args.props).forEach((rule, index) => {
            const wild = fields.filter((field) => (rule[field] ?? []).some((value) => typeof value === "string" && value.includes("*")));
            if (wild.length > 0) report(`${kindOf(args.type)} ${args.name} rule ${index + 1} uses "*" in ${listOf(wild)}; list the exact ${listOf(wild)} instead.`);
        });
    },
});
