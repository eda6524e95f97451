import { strict as assert } from "node:assert";
import { Evaluation } from "../tools/offline/evaluate";
import { RecordedResource } from "../tools/offline/recordingMonitor";
import { ConfigError, parseStackConfig } from "../infra/config";
import { clone, rawConfig, stackValues } from "./harness/configs";
import { dependencyNames, evaluateConfig, resource, resourcesOfType } from "./harness/program";

type Values = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const command = "command:local:Command";
const workers = ["worker-1", "worker-2", "worker-3"];
const controlPlanes = ["cp-1", "cp-2", "cp-3"];

/** The prod stack shaped as a 3 + 3 cluster, changed by `change`. */
function cluster(change: (cluster: Values, values: Values) => void = () => undefined): Values {
    const values = clone(stackValues("prod"));
    const spec = values["ironcloud:cluster"] as Values;
    spec.nodes = (spec.nodes as Values[]).filter((n) => n.name !== "worker-4");
    change(spec, values);
    return values;
}

/** The plain-text parts of every lifecycle command: what talosctl would run, with no secrets. */
function scripts(evaluation: Evaluation): Record<string, { create: string; update?: string; delete?: string }> {
    return Object.fromEntries(resourcesOfType(evaluation, command).filter((c) => c.parent.includes("ironcloud:talos")).map((c) => [
        c.name, { create: String(c.inputs.create), update: c.inputs.update as string | undefined, delete: c.inputs.delete as string | undefined },
    ]));
}

const changed = (before: Evaluation, after: Evaluation) => {
    const [a, b] = [scripts(before), scripts(after)];
    return Object.keys(b).filter((name) => JSON.stringify(a[name]) !== JSON.stringify(b[name])).sort();
};

describe("day-2 operations", () => {
    let base: Evaluation;
    before(async () => { base = await evaluateConfig("prod", cluster((c) => { c.talosVersion = "v1.13.8"; c.kubernetesVersion = "1.35.4"; })); });

    it("rolls OS upgrades one node at a time, control planes first, each after the previous one and the health gate", () => {
        const order = [...controlPlanes, ...workers];
        assert.ok(dependencyNames(resource(base, command, "dc1-upgrade-cp-1")).includes("dc1-health"));
        order.slice(1).forEach((node, i) => {
            assert.ok(dependencyNames(resource(base, command, `dc1-upgrade-${node}`)).includes(`dc1-upgrade-${order[i]}`), `${node} waits for ${order[i]}`);
        });
        assert.ok(dependencyNames(resource(base, command, "dc1-upgrade-kubernetes")).includes("dc1-upgrade-worker-3"), "Kubernetes after every OS upgrade");
        assert.ok(dependencyNames(resource(base, command, "dc1-config-cp-1")).includes("dc1-upgrade-kubernetes"), "config changes after both");
    });

    it("a new Talos version changes exactly the upgrade steps, each naming the new installer image", async () => {
        const upgraded = await evaluateConfig("prod", cluster((c) => { c.talosVersion = "v1.13.9"; c.kubernetesVersion = "1.35.4"; }));
        assert.deepEqual(changed(base, upgraded), [...controlPlanes, ...workers].map((n) => `dc1-upgrade-${n}`).sort());
        const image = String((upgraded.resources.find((r) => r.type === "ironcloud:talos:TalosCluster") as RecordedResource).inputs.installerImage);
        assert.match(image, /:v1\.13\.9$/);
        const cp2 = scripts(upgraded)["dc1-upgrade-cp-2"].update as string;
        assert.match(cp2, new RegExp(`talosctl --talosconfig "\\$dir/talosconfig" upgrade --nodes 10\\.0\\.0\\.12 --endpoints 10\\.0\\.0\\.12 --image ${image.replace(/[.]/g, "\\.")} --wait --timeout 20m`));
        assert.match(cp2, /talosctl --talosconfig "\$dir\/talosconfig" health --nodes 10\.0\.0\.11/);
        assert.match(cp2, /the rollout stops here and the nodes after it are untouched/);
        const schematic = image.split("/").pop()?.split(":")[0] as string;
        const check = cp2.indexOf(`if [ "$tag" = "v1.13.9" ] && [ "$schematic" = "${schematic}" ]; then echo "cp-2 already runs ${image}: nothing to do"; exit 0; fi`);
        assert.ok(check > 0 && check < cp2.indexOf(" upgrade --nodes "), "reads what the node runs before anything else");
        assert.ok(cp2.indexOf("version --nodes 10.0.0.12 --endpoints 10.0.0.12") < check && cp2.indexOf("get extensions --nodes 10.0.0.12 --endpoints 10.0.0.12") < check);
    });

    it("new extensions mean a new installer image, hence the same rollout", async () => {
        const more = await evaluateConfig("prod", cluster((c) => { c.talosVersion = "v1.13.8"; c.kubernetesVersion = "1.35.4"; c.extensions = [...c.extensions, "siderolabs/iscsi-tools"]; }));
        assert.deepEqual(changed(base, more), [...controlPlanes, ...workers].map((n) => `dc1-upgrade-${n}`).sort());
    });

    it("a new Kubernetes version changes only the Kubernetes upgrade, which runs talosctl upgrade-k8s after its pre-check", async () => {
        const upgraded = await evaluateConfig("prod", cluster((c) => { c.talosVersion = "v1.13.8"; c.kubernetesVersion = "1.36.3"; }));
        assert.deepEqual(changed(base, upgraded), ["dc1-upgrade-kubernetes"]);
        const update = scripts(upgraded)["dc1-upgrade-kubernetes"].update as string;
        const dryRun = update.indexOf("upgrade-k8s --nodes 10.0.0.11 --endpoints 10.0.0.11 --to 1.36.3 --dry-run");
        assert.ok(dryRun > 0 && update.indexOf("upgrade-k8s --nodes 10.0.0.11 --endpoints 10.0.0.11 --to 1.36.3\n") > dryRun);
    });

    it("both at once: every node upgrade, then Kubernetes", async () => {
        const both = await evaluateConfig("prod", cluster());
        assert.deepEqual(changed(base, both), [...[...controlPlanes, ...workers].map((n) => `dc1-upgrade-${n}`), "dc1-upgrade-kubernetes"].sort());
    });

    it("refuses a Kubernetes version outside the Talos support window before anything runs", () => {
        assert.throws(() => parseStackConfig("prod", rawConfig(cluster((c) => { c.kubernetesVersion = "1.37.0"; }))), (e: ConfigError) =>
            e.problems.some((p) => p.path === "cluster.kubernetesVersion" && p.message === "Kubernetes 1.37.0 is outside what Talos v1.13.9 supports (1.31.x to 1.36.x)"));
    });

    it("applies changed configs node by node with a dry run first, never re-applying an unchanged one", () => {
        const sync = scripts(base)["dc1-config-worker-2"];
        assert.match(String(sync.update), /apply-config --nodes 10\.0\.0\.22 --endpoints 10\.0\.0\.22 --file "\$dir\/config\.yaml" --dry-run/);
        assert.match(String(sync.update), /\*"No changes"\*\) echo "config of worker-2 unchanged: nothing applied"; exit 0;;/);
        assert.match(String(sync.update), /--mode auto/);
        assert.ok(dependencyNames(resource(base, command, "dc1-config-worker-2")).includes("dc1-config-worker-1"));
        assert.doesNotMatch(String(scripts(base)["dc1-apply-worker-2"].update), /apply-config/, "the first-apply step never applies again");
    });

    it("adding a worker applies it, waits for it to join, appends it to the rollout, and changes no other node's step", async () => {
        const grown = await evaluateConfig("prod", cluster((c) => {
            c.talosVersion = "v1.13.8"; c.kubernetesVersion = "1.35.4";
            c.nodes.push({ name: "worker-5", address: "10.0.0.25", role: "worker" });
        }));
        assert.match(scripts(grown)["dc1-apply-worker-5"].create, /apply-config --insecure --nodes 10\.0\.0\.25/);
        assert.match(scripts(grown)["dc1-health"].create, /-ge 7 \]/);
        assert.ok(dependencyNames(resource(grown, command, "dc1-health")).includes("dc1-apply-worker-5"));
        assert.ok(dependencyNames(resource(grown, command, "dc1-upgrade-worker-5")).includes("dc1-upgrade-worker-3"));
        assert.deepEqual(changed(base, grown).filter((n) => !n.endsWith("worker-5")), ["dc1-health"],
            "@pulumi/command runs update on any input change, so no existing step may change");
    });

    it("each node's steps name only that node and the first control plane, so other nodes coming and going leave them alone", () => {
        const addresses: Record<string, string> = Object.fromEntries((cluster()["ironcloud:cluster"].nodes as Values[]).map((n) => [n.name, n.address]));
        const all = Object.keys(addresses);
        for (const node of all) {
            for (const step of [`dc1-upgrade-${node}`, `dc1-config-${node}`, `dc1-apply-${node}`]) {
                const text = JSON.stringify(scripts(base)[step]);
                const named = all.filter((other) => new RegExp(`${addresses[other].replace(/\./g, "\\.")}(?!\\d)`).test(text));
                assert.deepEqual(named.filter((other) => other !== node && other !== "cp-1"), [], step);
                assert.ok(named.includes(node), step);
            }
        }
    });

    describe("removing nodes", () => {
        it("drains a removed worker and leaves it running unless reset was asked for", () => {
            const removal = String(scripts(base)["dc1-apply-worker-1"].delete);
            assert.match(removal, /drain worker-1 --ignore-daemonsets --delete-emptydir-data --timeout=10m/);
            assert.doesNotMatch(removal, / reset /);
            assert.match(removal, /warning: worker-1 \(10\.0\.0\.21\) left the stack and was drained, but keeps running/);
        });

        it("resets a removed worker when its entry says reset: true, or the stack allows it", async () => {
            const marked = await evaluateConfig("prod", cluster((c) => { c.nodes[3].reset = true; }));
            assert.match(String(scripts(marked)["dc1-apply-worker-1"].delete), /reset --nodes 10\.0\.0\.21 --endpoints 10\.0\.0\.21 --graceful=true --reboot=false/);
            assert.doesNotMatch(String(scripts(marked)["dc1-apply-worker-2"].delete), / reset /);
            const allowed = await evaluateConfig("prod", cluster((c) => { c.allowReset = true; }));
            for (const node of [...controlPlanes, ...workers]) assert.match(String(scripts(allowed)[`dc1-apply-${node}`].delete), / reset --nodes /, node);
        });

        it("takes a removed control plane out of etcd before any reset", async () => {
            const allowed = await evaluateConfig("prod", cluster((c) => { c.allowReset = true; }));
            const removal = String(scripts(allowed)["dc1-apply-cp-3"].delete);
            const leave = removal.indexOf("etcd leave --nodes 10.0.0.13");
            assert.ok(leave > 0 && removal.indexOf("reset --nodes 10.0.0.13") > leave);
        });

        it("refuses to shrink the control plane to an even count, or below 3 in prod; allows 3 → 1 in dev", () => {
            const problems = (values: Values) => {
                try {
                    parseStackConfig("x", rawConfig(values));
                    return [];
                } catch (error) {
                    return (error as ConfigError).problems;
                }
            };
            assert.deepEqual(problems(cluster((c) => { c.nodes.splice(2, 1); })), [
                { path: "cluster.nodes", message: "has 2 control-plane nodes; etcd needs an odd number (1, 3 or 5) to keep quorum" },
            ]);
            assert.deepEqual(problems(cluster((c) => { c.nodes.splice(1, 2); })), [
                { path: "cluster.nodes", message: "has 1 control-plane node; prod needs 3 or 5, so etcd survives a node loss (removing control planes below 3 is refused)" },
            ]);
            const dev = clone(stackValues("dev"));
            (dev["ironcloud:cluster"] as Values).nodes.splice(1, 2);
            (dev["ironcloud:platform"] as Values).storage.replicas = 1;
            assert.deepEqual(problems(dev), []);
        });
    });

    describe("client certificates", () => {
        it("renews admin certificates 30 days before they expire by default, without touching the CAs", () => {
            for (const name of ["dc1-kubernetes-admin", "dc1-talos-admin"]) {
                const cert = resource(base, "tls:index/locallySignedCert:LocallySignedCert", name).inputs;
                assert.deepEqual([cert.validityPeriodHours, cert.earlyRenewalHours], [8760, 720]);
            }
            for (const ca of resourcesOfType(base, "tls:index/selfSignedCert:SelfSignedCert")) assert.equal(ca.inputs.earlyRenewalHours, undefined, ca.name);
        });

        it("takes the renewal window from cluster.clientCertificateRenewalDays", async () => {
            const early = await evaluateConfig("prod", cluster((c) => { c.clientCertificateRenewalDays = 60; }));
            assert.equal(resource(early, "tls:index/locallySignedCert:LocallySignedCert", "dc1-talos-admin").inputs.earlyRenewalHours, 1440);
        });
    });

    it("keeps every secret out of every command line", () => {
        for (const [name, text] of Object.entries(scripts(base))) {
            const all = `${text.create}${text.update ?? ""}${text.delete ?? ""}`;
            assert.doesNotMatch(all, /PRIVATE KEY|[a-z0-9]{6}\.[a-z0-9]{16}|client-key-data/, name);
        }
    });
});
