/**
 * Kubernetes minors each Talos minor supports (Talos "support matrix" page). A Kubernetes
 * version outside this range is refused before anything is applied to a node: by the stack
 * config and by talos-versions-pinned. It lives in the pack because the pack is published
 * without the program; infra/versions.ts lists it beside every other pinned version.
 */
export const supportedKubernetesMinors: Readonly<Record<string, { oldest: string; newest: string }>> = {
    "1.13": { oldest: "1.31", newest: "1.36" },
};
