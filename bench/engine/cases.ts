/**
 * Real-engine benchmark cases. Each runs in its own process inside its own loopback-only network
 * namespace (bench/engine/sandbox.ts), so a case's peaks and control plane are its own.
 *
 * - preview: `pulumi preview` of the generated Talos stack (3 + 50 nodes) with `vms` VMs; the
 *   Kubernetes provider is unconfigured at a first preview, as on a new cluster.
 * - up: `pulumi up`, then a no-change `pulumi up`, of the same teams and VMs on an existing
 *   cluster (the local control plane, KubeVirt provided).
 * - kubectl: the yardstick for `up`: `kubectl apply --server-side` of one List of the Kubernetes
 *   objects the same stack's offline plan holds, then the same apply again unchanged.
 */
export type EngineCaseKind = "preview" | "up" | "kubectl";

export interface EngineCase {
    name: string;
    kind: EngineCaseKind;
    vms: number;
    teams: number;
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
];

/** A generous bound for one command of a case, so that no run hangs the bench. */
export function commandTimeoutSeconds(benchCase: EngineCase): number {
    return Math.max(600, benchCase.vms * 0.9);
}
