/**
 * etcd's quorum rule, one piece of code for config validation (infra/validation/clusterRules.ts)
 * and the talos-control-plane-quorum policy: an even count tolerates no more failures than one
 * fewer node, and production needs 3 (survives one loss) or 5 (two); more members only slow
 * every write, which waits for a majority.
 */
export function controlPlaneQuorumProblem(count: number, environment: string | undefined): string | undefined {
    if (count === 0) return "needs at least one node with role controlplane (1, 3 or 5 for etcd quorum)";
    if (count % 2 === 0) return `has ${count} control-plane nodes; etcd needs an odd number (1, 3 or 5) to keep quorum`;
    if (environment !== "prod" || count === 3 || count === 5) return undefined;
    if (count < 3) return `has ${count} control-plane node; prod needs 3 or 5, so etcd survives a node loss (removing control planes below 3 is refused)`;
    return `has ${count} control-plane nodes; prod needs 3 or 5: every etcd write waits for a majority, so more members slow the cluster (5 already survives two losses)`;
}
