import { strict as assert } from "node:assert";
import { PulumiProject, urnName } from "../harness/pulumi";
import { TalosDoubles } from "./doubles";
import { matching, ReplayNode, replayConfig } from "./stack";

/**
 * The Talos lifecycle replayed on the real Pulumi engine with recording talosctl/kubectl
 * doubles. One stack goes through the day-2 story in order, each `pulumi up` checked by the
 * calls it made: what ran, on which node, how often, in which order.
 */
const prefix = "127.0.10";
const cp = (i: number): ReplayNode => ({ name: `lab-${i}`, address: `${prefix}.1${i}`, role: "controlplane" });
const worker: ReplayNode = { name: "lab-w1", address: `${prefix}.21`, role: "worker" };
const controlPlanes = [cp(1), cp(2), cp(3)];
const base = { talosVersion: "v1.13.8", kubernetesVersion: "1.35.4" };

const upgradeOf = /^talosctl --talosconfig <talosconfig> upgrade --nodes (\S+) /;
const insecureApply = /^talosctl apply-config --insecure --nodes (\S+) /;
const disruptive = / upgrade | upgrade-k8s | reset | reboot |--mode auto| bootstrap /;

/** The nodes named by the calls matching `pattern`, in call order. */
const nodesOf = (calls: string[], pattern: RegExp) => matching(calls, pattern).map((c) => (pattern.exec(c) as RegExpExecArray)[1]);

describe("Talos day 2 on the real engine", function () {
    const doubles = new TalosDoubles();
    let project: PulumiProject;
    let nodes: ReplayNode[] = controlPlanes;
    let cluster: Record<string, unknown> = base;
    const env = doubles.env();

    async function up(change: () => void = () => undefined): Promise<string[]> {
        change();
        project.writeConfig(replayConfig(prefix, nodes, cluster));
        await project.up([], { env });
        return doubles.newCalls();
    }

    before(async () => {
        doubles.machines([...controlPlanes, worker].map((n) => n.address));
        project = await PulumiProject.create("replay", replayConfig(prefix, nodes, cluster));
    });
    after(() => {
        project?.remove();
        doubles.remove();
    });

    it("first up: applies each node once in maintenance mode, bootstraps once, checks health", async () => {
        const calls = await up();
        assert.deepEqual(nodesOf(calls, insecureApply).sort(), controlPlanes.map((n) => n.address));
        assert.equal(matching(calls, / bootstrap /).length, 1, calls.join("\n"));
        assert.ok(matching(calls, / etcd status --nodes 127\.0\.10\.11,127\.0\.10\.12,127\.0\.10\.13 /).length >= 1);
        assert.ok(matching(calls, /^kubectl .* get --raw=\/readyz$/).length >= 1);
        assert.deepEqual(matching(calls, / upgrade | upgrade-k8s | reset |--mode auto/), []);
        for (const n of controlPlanes) assert.equal(doubles.node(n.address).tag, "v1.13.8");
        assert.doesNotMatch(calls.join("\n"), /PRIVATE KEY|[a-z0-9]{6}\.[a-z0-9]{16}|client-key-data/, "no secret on any command line");
    });

    it("second up: calls nothing", async () => {
        assert.deepEqual(await up(), []);
    });

    it("adding a worker configures only that worker and upgrades nobody", async () => {
        nodes = [...controlPlanes, worker];
        project.writeConfig(replayConfig(prefix, nodes, cluster));
        const changed = (await project.previewSteps([], { env }))
            .filter((s) => s.urn.includes("command:local:Command::") && s.op !== "same")
            .map((s) => `${s.op} ${urnName(s.urn)}`).sort();
        assert.deepEqual(changed, ["create lab-apply-lab-w1", "create lab-config-lab-w1", "create lab-upgrade-lab-w1", "update lab-health"]);
        const calls = await up();
        assert.deepEqual(nodesOf(calls, insecureApply), [worker.address]);
        assert.deepEqual(matching(calls, disruptive), [], calls.join("\n"));
        assert.deepEqual(matching(calls, /--nodes 127\.0\.10\.1\d --endpoints 127\.0\.10\.1\d /), [], "no call to a single existing node");
    });

    it("renewing the admin certificates upgrades and reboots nobody", async () => {
        const certs = (await project.stateResources()).filter((r) => r.type === "tls:index/locallySignedCert:LocallySignedCert");
        assert.equal(certs.length, 2);
        await project.up(certs.flatMap((c) => ["--replace", c.urn]), { env });
        const calls = doubles.newCalls();
        const renewed = (await project.stateResources()).filter((r) => r.type === "tls:index/locallySignedCert:LocallySignedCert");
        for (const cert of certs) assert.notEqual(renewed.find((r) => r.urn === cert.urn)?.outputs?.certPem, cert.outputs?.certPem, `${urnName(cert.urn)} was re-issued`);
        assert.deepEqual(matching(calls, disruptive), [], calls.join("\n"));
        for (const n of nodes) assert.equal(doubles.node(n.address).upgrades, 0, n.name);
    });

    it("a new Talos version upgrades each node exactly once, control planes first, health-gated", async () => {
        const calls = await up(() => (cluster = { ...cluster, talosVersion: "v1.13.9" }));
        assert.deepEqual(nodesOf(calls, upgradeOf), nodes.map((n) => n.address), calls.join("\n"));
        const upgrades = calls.map((c, i) => (upgradeOf.test(c) ? i : -1)).filter((i) => i >= 0);
        const healthy = (from: number, to: number) => calls.slice(from, to).some((c) => / health --nodes 127\.0\.10\.11 /.test(c));
        upgrades.forEach((at, k) => assert.ok(healthy(k === 0 ? 0 : upgrades[k - 1] + 1, at), `a health check before upgrade ${k + 1}`));
        assert.ok(healthy(upgrades[upgrades.length - 1] + 1, calls.length), "a health check after the last upgrade");
        for (const n of nodes) assert.deepEqual([doubles.node(n.address).tag, doubles.node(n.address).upgrades], ["v1.13.9", 1], n.name);
        assert.deepEqual(matching(calls, / upgrade-k8s | reset /), []);
    });

    it("a rollout that fails on the second node stops there and resumes there on the next up", async () => {
        doubles.failUpgrade(cp(2).address, true);
        cluster = { ...cluster, extensions: ["siderolabs/qemu-guest-agent"] };
        project.writeConfig(replayConfig(prefix, nodes, cluster));
        const failed = await project.run(["up", "--yes", "--skip-preview"], { env });
        assert.notEqual(failed.code, 0);
        assert.match(failed.stdout + failed.stderr, /lab-2 \(127\.0\.10\.12\) failed; the rollout stops here/);
        const first = doubles.newCalls();
        assert.deepEqual(nodesOf(first, upgradeOf), [cp(1).address, cp(2).address], first.join("\n"));

        doubles.failUpgrade(cp(2).address, false);
        const resumed = await up();
        assert.deepEqual(nodesOf(resumed, upgradeOf), [cp(2).address, cp(3).address, worker.address], resumed.join("\n"));
        const schematic = doubles.node(cp(1).address).schematic;
        for (const n of nodes) {
            assert.equal(doubles.node(n.address).schematic, schematic, n.name);
            assert.equal(doubles.node(n.address).upgrades, 2, `${n.name}: once for the version, once for the extensions`);
        }
    });

    it("a new Kubernetes version runs upgrade-k8s once, after its pre-check", async () => {
        const calls = await up(() => (cluster = { ...cluster, kubernetesVersion: "1.36.3" }));
        assert.deepEqual(matching(calls, / upgrade-k8s /), [
            "talosctl --talosconfig <talosconfig> upgrade-k8s --nodes 127.0.10.11 --endpoints 127.0.10.11 --to 1.36.3 --dry-run",
            "talosctl --talosconfig <talosconfig> upgrade-k8s --nodes 127.0.10.11 --endpoints 127.0.10.11 --to 1.36.3",
        ]);
        assert.deepEqual(matching(calls, / upgrade --nodes | reset |--mode auto/), [], "the configs upgrade-k8s wrote are not applied again");
        assert.equal(doubles.cluster().apiServer, "v1.36.3");
    });

    it("marking a node reset: true touches nothing", async () => {
        assert.deepEqual(await up(() => (nodes = nodes.map((n) => (n.name === "lab-3" ? { ...n, reset: true } : n)))), []);
    });

    it("removing nodes drains them, takes control planes out of etcd, and resets only the one marked reset: true", async () => {
        nodes = [cp(1)];
        project.writeConfig(replayConfig(prefix, nodes, cluster));
        const result = await project.up([], { env });
        const calls = doubles.newCalls();
        for (const name of ["lab-2", "lab-3", "lab-w1"]) {
            assert.equal(matching(calls, new RegExp(`^kubectl .* drain ${name} `)).length, 1, name);
        }
        assert.deepEqual(nodesOf(calls, / etcd leave --nodes (\S+) /).sort(), [cp(2).address, cp(3).address]);
        assert.deepEqual(doubles.cluster().etcd, [cp(1).address]);
        assert.deepEqual(nodesOf(calls, / reset --nodes (\S+) /), [cp(3).address]);
        assert.deepEqual(matching(calls, / upgrade | upgrade-k8s | bootstrap /), []);
        assert.match(result.stdout + result.stderr, /lab-2 \(127\.0\.10\.12\) left the stack and was drained, but keeps running/);
        assert.match(result.stdout + result.stderr, /lab-w1 \(127\.0\.10\.21\) left the stack and was drained, but keeps running/);
        assert.deepEqual([cp(2), cp(3), worker].map((n) => doubles.node(n.address).state), ["installed", "reset", "installed"]);
    });
});
