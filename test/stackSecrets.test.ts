import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { secretsInInventory, secretsInStackConfig } from "../tools/policy/stackSecrets";
import { stackValues } from "./harness/configs";
import { repoRoot } from "./harness/program";

describe("stack file secrets lint", () => {
    it("finds every kind of plaintext secret, by path, without echoing it", () => {
        const findings = secretsInStackConfig({
            "ironcloud:cluster": {
                name: "dc1",
                kubeconfig: "apiVersion: v1\nkind: Config\nusers:\n- name: admin\n  user:\n    client-key-data: LS0tLS1\n",
                patches: { all: [{ machine: { token: "abcdef.0123456789abcdef" } }] },
            },
            "ironcloud:access": { authorizedKeys: ["-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END OPENSSH PRIVATE KEY-----"] },
            "ironcloud:extra": { registry: { password: "hunter2" }, ci: "ghp_abcdefghijklmnopqrstuvwxyz0123" },
        });
        assert.deepEqual(findings, [
            { path: "ironcloud:cluster.kubeconfig", what: "a kubeconfig with credentials" },
            { path: "ironcloud:cluster.patches.all[0].machine.token", what: "a Kubernetes bootstrap or Talos join token" },
            { path: "ironcloud:access.authorizedKeys[0]", what: "a private key" },
            { path: "ironcloud:extra.registry.password", what: 'a plaintext value under "password"' },
            { path: "ironcloud:extra.ci", what: "an access token" },
        ]);
        assert.ok(!JSON.stringify(findings).includes("hunter2"));
    });

    it("accepts secure entries and public keys", () => {
        assert.deepEqual(secretsInStackConfig({
            "ironcloud:cluster": { name: "dc1", kubeconfig: { secure: "v1:abc" } },
            "ironcloud:token": { secure: "v1:def" },
        }), []);
        assert.deepEqual(secretsInStackConfig(stackValues("prod")), []);
        assert.deepEqual(secretsInStackConfig(stackValues("dev")), []);
    });

    it("fails the lint command on a stack file with a plaintext secret", () => {
        const dir = mkdtempSync(join(tmpdir(), "ironcloud-lint-"));
        try {
            writeFileSync(join(dir, "Pulumi.leaky.yaml"), "config:\n  ironcloud:cluster:\n    name: x\n    kubeconfig: |\n      client-key-data: abc\n");
            const result = spawnSync(join(repoRoot, "node_modules", ".bin", "ts-node"), ["--transpile-only", join(repoRoot, "tools", "lintStacks.ts"), dir], { encoding: "utf8" });
            assert.equal(result.status, 1);
            assert.match(result.stderr, /Pulumi\.leaky\.yaml: ironcloud:cluster\.kubeconfig looks like a kubeconfig with credentials in plaintext/);
            assert.ok(!result.stderr.includes("abc"));
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    it("finds secrets in team inventories, secure entries included (the program never decrypts those files)", () => {
        assert.deepEqual(secretsInInventory({
            vms: [
                { name: "a", authorizedKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIuOSaZXyw0ciifvRRsAnAKYzOihu0M9k6pcpBEjLw49 alice@example.com"] },
                { name: "b", labels: { password: "hunter2" }, owner: { secure: "v1:abc" } },
            ],
        }), [
            { path: "vms[1].labels.password", what: 'a plaintext value under "password"' },
            { path: "vms[1].owner", what: "a secure value, which only a stack file can hold" },
        ]);
    });

    it("fails the lint command on a secret in an inventory a stack names, naming the file and path", () => {
        const project = mkdtempSync(join(tmpdir(), "ironcloud-lint-"));
        try {
            mkdirSync(join(project, "stacks", "lab"), { recursive: true });
            writeFileSync(join(project, "stacks", "Pulumi.lab.yaml"), "config:\n  ironcloud:teams:\n    - { name: a, quota: { cpu: 1, memory: 1Gi }, inventory: stacks/lab/a.yaml }\n");
            writeFileSync(join(project, "stacks", "lab", "a.yaml"), "vms:\n  - name: x\n    authorizedKeys:\n      - |\n        -----BEGIN OPENSSH PRIVATE KEY-----\n        b3Blbn\n        -----END OPENSSH PRIVATE KEY-----\n");
            const result = spawnSync(join(repoRoot, "node_modules", ".bin", "ts-node"), ["--transpile-only", join(repoRoot, "tools", "lintStacks.ts"), join(project, "stacks"), project], { encoding: "utf8" });
            assert.equal(result.status, 1);
            assert.match(result.stderr, /^stacks\/lab\/a\.yaml: vms\[0\]\.authorizedKeys\[0\] looks like a private key; an inventory holds only public data/m);
            assert.ok(!result.stderr.includes("b3Blbn"));
        } finally {
            rmSync(project, { recursive: true, force: true });
        }
    });
});
