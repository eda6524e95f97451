import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LifecycleScript, scriptStdin } from "../components/shell/privateScript";
import { configSyncScript, firstApplyScript, kubernetesUpgradeScript, removalScript, upgradeScript } from "../components/talos/day2";
import { bootstrapScript, readinessScript } from "../components/talos/talosctl";

/**
 * The lifecycle scripts run for real under /bin/sh, against stand-ins for talosctl and kubectl
 * that record their arguments and the private files they were handed.
 */
const fakeTool = `#!/bin/sh
log="$FAKE_DIR/calls.log"
printf '%s\n' "$(basename "$0") $*" >> "$log"
for arg in "$@"; do
  case "$arg" in
    */talosconfig|*/kubeconfig|*/config.yaml)
      name="$(basename "$arg")"
      cp "$arg" "$FAKE_DIR/seen-$name"
      stat -c '%a' "$arg" > "$FAKE_DIR/mode-$name"
      stat -c '%a' "$(dirname "$arg")" > "$FAKE_DIR/dirmode"
      echo "$(dirname "$arg")" > "$FAKE_DIR/privatedir";;
  esac
done
n=$(($(cat "$FAKE_DIR/count-$1" 2>/dev/null || echo 0) + 1)); echo $n > "$FAKE_DIR/count-$1"
case "$(basename "$0") $*" in
  *" version "*)
    # Without FAKE_TAG the node waits in maintenance mode: authenticated calls fail.
    if [ -z "\${FAKE_TAG:-}" ]; then echo "x509: certificate signed by unknown authority" >&2; exit 1; fi
    printf 'Client:\n\tTag:         v1.13.9\nServer:\n\tNODE:        10.0.0.12\n\tTag:         %s\n\tSHA:         0000\n' "$FAKE_TAG";;
  *" get extensions "*)
    echo "NODE        NAMESPACE   TYPE              ID   VERSION   NAME        VERSION"
    echo "10.0.0.12   runtime     ExtensionStatus   0    1         schematic   \${FAKE_SCHEMATIC:-}";;
  *"get --raw /version"*) printf '{\n  "major": "1",\n  "gitVersion": "%s"\n}\n' "\${FAKE_SERVER:-v1.35.4}";;
  *"get nodes -o jsonpath="*) printf '%s\n' \${FAKE_KUBELETS:-};;
  *" --dry-run"*)
    if [ -n "\${FAKE_DRYRUN_FAIL:-}" ]; then echo "pre-check failed" >&2; exit 1; fi
    echo "Dry run summary:"; echo "\${FAKE_DRYRUN:-Config diff:}";;
  *" upgrade "*)
    if [ -n "\${FAKE_UPGRADE_FAIL:-}" ]; then echo "upgrade failed: image pull" >&2; exit 1; fi;;
  *" bootstrap "*)
    if [ -n "\${FAKE_ALREADY:-}" ]; then echo "rpc error: code = AlreadyExists desc = etcd data directory is not empty" >&2; exit 1; fi
    if [ "$n" -le "\${FAKE_FAILURES:-0}" ]; then echo "connection refused" >&2; exit 1; fi;;
  *"get nodes"*) i=0; while [ $i -lt "\${FAKE_NODES:-0}" ]; do echo "node-$i NotReady"; i=$((i+1)); done;;
esac
exit 0
`;

interface Run {
    status: number;
    stdout: string;
    stderr: string;
    calls: string[];
    dir: string;
}

describe("talosctl lifecycle scripts", () => {
    let dir: string;
    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), "ironcloud-talosctl-"));
        for (const tool of ["talosctl", "kubectl"]) {
            writeFileSync(join(dir, tool), fakeTool);
            chmodSync(join(dir, tool), 0o755);
        }
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    function run(script: LifecycleScript, stdin: string, env: Record<string, string> = {}): Run {
        rmSync(join(dir, "calls.log"), { force: true });
        const result = spawnSync("/bin/sh", ["-c", script.text], {
            input: stdin,
            encoding: "utf8",
            env: { PATH: `${dir}:/usr/bin:/bin`, FAKE_DIR: dir, ...env },
        });
        const log = join(dir, "calls.log");
        return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr, calls: existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : [], dir };
    }
    const seen = (name: string) => readFileSync(join(dir, `seen-${name}`), "utf8");
    const talosconfig = "context: lab\ncontexts:\n  lab:\n    key: c2VjcmV0LWtleQ==\n";
    const config = "version: v1alpha1\nmachine:\n  token: abcdef.0123456789abcdef\n";

    const kubeconfig = "apiVersion: v1\nkind: Config\n";
    const node = { name: "w1", address: "10.0.0.21", role: "worker" as const };
    const cp = { name: "cp-2", address: "10.0.0.12", role: "controlplane" as const };
    const nodeStdin = (script: LifecycleScript) => scriptStdin(script, { talosconfig, kubeconfig, "config.yaml": config });
    const calls = (result: Run) => result.calls.map((c) => c.replace(/\/\S+\/(talosconfig|kubeconfig|config\.yaml)/g, "<$1>"));

    it("applies a first config in maintenance mode from a private file, never from argv", () => {
        const script = firstApplyScript(node);
        const result = run(script, nodeStdin(script));
        assert.equal(result.status, 0, result.stderr);
        assert.deepEqual(calls(result).slice(0, 1), ["talosctl --talosconfig <talosconfig> version --nodes 10.0.0.21 --endpoints 10.0.0.21"], "first: does the node know this cluster?");
        assert.equal(result.calls.length, 2);
        assert.match(result.calls[1], /^talosctl apply-config --insecure --nodes 10\.0\.0\.21 --file \/.+\/config\.yaml$/);
        assert.equal(seen("config.yaml"), config);
        assert.equal(readFileSync(join(dir, "mode-config.yaml"), "utf8").trim(), "600");
        assert.equal(readFileSync(join(dir, "dirmode"), "utf8").trim(), "700");
        assert.ok(!existsSync(readFileSync(join(dir, "privatedir"), "utf8").trim()), "the private directory must be removed on exit");
        assert.ok(!result.calls.join("\n").includes("abcdef.0123456789abcdef"));
    });

    it("leaves a node that already answers with this cluster's credentials alone (an interrupted run configured it)", () => {
        const script = firstApplyScript(node);
        const result = run(script, nodeStdin(script), { FAKE_TAG: "v1.13.9" });
        assert.equal(result.status, 0, result.stderr);
        assert.deepEqual(calls(result), ["talosctl --talosconfig <talosconfig> version --nodes 10.0.0.21 --endpoints 10.0.0.21"]);
        assert.match(result.stdout, /w1 \(10\.0\.0\.21\) is configured already: nothing applied/);
    });

    describe("config changes on a running node", () => {
        it("applies a changed config and lets Talos choose whether to reboot", () => {
            const script = configSyncScript(node);
            const result = run(script, nodeStdin(script), { FAKE_DRYRUN: "Config diff:\n-  nodeLabels: {}" });
            assert.equal(result.status, 0, result.stderr);
            assert.deepEqual(calls(result), [
                "talosctl --talosconfig <talosconfig> apply-config --nodes 10.0.0.21 --endpoints 10.0.0.21 --file <config.yaml> --dry-run",
                "talosctl --talosconfig <talosconfig> apply-config --nodes 10.0.0.21 --endpoints 10.0.0.21 --file <config.yaml> --mode auto",
            ]);
            assert.equal(seen("talosconfig"), talosconfig);
        });

        it("never re-applies a config Talos reports unchanged", () => {
            const script = configSyncScript(node);
            const result = run(script, nodeStdin(script), { FAKE_DRYRUN: "Config diff:\n\nNo changes." });
            assert.equal(result.status, 0, result.stderr);
            assert.equal(result.calls.length, 1, "only the dry run");
        });
    });

    describe("upgrades", () => {
        const target = { image: `factory.talos.dev/metal-installer/${"a".repeat(64)}:v1.13.9`, talosVersion: "v1.13.9", schematic: "a".repeat(64) };
        const script = upgradeScript(cp, target, "10.0.0.11");
        const upgrade = (env: Record<string, string>) => run(script, scriptStdin(script, { talosconfig }), env);
        const reads = [
            "talosctl --talosconfig <talosconfig> version --nodes 10.0.0.12 --endpoints 10.0.0.12",
            "talosctl --talosconfig <talosconfig> get extensions --nodes 10.0.0.12 --endpoints 10.0.0.12",
        ];
        const health = "talosctl --talosconfig <talosconfig> health --nodes 10.0.0.11 --wait-timeout 15m";

        it("does nothing on a node that already runs the target: renewed credentials or a resumed rollout reach it this way", () => {
            const result = upgrade({ FAKE_TAG: "v1.13.9", FAKE_SCHEMATIC: target.schematic });
            assert.equal(result.status, 0, result.stderr);
            assert.deepEqual(calls(result), reads);
        });

        it("upgrades a node that runs another Talos version between two health checks", () => {
            const result = upgrade({ FAKE_TAG: "v1.13.8", FAKE_SCHEMATIC: target.schematic });
            assert.equal(result.status, 0, result.stderr);
            assert.deepEqual(calls(result), [
                ...reads,
                health,
                `talosctl --talosconfig <talosconfig> upgrade --nodes 10.0.0.12 --endpoints 10.0.0.12 --image ${target.image} --wait --timeout 20m`,
                health,
            ]);
        });

        it("upgrades a node that runs the version with other extensions (another schematic)", () => {
            const result = upgrade({ FAKE_TAG: "v1.13.9", FAKE_SCHEMATIC: "b".repeat(64) });
            assert.equal(result.status, 0, result.stderr);
            assert.equal(calls(result).filter((c) => c.includes(" upgrade --nodes 10.0.0.12 ")).length, 1);
        });

        it("fails without upgrading when it cannot read what the node runs", () => {
            const result = upgrade({});
            assert.equal(result.status, 1);
            assert.deepEqual(calls(result), reads.slice(0, 1));
            assert.match(result.stderr, /reading the Talos version of cp-2 \(10\.0\.0\.12\) failed; the rollout stops here/);
        });

        it("stops the rollout with a clear message when a node fails", () => {
            const result = upgrade({ FAKE_TAG: "v1.13.8", FAKE_SCHEMATIC: target.schematic, FAKE_UPGRADE_FAIL: "1" });
            assert.equal(result.status, 1);
            assert.equal(calls(result).at(-1)?.includes(" upgrade --nodes 10.0.0.12 "), true, "no health check after a failed upgrade");
            assert.match(result.stderr, /upgrade to factory\.talos\.dev\/metal-installer\/a+:v1\.13\.9 of cp-2 \(10\.0\.0\.12\) failed; the rollout stops here and the nodes after it are untouched/);
        });

        describe("Kubernetes", () => {
            const k8s = (version: string, env: Record<string, string>) => {
                const s = kubernetesUpgradeScript(version, "10.0.0.11");
                return run(s, scriptStdin(s, { talosconfig, kubeconfig }), env);
            };
            const k8sReads = [
                "kubectl --kubeconfig <kubeconfig> get --raw /version",
                "kubectl --kubeconfig <kubeconfig> get nodes -o jsonpath={range .items[*]}{.status.nodeInfo.kubeletVersion}{\"\\n\"}{end}",
            ];

            it("upgrades Kubernetes once, after talosctl's own pre-check passes", () => {
                const ok = k8s("1.36.3", { FAKE_SERVER: "v1.35.4", FAKE_KUBELETS: "v1.35.4 v1.35.4" });
                assert.equal(ok.status, 0, ok.stderr);
                assert.deepEqual(calls(ok), [
                    ...k8sReads,
                    "talosctl --talosconfig <talosconfig> upgrade-k8s --nodes 10.0.0.11 --endpoints 10.0.0.11 --to 1.36.3 --dry-run",
                    "talosctl --talosconfig <talosconfig> upgrade-k8s --nodes 10.0.0.11 --endpoints 10.0.0.11 --to 1.36.3",
                ]);
            });

            it("does nothing when the API server and every kubelet run the target", () => {
                const ok = k8s("1.36.3", { FAKE_SERVER: "v1.36.3", FAKE_KUBELETS: "v1.36.3 v1.36.3" });
                assert.equal(ok.status, 0, ok.stderr);
                assert.deepEqual(calls(ok), k8sReads);
            });

            it("finishes an upgrade that left a kubelet behind", () => {
                const ok = k8s("1.36.3", { FAKE_SERVER: "v1.36.3", FAKE_KUBELETS: "v1.36.3 v1.35.4" });
                assert.equal(ok.status, 0, ok.stderr);
                assert.equal(calls(ok).filter((c) => c.includes("upgrade-k8s")).length, 2);
            });

            it("changes nothing when the pre-check fails", () => {
                const failed = k8s("1.37.0", { FAKE_DRYRUN_FAIL: "1" });
                assert.equal(failed.status, 1);
                assert.equal(failed.calls.length, 3);
                assert.match(failed.stderr, /Kubernetes 1\.37\.0: the pre-check failed; nothing was changed\./);
            });
        });
    });

    describe("removing a node", () => {
        it("drains a worker and resets it only when the config asked for it", () => {
            const reset = run(removalScript(node, true), nodeStdin(removalScript(node, true)));
            assert.equal(reset.status, 0, reset.stderr);
            assert.deepEqual(calls(reset), [
                "kubectl --kubeconfig <kubeconfig> cordon w1",
                "kubectl --kubeconfig <kubeconfig> drain w1 --ignore-daemonsets --delete-emptydir-data --timeout=10m",
                "talosctl --talosconfig <talosconfig> reset --nodes 10.0.0.21 --endpoints 10.0.0.21 --graceful=true --reboot=false",
                "kubectl --kubeconfig <kubeconfig> delete node w1",
            ]);
            const keep = run(removalScript(node, false), nodeStdin(removalScript(node, false)));
            assert.equal(keep.status, 0, keep.stderr);
            assert.ok(!keep.calls.some((c) => c.includes(" reset ")), "no reset without reset: true or allowReset");
            assert.match(keep.stderr, /warning: w1 \(10\.0\.0\.21\) left the stack and was drained, but keeps running/);
        });

        it("takes a control plane out of etcd before it is reset", () => {
            const result = run(removalScript(cp, true), nodeStdin(removalScript(cp, true)));
            assert.equal(result.status, 0, result.stderr);
            const steps = calls(result);
            const leave = steps.indexOf("talosctl --talosconfig <talosconfig> etcd leave --nodes 10.0.0.12 --endpoints 10.0.0.12");
            const reset = steps.indexOf("talosctl --talosconfig <talosconfig> reset --nodes 10.0.0.12 --endpoints 10.0.0.12 --graceful=false --reboot=false");
            assert.ok(leave >= 0 && reset > leave, steps.join("\n"));
        });
    });

    describe("bootstrap", () => {
        const script = bootstrapScript("10.0.0.11", { attempts: 4, delaySeconds: 0 });
        const stdin = () => scriptStdin(script, { talosconfig });

        it("retries while the node installs and reboots, then bootstraps once", () => {
            const result = run(script, stdin(), { FAKE_FAILURES: "2" });
            assert.equal(result.status, 0, result.stderr);
            assert.equal(result.calls.length, 3);
            for (const call of result.calls) assert.match(call, /^talosctl --talosconfig \S+ bootstrap --nodes 10\.0\.0\.11 --endpoints 10\.0\.0\.11$/);
        });

        it("treats an etcd that already exists as bootstrapped, without retrying", () => {
            const result = run(script, stdin(), { FAKE_ALREADY: "1" });
            assert.equal(result.status, 0, result.stderr);
            assert.equal(result.calls.length, 1);
        });

        it("gives up after the last attempt with a message that says so", () => {
            const result = run(script, stdin(), { FAKE_FAILURES: "99" });
            assert.equal(result.status, 1);
            assert.equal(result.calls.length, 4);
            assert.match(result.stderr, /talosctl bootstrap on 10\.0\.0\.11: still failing after 4 attempts/);
        });
    });

    describe("readiness gate", () => {
        const script = readinessScript({ controlPlanes: ["10.0.0.11", "10.0.0.12", "10.0.0.13"], nodeCount: 5 }, { attempts: 3, delaySeconds: 0 });
        const stdin = () => scriptStdin(script, { talosconfig, kubeconfig: "apiVersion: v1\nkind: Config\n" });

        it("passes when etcd is healthy, the API server ready and every node registered", () => {
            const result = run(script, stdin(), { FAKE_NODES: "5" });
            assert.equal(result.status, 0, result.stderr);
            assert.deepEqual(result.calls.map((c) => c.replace(/\/\S+\/(talosconfig|kubeconfig)/, "<$1>")), [
                "talosctl --talosconfig <talosconfig> etcd status --nodes 10.0.0.11,10.0.0.12,10.0.0.13 --endpoints 10.0.0.11,10.0.0.12,10.0.0.13",
                "kubectl --kubeconfig <kubeconfig> get --raw=/readyz",
                "kubectl --kubeconfig <kubeconfig> get nodes --no-headers",
            ]);
        });

        it("keeps waiting, within its bound, while nodes are missing", () => {
            const result = run(script, stdin(), { FAKE_NODES: "4" });
            assert.equal(result.status, 1);
            assert.equal(result.calls.filter((c) => c.includes("get nodes")).length, 3);
            assert.match(result.stderr, /cluster readiness .* still failing after 3 attempts/);
        });
    });

    it("refuses to build stdin without a file the script reads", () => {
        const script = readinessScript({ controlPlanes: ["10.0.0.11"], nodeCount: 1 }, { attempts: 1, delaySeconds: 0 });
        assert.throws(() => scriptStdin(script, { talosconfig }), /script needs kubeconfig on stdin/);
    });
});
