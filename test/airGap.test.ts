import { strict as assert } from "node:assert";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { runPlan } from "../tools/plan/runPlan";
import { runPolicyCheck } from "../tools/policy/runPolicyCheck";
import { evaluateConfig, resource, stackPath, repoRoot } from "./harness/program";
import { reveal } from "../tools/offline/evaluate";

type Values = Record<string, Record<string, unknown> & { [key: string]: unknown }>;

/**
 * The air-gapped prod-like stack (stacks/Pulumi.airgap.yaml) through the offline plan and the
 * policy check, as written and with one mirror taken away at a time: the air-gapped policy and
 * the plan's summary name the host that is not mirrored, and pass when everything is.
 */
describe("an air-gapped stack", function () {
    const work = mkdtempSync(join(tmpdir(), "ironcloud-airgap-"));
    after(() => rmSync(work, { recursive: true, force: true }));
    const airgap = () => (parse(readFileSync(stackPath("airgap"), "utf8")) as { config: Values }).config;

    /** The stack file with `change` applied, written as Pulumi.airgap.yaml in a directory of its own. */
    const variant = (name: string, change: (config: Values) => void): string => {
        const config = airgap();
        change(config);
        const file = join(work, name, "Pulumi.airgap.yaml");
        rmSync(join(work, name), { recursive: true, force: true });
        mkdirSync(join(work, name), { recursive: true });
        writeFileSync(file, stringify({ config }));
        return file;
    };
    const policyCheck = async (configFile: string) => {
        const lines: string[] = [];
        const code = await runPolicyCheck({ configFile, stacksDir: join(repoRoot, "stacks"), policyDir: join(repoRoot, "policy") }, (line) => lines.push(line));
        return { code, text: lines.join("\n") };
    };
    const plan = async (configFile: string) => {
        const lines: string[] = [];
        const code = await runPlan({ configFile, outDir: join(work, "out"), stacksDir: join(repoRoot, "stacks") }, (line) => lines.push(line));
        return { code, text: lines.join("\n") };
    };

    it("plans with every artifact from its mirrors and passes the air-gapped policy", async () => {
        const planned = await plan(stackPath("airgap"));
        assert.equal(planned.code, 0);
        assert.match(planned.text, /air-gapped: all \d+ references come from declared mirrors or the site/);
        const checked = await policyCheck(stackPath("airgap"));
        assert.equal(checked.code, 0, checked.text);
        assert.doesNotMatch(checked.text, /air-gapped/);
        const artifacts = JSON.parse(readFileSync(join(work, "out", "airgap", "artifacts.json"), "utf8")) as { artifacts: { kind: string; source: string }[] };
        const hosts = new Set(artifacts.artifacts.map((a) => new URL(a.source.replace(/^oci:/, "https:")).host));
        assert.deepEqual([...hosts].sort(), ["charts.dc2.example.com", "factory.dc2.example.com", "mirror.dc2.example.com", "registry.dc2.example.com"]);
    });

    it("fails the policy naming a registry the nodes do not pull through a mirror", async () => {
        const file = variant("no-ghcr", (c) => delete (c["ironcloud:cluster"].registryMirrors as Record<string, unknown>)["ghcr.io"]);
        const checked = await policyCheck(file);
        assert.equal(checked.code, 1);
        assert.match(checked.text, /MANDATORY air-gapped \(1\)\n {4}.*ghcr\.io is not a declared mirror, yet \d+ references fetch from it \(image ghcr\.io\/siderolabs\/kubelet:v1\.36\.3: https:\/\/ghcr\.io/);
        assert.match((await plan(file)).text, /air-gapped: 1 undeclared host \(the air-gapped policy fails\):\n {4}ghcr\.io is not a declared mirror/);
    });

    it("fails the policy for a chart, a manifest and the default time server without mirrors, one finding per host", async () => {
        const file = variant("public", (c) => {
            delete (c["ironcloud:mirrors"].charts as Record<string, unknown>).cilium;
            delete (c["ironcloud:mirrors"].manifests as Record<string, unknown>).cdiOperator;
            delete c["ironcloud:cluster"].patches;
        });
        const checked = await policyCheck(file);
        assert.equal(checked.code, 1);
        for (const host of ["helm.cilium.io", "github.com", "time.cloudflare.com"]) assert.match(checked.text, new RegExp(`${host.replaceAll(".", "\\.")} is not a declared mirror`), host);
        assert.match(checked.text, /MANDATORY air-gapped \(3\)/);
    });

    it("counts hosts inside the site's own domains as internal", async () => {
        const file = variant("site", (c) => {
            delete (c["ironcloud:cluster"].registryMirrors as Record<string, unknown>)["ghcr.io"];
            c["ironcloud:cluster"].patches = { all: [{ machine: { time: { servers: ["ntp.dc2.example.com"] } } }] };
            c["ironcloud:mirrors"].siteDomains = ["dc2.example.com", "ghcr.io"];
        });
        assert.equal((await policyCheck(file)).code, 0);
    });

    it("turns Talos's public discovery service off, and only there", async () => {
        const discoveryOf = async (values: Values) => {
            const evaluation = await evaluateConfig("airgap", values);
            const configs = reveal(resource(evaluation, "ironcloud:talos:TalosCluster", "dc2").outputs?.machineConfigs) as Record<string, string>;
            return parse(configs["cp-1"].split("\n---\n")[0]).cluster.discovery.registries.service;
        };
        assert.deepEqual(await discoveryOf(airgap()), { disabled: true });
        const online = airgap();
        online["ironcloud:mirrors"].airGapped = false;
        assert.deepEqual(await discoveryOf(online), {});
    });

    it("is not checked at all when the stack does not declare itself air-gapped", async () => {
        const checked = await policyCheck(stackPath("prod"));
        assert.doesNotMatch(checked.text, /air-gapped/);
        assert.doesNotMatch((await plan(stackPath("prod"))).text, /air-gapped/);
    });
});
