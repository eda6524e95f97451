/**
 * Shell scripts that run talosctl (and kubectl) for the cluster lifecycle. Secrets (machine
 * configs, talosconfig, kubeconfig) never appear on a command line, in the environment or in
 * logs: they arrive on stdin, one base64 line per file, and are written to a private directory
 * that is removed when the script exits. Every wait is bounded.
 */

export type PrivateFile = "talosconfig" | "kubeconfig" | "config.yaml";

export interface LifecycleScript {
    /** The files the script reads from stdin, in this order. */
    files: PrivateFile[];
    text: string;
}

/** stdin for a script: one base64 line per file it reads. */
export function scriptStdin(script: LifecycleScript, contents: Partial<Record<PrivateFile, string>>): string {
    return script.files.map((file) => {
        const content = contents[file];
        if (content === undefined) throw new Error(`script needs ${file} on stdin`);
        return `${Buffer.from(content).toString("base64")}\n`;
    }).join("");
}

function script(files: PrivateFile[], lines: string[]): LifecycleScript {
    const prelude = [
        "set -eu",
        "umask 077",
        'dir="$(mktemp -d)"',
        "trap 'rm -rf \"$dir\"' EXIT",
        ...files.map((file) => `IFS= read -r line; printf '%s' "$line" | base64 -d > "$dir/${file}"`),
    ];
    return { files, text: [...prelude, ...lines].join("\n") + "\n" };
}

export interface RetryPolicy {
    attempts: number;
    delaySeconds: number;
}

/** A bounded retry loop around a condition; fails with `what` after the last attempt. */
function retry(condition: string, what: string, { attempts, delaySeconds }: RetryPolicy): string[] {
    return [
        "attempt=1",
        `until ${condition}; do`,
        `  if [ "$attempt" -ge ${attempts} ]; then echo "${what}: still failing after ${attempts} attempts" >&2; exit 1; fi`,
        "  attempt=$((attempt + 1))",
        `  sleep ${delaySeconds}`,
        "done",
    ];
}

const talosctl = 'talosctl --talosconfig "$dir/talosconfig"';
const kubectl = 'kubectl --kubeconfig "$dir/kubeconfig"';

/** First contact: the node is in maintenance mode and accepts its config without client auth. */
export function applyInsecureScript(address: string): LifecycleScript {
    return script(["talosconfig", "config.yaml"], [`talosctl apply-config --insecure --nodes ${address} --file "$dir/config.yaml"`]);
}

/**
 * A changed config on a running node: Talos decides whether it applies live or needs a reboot
 * (`--mode auto`). Reads the same files as the first apply, so the two share one stdin.
 */
export function applySecureScript(address: string): LifecycleScript {
    return script(["talosconfig", "config.yaml"], [`${talosctl} apply-config --nodes ${address} --endpoints ${address} --mode auto --file "$dir/config.yaml"`]);
}

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
