import Ajv from "ajv";
import { strict as assert } from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { policies } from "../policy/policies";
import { helmPolicies } from "../policy/helm";
import { namespacePolicies } from "../policy/namespaces";
import { networkingPolicies } from "../policy/networking";
import { rbacPolicies } from "../policy/rbac";
import { stackPolicies } from "../policy/stack";
import { talosPolicies } from "../policy/talos";
import { vmPolicies } from "../policy/vms";
import { workloadPolicies } from "../policy/workloads";
import { runPolicyCheck } from "../tools/policy/runPolicyCheck";
import { repoRoot } from "./harness/program";

const areas = { talos: talosPolicies, helm: helmPolicies, workloads: workloadPolicies, rbac: rbacPolicies, networking: networkingPolicies, namespaces: namespacePolicies, vms: vmPolicies, stack: stackPolicies };
const environments = ["dev", "staging", "prod"] as const;
const configFile = (env: string) => JSON.parse(readFileSync(join(repoRoot, "policy", `config.${env}.json`), "utf8")) as Record<string, { enforcementLevel: string; environment: string }>;

async function check(options: { stack?: string; configFile?: string }): Promise<{ code: number; lines: string[] }> {
    const lines: string[] = [];
    const code = await runPolicyCheck({ ...options, stacksDir: join(repoRoot, "stacks"), policyDir: join(repoRoot, "policy") }, (line) => lines.push(line));
    return { code, lines };
}

describe("policy pack", () => {
    it("assembles every area, each policy with a unique name, description, severity and remediation", () => {
        assert.deepEqual(policies.map((p) => p.name), Object.values(areas).flat().map((p) => p.name));
        assert.equal(new Set(policies.map((p) => p.name)).size, policies.length);
        for (const policy of policies) {
            assert.ok(policy.description && policy.severity && policy.remediationSteps, policy.name);
        }
    });

    it("has a level for every policy in every environment's config, valid against the policy's config schema", () => {
        for (const env of environments) {
            const config = configFile(env);
            assert.deepEqual(Object.keys(config).sort(), policies.map((p) => p.name).sort(), env);
            for (const policy of policies) {
                const { enforcementLevel, ...settings } = config[policy.name];
                assert.ok(["advisory", "mandatory"].includes(enforcementLevel), `${env} ${policy.name}`);
                assert.equal(settings.environment, env);
                const validate = new Ajv({ strict: false }).compile({ type: "object", ...policy.configSchema });
                assert.ok(validate(settings), `${env} ${policy.name}: ${JSON.stringify(validate.errors)}`);
            }
        }
    });

    it("is stricter in prod than in dev, as the README documents", () => {
        const [dev, prod] = [configFile("dev"), configFile("prod")];
        for (const name of ["talos-disk-encryption", "workload-resources", "workload-probes", "no-nodeport", "loadbalancer-allowlist", "nothing-in-default", "vm-disks-protected", "vm-run-strategy", "vm-labels"]) {
            assert.deepEqual([name, dev[name].enforcementLevel, prod[name].enforcementLevel], [name, "advisory", "mandatory"]);
        }
        assert.equal(prod["workload-image-digest"].enforcementLevel, "advisory", "digests cannot be resolved from the build machines yet");
        for (const policy of policies) {
            if (dev[policy.name].enforcementLevel === "mandatory") assert.equal(prod[policy.name].enforcementLevel, "mandatory", policy.name);
        }
    });

    for (const file of readdirSync(join(repoRoot, "stacks")).filter((f) => /^Pulumi\..+\.yaml$/.test(f))) {
        it(`passes every mandatory policy on ${file}`, async () => {
            const { code, lines } = await check({ configFile: join(repoRoot, "stacks", file) });
            assert.equal(code, 0, lines.join("\n"));
            assert.match(lines[lines.length - 1], /, 0 mandatory$/);
        });
    }

    it("reports a violation of every area on the bad fixture stack, and exits 1", async () => {
        const { code, lines } = await check({ configFile: join(repoRoot, "test", "fixtures", "Pulumi.bad.yaml") });
        assert.equal(code, 1);
        const reported = new Set(lines.filter((l) => /^ {2}(MANDATORY|ADVISORY) /.test(l)).map((l) => l.trim().split(" ")[1]));
        // Helm's rules (exact chart versions) are config errors now, by the same code as the policy:
        // no valid stack can break them, so test/config.test.ts proves validation and policy agree.
        for (const [area, list] of Object.entries(areas).filter(([area]) => area !== "helm")) {
            assert.ok(list.some((p) => reported.has(p.name)), `no ${area} violation reported:\n${lines.join("\n")}`);
        }
        for (const expected of ["talos-disk-encryption", "storage-keeps-copies", "workload-image-pinned", "rbac-no-cluster-admin", "network-default-deny", "no-nodeport", "team-namespace-guardrails", "nothing-in-default", "vm-labels", "team-quota-fits"]) {
            assert.ok(reported.has(expected), expected);
        }
        assert.match(lines.join("\n"), /^ {2}MANDATORY team-quota-fits \(2\)\n {4}bad-vms: Team alpha: VMs in namespace alpha request 65 CPU, over the quota of 8/m);
    });

    it("uses another environment's levels when asked", async () => {
        const { code, lines } = await check({ configFile: join(repoRoot, "test", "fixtures", "Pulumi.bad.yaml") });
        const relaxed = await runPolicyCheck({ configFile: join(repoRoot, "test", "fixtures", "Pulumi.bad.yaml"), policyConfig: join(repoRoot, "policy", "config.dev.json"), stacksDir: "", policyDir: "" }, () => undefined);
        assert.equal(code, 1);
        assert.equal(relaxed, 1, "cluster-admin and quota violations stay mandatory in dev");
        assert.ok(lines.some((l) => l.includes("MANDATORY talos-disk-encryption")));
    });
});
