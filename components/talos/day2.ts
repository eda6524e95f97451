import { LifecycleScript, script } from "../shell/privateScript";

/**
 * Day-2 scripts: OS and Kubernetes upgrades, config changes on running nodes, and node removal.
 * Each runs from a @pulumi/command `update` or `delete`, so it runs only when its inputs change
 * (a new installer image, a new Kubernetes version, a new config) or its node leaves the stack.
 */

const talosctl = 'talosctl --talosconfig "$dir/talosconfig"';
const kubectl = 'kubectl --kubeconfig "$dir/kubeconfig"';

/** What every per-node lifecycle script reads from stdin, so they can share one stdin. */
export const nodeFiles = ["talosconfig", "kubeconfig", "config.yaml"] as const;

export interface NodeRef {
    name: string;
    address: string;
    role: "controlplane" | "worker";
}

export interface ClusterRef {
    controlPlanes: string[];
    workers: string[];
}

/** `talosctl health` for the whole cluster, bounded: the gate between two upgraded nodes. */
function healthCheck({ controlPlanes, workers }: ClusterRef): string {
    const args = [
        `--nodes ${controlPlanes[0]}`,
        `--endpoints ${controlPlanes.join(",")}`,
        `--control-plane-nodes ${controlPlanes.join(",")}`,
        ...(workers.length > 0 ? [`--worker-nodes ${workers.join(",")}`] : []),
        "--wait-timeout 15m",
    ];
    return `${talosctl} health ${args.join(" ")}`;
}

/** What a no-op create says: the node got this image at install, or a later upgrade did. */
export function upgradeRecord(node: NodeRef, installerImage: string): LifecycleScript {
    return script(["talosconfig"], [`echo "${node.name} runs ${installerImage}"`]);
}

/**
 * Upgrades one node to a new installer image (new Talos version or extensions) and waits until
 * the whole cluster is healthy again. A failure stops here: the nodes after this one in the
 * rollout depend on it, so Pulumi leaves them untouched.
 */
export function upgradeScript(node: NodeRef, installerImage: string, cluster: ClusterRef): LifecycleScript {
    const stop = (what: string) =>
        `{ echo "${what} of ${node.name} (${node.address}) failed; the rollout stops here and the nodes after it are untouched. Fix the cause and run pulumi up again." >&2; exit 1; }`;
    return script(["talosconfig"], [
        `echo "upgrading ${node.name} (${node.address}) to ${installerImage}"`,
        `${talosctl} upgrade --nodes ${node.address} --endpoints ${node.address} --image ${installerImage} --wait --timeout 20m || ${stop(`upgrade to ${installerImage}`)}`,
        `${healthCheck(cluster)} || ${stop("the health check after the upgrade")}`,
    ]);
}

/**
 * Upgrades Kubernetes once for the whole cluster. talosctl first checks the upgrade path itself
 * (`--dry-run`: version skew, deprecated APIs in use); only then does it roll the control plane
 * and kubelets.
 */
export function kubernetesUpgradeScript(version: string, controlPlane: string): LifecycleScript {
    const upgrade = `${talosctl} upgrade-k8s --nodes ${controlPlane} --endpoints ${controlPlane} --to ${version}`;
    return script(["talosconfig"], [
        `${upgrade} --dry-run || { echo "Kubernetes ${version}: the pre-check failed; nothing was changed." >&2; exit 1; }`,
        upgrade,
    ]);
}

export function kubernetesRecord(version: string): LifecycleScript {
    return script(["talosconfig"], [`echo "Kubernetes ${version}"`]);
}

/**
 * A changed machine config on a running node. A dry run first: when Talos reports no change
 * (an upgrade already wrote it, or only the credentials around it changed) nothing is applied;
 * otherwise Talos applies it live, or reboots only when the change needs it (`--mode auto`).
 */
export function configSyncScript(node: NodeRef): LifecycleScript {
    const apply = `${talosctl} apply-config --nodes ${node.address} --endpoints ${node.address} --file "$dir/config.yaml"`;
    return script([...nodeFiles], [
        `out="$(${apply} --dry-run 2>&1)" || { echo "$out" >&2; exit 1; }`,
        `case "$out" in *"No changes"*) echo "config of ${node.name} unchanged: nothing applied"; exit 0;; esac`,
        `${apply} --mode auto`,
    ]);
}

export function configRecord(node: NodeRef): LifecycleScript {
    return script([...nodeFiles], [`echo "config of ${node.name} was applied at first contact"`]);
}

/**
 * A node that leaves the stack: cordoned and drained; a control plane also leaves etcd. It is
 * wiped (`talosctl reset`) only when the config asked for it (node `reset: true` or
 * `cluster.allowReset: true`); otherwise it keeps running, drained, and a warning says so.
 */
export function removalScript(node: NodeRef, reset: boolean): LifecycleScript {
    const lines = [
        `${kubectl} cordon ${node.name}`,
        `${kubectl} drain ${node.name} --ignore-daemonsets --delete-emptydir-data --timeout=10m`,
        ...(node.role === "controlplane" ? [`${talosctl} etcd leave --nodes ${node.address} --endpoints ${node.address}`] : []),
    ];
    if (reset) {
        // A control plane has left etcd already, so its reset need not be graceful.
        const graceful = node.role === "worker" ? "--graceful=true" : "--graceful=false";
        lines.push(`${talosctl} reset --nodes ${node.address} --endpoints ${node.address} ${graceful} --reboot=false`, `${kubectl} delete node ${node.name}`);
    } else {
        lines.push(`echo "warning: ${node.name} (${node.address}) left the stack and was drained, but keeps running: ironcloud resets a node only when its entry has reset: true or cluster.allowReset is true" >&2`);
    }
    return script([...nodeFiles], lines);
}

/** The first apply, in maintenance mode; reads the same stdin as the removal script. */
export function firstApplyScript(node: NodeRef): LifecycleScript {
    return script([...nodeFiles], [`talosctl apply-config --insecure --nodes ${node.address} --file "$dir/config.yaml"`]);
}

export function appliedRecord(node: NodeRef): LifecycleScript {
    return script([...nodeFiles], [`echo "${node.name}: later config changes are applied by its config step"`]);
}
