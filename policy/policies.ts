import { helmPolicies } from "./helm";
import { namespacePolicies } from "./namespaces";
import { networkingPolicies } from "./networking";
import { rbacPolicies } from "./rbac";
import { stackPolicies } from "./stack";
import { talosPolicies } from "./talos";
import { vmPolicies } from "./vms";
import { workloadPolicies } from "./workloads";

/** Every policy of the pack; index.ts serves them to the Pulumi CLI, tools/policy runs them offline. */
export const policies = [
    ...talosPolicies,
    ...helmPolicies,
    ...workloadPolicies,
    ...rbacPolicies,
    ...networkingPolicies,
    ...namespacePolicies,
    ...vmPolicies,
    ...stackPolicies,
];
