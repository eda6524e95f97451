/**
 * Real-engine benchmark cases. Each runs in its own process inside its own loopback-only network
 * namespace (bench/engine/sandbox.ts), so a case's peaks and control plane are its own.
 *
 * - preview: `pulumi preview` of the generated Talos stack (3 + 50 nodes) with `vms` VMs; the
 *   Kubernetes provider is unconfigured at a first preview, as on a new cluster.
 * - up: `pulumi up`, then a no-change `pulumi up`, of the same teams and VMs on an existing
 *   cluster (the local control plane, KubeVirt provided), with the file backend's checkpoints
 *   after every step (the default) or without them.
 * - kubectl: the yardstick for `up`: `kubectl apply --server-side` of one List of the Kubernetes
 *   objects the same stack's offline plan holds, then the same apply again unchanged.
 */
export type EngineCaseKind = "preview" | "up" | "kubectl";

export interface EngineCase {
    name: string;
    kind: EngineCaseKind;
    vms: number;
    teams: number;
    /** Extra environment for the Pulumi CLI. */
    env?: Record<string, string>;
}

const teams = 20;

export const engineCases: EngineCase[] = [
    { name: "engine preview 100 VMs", kind: "preview", vms: 100, teams },
    { name: "engine preview 500 VMs", kind: "preview", vms: 500, teams },
    { name: "engine preview 1000 VMs", kind: "preview", vms: 1000, teams },
    { name: "engine preview 5000 VMs", kind: "preview", vms: 5000, teams },
    { name: "engine up 100 VMs", kind: "up", vms: 100, teams },
    { name: "kubectl apply 1000 VMs", kind: "kubectl", vms: 1000, teams },
    { name: "engine up 1000 VMs", kind: "up", vms: 1000, teams },
    // The file backend rewrites the whole checkpoint after every step (O(resources²) per update);
    // PULUMI_SKIP_CHECKPOINTS saves only at the start and the end, at the cost of crash safety.
    { name: "engine up 1000 VMs, no checkpoints", kind: "up", vms: 1000, teams, env: { PULUMI_SKIP_CHECKPOINTS: "true" } },
];

/**
 * A generous bound for one command of a case, so that no run hangs the bench. An update with
 * checkpoints grows with the square of the resources: about 40 minutes for 1,000 VMs.
 */
export function commandTimeoutSeconds(benchCase: EngineCase): number {
    const checkpointed = benchCase.kind === "up" && benchCase.env?.PULUMI_SKIP_CHECKPOINTS === undefined;
    return Math.max(900, benchCase.vms * (checkpointed ? 6 : 0.9));
}
