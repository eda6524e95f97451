import { LifecycleScript, script } from "../shell/privateScript";

/**
 * Day-2 scripts: OS and Kubernetes upgrades, config changes on running nodes, and node removal.
 * Each runs from a @pulumi/command `update` or `delete`. @pulumi/command runs `update` when ANY
 * input changes — stdin included, so renewed credentials too — hence every update script first
 * reads what the node runs and acts only on a real difference (a new installer image, a new
 * Kubernetes version, a changed config). Scripts name only their own node (and the first control
 * plane), so adding or removing another node leaves them unchanged.
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

/** What a node should run after a rollout: the installer image and how a running node reports it. */
export interface UpgradeTarget {
    /** `<factory>/metal-installer/<schematic>:<talosVersion>` */
    image: string;
    talosVersion: string;
    /** The Image Factory schematic ID, which Talos reports as the version of its `schematic` extension. */
    schematic: string;
}

const stopMessage = (node: NodeRef, what: string) =>
    `{ echo "${what} of ${node.name} (${node.address}) failed; the rollout stops here and the nodes after it are untouched. Fix the cause and run pulumi up again." >&2; exit 1; }`;

/**
 * Reads what a node runs, with talosctl reads only: the Talos version (`talosctl version`, the
 * Server section's `Tag:`) and the Image Factory schematic (`talosctl get extensions`: the
 * virtual extension named `schematic` carries the schematic ID as its version). Sets `$tag` and
 * `$schematic`; an unreachable node fails the script rather than being upgraded blindly.
 */
function readRunning(node: NodeRef): string[] {
    const at = `--nodes ${node.address} --endpoints ${node.address}`;
    return [
        `version="$(${talosctl} version ${at})" || ${stopMessage(node, "reading the Talos version")}`,
        `tag="$(printf '%s\\n' "$version" | awk '/^Server:/ { server = 1 } server && $1 == "Tag:" { print $2; exit }')"`,
        `extensions="$(${talosctl} get extensions ${at})" || ${stopMessage(node, "reading the extensions")}`,
        // Table columns: NODE NAMESPACE TYPE ID VERSION NAME VERSION.
        `schematic="$(printf '%s\\n' "$extensions" | awk '$6 == "schematic" { print $7; exit }')"`,
    ];
}

/**
 * `talosctl health` on the first control plane. Without node lists the server-side check takes
 * the control planes and workers from Kubernetes, so the script does not change when nodes are
 * added or removed (a change would make @pulumi/command run it again).
 */
function healthCheck(controlPlane: string): string {
    return `${talosctl} health --nodes ${controlPlane} --wait-timeout 15m`;
}

/** What a no-op create says: the node got this image at install, or a later upgrade did. */
export function upgradeRecord(node: NodeRef, target: UpgradeTarget): LifecycleScript {
    return script(["talosconfig"], [`echo "${node.name} runs ${target.image}"`]);
}

/**
 * Brings one node to the target image (new Talos version or extensions). @pulumi/command runs
 * this whenever any input changes — the target, but also the talosconfig on stdin when the
 * admin certificate is renewed — so it first asks the node what it runs and does nothing when
 * that is the target already: only a new target upgrades, and a rollout that stopped half-way
 * resumes at the first node not yet upgraded. The cluster must be healthy before the node goes
 * down (this also gates a node after one whose health check failed) and again after it is back.
 * A failure stops here: the nodes after it depend on this step, so Pulumi leaves them untouched.
 */
export function upgradeScript(node: NodeRef, target: UpgradeTarget, controlPlane: string): LifecycleScript {
    return script(["talosconfig"], [
        ...readRunning(node),
        `if [ "$tag" = "${target.talosVersion}" ] && [ "$schematic" = "${target.schematic}" ]; then echo "${node.name} already runs ${target.image}: nothing to do"; exit 0; fi`,
        `echo "upgrading ${node.name} (${node.address}) from \${tag:-unknown} (schematic \${schematic:-none}) to ${target.image}"`,
        `${healthCheck(controlPlane)} || ${stopMessage(node, "the health check before the upgrade")}`,
        `${talosctl} upgrade --nodes ${node.address} --endpoints ${node.address} --image ${target.image} --wait --timeout 20m || ${stopMessage(node, `upgrade to ${target.image}`)}`,
        `${healthCheck(controlPlane)} || ${stopMessage(node, "the health check after the upgrade")}`,
    ]);
}

/**
 * Upgrades Kubernetes once for the whole cluster. Like the node upgrades it runs on any input
 * change, so it first reads what runs (API server version, every kubelet) and does nothing when
 * all of it is the target. Otherwise talosctl checks the upgrade path itself (`--dry-run`:
 * version skew, deprecated APIs in use); only then does it roll the control plane and kubelets.
 */
export function kubernetesUpgradeScript(version: string, controlPlane: string): LifecycleScript {
    const upgrade = `${talosctl} upgrade-k8s --nodes ${controlPlane} --endpoints ${controlPlane} --to ${version}`;
    const fail = (what: string) => `{ echo "Kubernetes ${version}: ${what} failed; nothing was changed." >&2; exit 1; }`;
    return script(["talosconfig", "kubeconfig"], [
        `server="$(${kubectl} get --raw /version)" || ${fail("reading the API server version")}`,
        `kubelets="$(${kubectl} get nodes -o jsonpath='{range .items[*]}{.status.nodeInfo.kubeletVersion}{"\\n"}{end}')" || ${fail("reading the kubelet versions")}`,
        `if printf '%s' "$server" | grep -q '"gitVersion": *"v${version}"' && [ -n "$kubelets" ] && ! printf '%s\\n' "$kubelets" | grep -qvx 'v${version}'; then echo "Kubernetes ${version} runs already: nothing to do"; exit 0; fi`,
        `${upgrade} --dry-run || ${fail("the pre-check")}`,
        upgrade,
    ]);
}

export function kubernetesRecord(version: string): LifecycleScript {
    return script(["talosconfig", "kubeconfig"], [`echo "Kubernetes ${version}"`]);
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

/**
 * The first apply, in maintenance mode; reads the same stdin as the removal script. A node that
 * already answers with this cluster's credentials was configured before — by a run that was
 * interrupted after talosctl returned but before Pulumi recorded it — so it is left alone:
 * `apply-config --insecure` reaches each node at most once, and only while it waits in
 * maintenance mode (where an authenticated call fails at once).
 */
export function firstApplyScript(node: NodeRef): LifecycleScript {
    return script([...nodeFiles], [
        `if ${talosctl} version --nodes ${node.address} --endpoints ${node.address} >/dev/null 2>&1; then echo "${node.name} (${node.address}) is configured already: nothing applied"; exit 0; fi`,
        `talosctl apply-config --insecure --nodes ${node.address} --file "$dir/config.yaml"`,
    ]);
}

export function appliedRecord(node: NodeRef): LifecycleScript {
    return script([...nodeFiles], [`echo "${node.name}: later config changes are applied by its config step"`]);
}
