import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LifecycleScript, scriptStdin } from "../components/shell/privateScript";
import { applyInsecureScript, applySecureScript, bootstrapScript, readinessScript } from "../components/talos/talosctl";

/**
 * The lifecycle scripts run for real under /bin/sh, against stand-ins for talosctl and kubectl
 * that record their arguments and the private files they were handed.
 */
const fakeTool = `#!/bin/sh
log="$FAKE_DIR/calls.log"
echo "$(basename "$0") $*" >> "$log"
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
  *" bootstrap "*)
    if [ -n "\${FAKE_ALREADY:-}" ]; then echo "rpc error: code = AlreadyExists desc = etcd data directory is not empty" >&2; exit 1; fi
    if [ "$n" -le "\${FAKE_FAILURES:-0}" ]; then echo "connection refused" >&2; exit 1; fi;;
  *"get nodes"*) i=0; while [ $i -lt "\${FAKE_NODES:-0}" ]; do echo "node-$i NotReady"; i=$((i+1)); done;;
esac
exit 0
`;

interface Run {
    status: number;
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
        const result = spawnSync("/bin/sh", ["-c", script.text], {
            input: stdin,
            encoding: "utf8",
            env: { PATH: `${dir}:/usr/bin:/bin`, FAKE_DIR: dir, ...env },
        });
        const log = join(dir, "calls.log");
        return { status: result.status ?? -1, stderr: result.stderr, calls: existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : [], dir };
    }
    const seen = (name: string) => readFileSync(join(dir, `seen-${name}`), "utf8");
    const talosconfig = "context: lab\ncontexts:\n  lab:\n    key: c2VjcmV0LWtleQ==\n";
    const config = "version: v1alpha1\nmachine:\n  token: abcdef.0123456789abcdef\n";

    it("applies a first config in maintenance mode from a private file, never from argv", () => {
        const script = applyInsecureScript("10.0.0.11");
        const result = run(script, scriptStdin(script, { talosconfig, "config.yaml": config }));
        assert.equal(result.status, 0, result.stderr);
        assert.equal(result.calls.length, 1);
        assert.match(result.calls[0], /^talosctl apply-config --insecure --nodes 10\.0\.0\.11 --file \/.+\/config\.yaml$/);
        assert.equal(seen("config.yaml"), config);
        assert.equal(readFileSync(join(dir, "mode-config.yaml"), "utf8").trim(), "600");
        assert.equal(readFileSync(join(dir, "dirmode"), "utf8").trim(), "700");
        assert.ok(!existsSync(readFileSync(join(dir, "privatedir"), "utf8").trim()), "the private directory must be removed on exit");
        assert.ok(!result.calls.join("\n").includes("abcdef.0123456789abcdef"));
    });

    it("applies a changed config with the admin talosconfig and lets Talos pick the mode", () => {
        const script = applySecureScript("10.0.0.11");
        const result = run(script, scriptStdin(script, { talosconfig, "config.yaml": config }));
        assert.equal(result.status, 0, result.stderr);
        assert.match(result.calls[0], /^talosctl --talosconfig \/\S+\/talosconfig apply-config --nodes 10\.0\.0\.11 --endpoints 10\.0\.0\.11 --mode auto --file \/\S+\/config\.yaml$/);
        assert.equal(seen("talosconfig"), talosconfig);
        assert.equal(seen("config.yaml"), config);
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
