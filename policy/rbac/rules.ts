/** What the RBAC policies read from a Role or ClusterRole as the program declares it. */

export interface PolicyRule {
    apiGroups?: string[];
    resources?: string[];
    verbs?: string[];
    resourceNames?: string[];
    nonResourceURLs?: string[];
}

export function rulesOf(props: { rules?: unknown }): PolicyRule[] {
    return Array.isArray(props.rules) ? (props.rules as PolicyRule[]) : [];
}

/** "Role" from "kubernetes:rbac.authorization.k8s.io/v1:Role". */
export const kindOf = (type: string): string => type.split(":").pop() ?? type;

/** `a, b and c` */
export function listOf(items: string[]): string {
    return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}
