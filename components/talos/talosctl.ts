import { LifecycleScript, retry, RetryPolicy, script } from "../shell/privateScript";

/** talosctl (and kubectl) scripts for the cluster lifecycle; see shell/privateScript for how secrets travel. */

const talosctl = 'talosctl --talosconfig "$dir/talosconfig"';
const kubectl = 'kubectl --kubeconfig "$dir/kubeconfig"';

/**
 * Bootstraps etcd on one control plane. The node installs Talos and reboots after its first
 * config, so the call is retried; "AlreadyExists" means etcd was bootstrapped before (e.g.
 * state restored) and counts as success, so this can never start a second etcd cluster.
 */
export function bootstrapScript(address: string, policy: RetryPolicy): LifecycleScript {
    const bootstrapOnce = `{ out="$(${talosctl} bootstrap --nodes ${address} --endpoints ${address} 2>&1)" || case "$out" in *AlreadyExists*) true;; *) echo "$out" >&2; false;; esac; }`;
    return script(["talosconfig"], [...retry(bootstrapOnce, `talosctl bootstrap on ${address}`, policy), `echo "etcd bootstrapped on ${address}"`]);
}

export interface ReadinessTargets {
    controlPlanes: string[];
    nodeCount: number;
}

/**
 * The gate before anything is declared in Kubernetes: etcd healthy on every control plane,
 * the API server ready, and every node registered. Node *readiness* is not required: nodes stay
 * NotReady until the platform layer installs Cilium, which itself needs this gate.
 */
export function readinessScript({ controlPlanes, nodeCount }: ReadinessTargets, policy: RetryPolicy): LifecycleScript {
    const cps = controlPlanes.join(",");
    const checks = [
        `${talosctl} etcd status --nodes ${cps} --endpoints ${cps} >/dev/null 2>&1`,
        `${kubectl} get --raw=/readyz >/dev/null 2>&1`,
        `[ "$(${kubectl} get nodes --no-headers 2>/dev/null | wc -l)" -ge ${nodeCount} ]`,
    ];
    return script(["talosconfig", "kubeconfig"], [
        ...retry(`{ ${checks.join(" && ")}; }`, "cluster readiness (etcd, API server, all nodes registered)", policy),
        `echo "etcd healthy on ${cps}; API server ready; ${nodeCount} nodes registered"`,
    ]);
}
