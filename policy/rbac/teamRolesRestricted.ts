import * as k8s from "@pulumi/kubernetes";
import { resourcePolicyOfType } from "../lib/policy";
import { listOf, rulesOf } from "./rules";

const forbiddenResources = ["secrets", "pods/exec", "pods/attach", "pods/portforward"];
const forbiddenVerbs = ["escalate", "bind", "impersonate"];

// Whether a rule's resource entry reaches the resource: "*", a subresource wildcard such as "*/exec", or the name itself.
function reaches(entry: string, resource: string): boolean {
    if (entry === "*" || entry === resource) return true;
    return entry.startsWith("*/") && resource.includes("/") && resource.endsWith(entry.slice(1));
}

/** Team roles manage VMs; they never read Secrets, get into pods or hand out more rights. */
export const rbacTeamRolesRestricted = resourcePolicyOfType(k8s.rbac.v1.Role, {
    name: "rbac-team-roles-restricted",
    description: "Namespaced Roles grant nothing on secrets, pods/exec, pods/attach or pods/portforward, and never the escalate, bind or impersonate verbs.",
    severity: "high",
    remediationSteps: "Remove secrets, pods/exec, pods/attach and pods/portforward from the Role's core (\"\") rules, and escalate, bind and impersonate (or \"*\") from its verbs.",
    validate: (role, args, report) => {
        rulesOf(role).forEach((rule, index) => {
            const subject = `Role ${args.name} rule ${index + 1}`;
            const groups = rule.apiGroups ?? [""];
            if (groups.includes("") || groups.includes("*")) {
                const reached = forbiddenResources.filter((resource) => (rule.resources ?? []).some((entry) => reaches(entry, resource)));
                if (reached.length > 0) report(`${subject} grants access to ${listOf(reached)}; team roles must not read Secrets or exec, attach or port-forward into pods — remove them from the rule.`);
            }
            const verbs = forbiddenVerbs.filter((verb) => (rule.verbs ?? []).some((v) => v === verb || v === "*"));
            if (verbs.length > 0) report(`${subject} grants the ${listOf(verbs)} verb${verbs.length > 1 ? "s" : ""}; remove ${verbs.length > 1 ? "them" : "it"} so team members cannot raise their own rights.`);
        });
    },
});
