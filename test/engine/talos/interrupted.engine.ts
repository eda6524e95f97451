import { strict as assert } from "node:assert";
import { PulumiProject, urnName } from "../harness/pulumi";
import { TalosDoubles } from "./doubles";
import { matching, ReplayNode, replayConfig, waitForChange } from "./stack";

/**
 * A `pulumi up` killed with SIGKILL (CLI, language host, providers and their commands) while a
 * node is being configured, then the documented recovery: `pulumi refresh
 * --clear-pending-creates`, and a second `up` that converges without touching a node twice.
 */
const prefix = "127.0.11";
const nodes: ReplayNode[] = [1, 2, 3].map((i) => ({ name: `lab-${i}`, address: `${prefix}.1${i}`, role: "controlplane" }));
const insecureApply = /^talosctl apply-config --insecure --nodes (\S+) /;

interface Deployment {
    deployment: { resources?: { urn: string; type: string }[]; pending_operations?: { type: string; resource: { urn: string } }[] };
}

describe("an interrupted pulumi up of a Talos stack", function () {
    const doubles = new TalosDoubles();
    let project: PulumiProject;
    const env = doubles.env();
    const exported = async () => JSON.parse((await project.mustRun(["stack", "export"])).stdout) as Deployment;

    before(async () => {
        doubles.machines(nodes.map((n) => n.address));
        project = await PulumiProject.create("cut", replayConfig(prefix, nodes));
    });
    after(() => {
        project?.remove();
        doubles.remove();
    });

    it("killed while lab-2 gets its config: leaves a pending create behind", async () => {
        doubles.hangApply(nodes[1].address, true);
        const run = project.start(["up", "--yes", "--skip-preview"], { env });
        // lab-2 has its config (the double applied it) but talosctl has not returned.
        await waitForChange(doubles.dir, () => doubles.hungPid() !== undefined, 300);
        run.kill();
        const orphans = doubles.killStarted();
        assert.ok(orphans.includes(doubles.hungPid() as number), "the hung talosctl outlived the CLI's process group");
        const killed = await run.done;
        assert.notEqual(killed.code, 0);
        // What an operator does first after a crash (README, recovery): a kill can leave the
        // checkpoint's metadata file empty, which every later command would trip over.
        project.repairCheckpoint();
        doubles.hangApply(nodes[1].address, false);
        doubles.newCalls();

        const pending = (await exported()).deployment.pending_operations ?? [];
        assert.ok(pending.some((op) => op.type === "creating" && urnName(op.resource.urn) === "lab-apply-lab-2"), JSON.stringify(pending));
        assert.equal(doubles.node(nodes[1].address).state, "installed", "the node was configured before the kill");
    });

    it("the killed run leaves the stack locked: the next up refuses until `pulumi cancel` removes the lock", async () => {
        const refused = await project.run(["up", "--yes", "--skip-preview"], { env });
        assert.notEqual(refused.code, 0);
        assert.match(refused.stderr, /the stack is currently locked/);
        assert.deepEqual(doubles.newCalls(), [], "a refused up touches no node");
        await project.mustRun(["cancel", "--yes"], { env });
    });

    it("recovers with refresh --clear-pending-creates, then converges: each node applied once, nothing lost or duplicated", async () => {
        await project.mustRun(["refresh", "--yes", "--skip-preview", "--clear-pending-creates"], { env });
        assert.deepEqual((await exported()).deployment.pending_operations ?? [], []);
        await project.up([], { env });

        const calls = doubles.calls();
        // A call killed before it reached its node may be made again; a node is configured once.
        for (const n of nodes) assert.equal(doubles.node(n.address).installs, 1, `${n.name} got its config in maintenance mode exactly once`);
        const applied = new Set(matching(calls, insecureApply).map((c) => (insecureApply.exec(c) as RegExpExecArray)[1]));
        assert.deepEqual([...applied].sort(), nodes.map((n) => n.address), "every node got its first apply");
        assert.equal(matching(calls, / bootstrap /).length, 1);
        assert.deepEqual(matching(calls, / upgrade | reset |--mode auto/), []);

        const resources = (await exported()).deployment.resources ?? [];
        const urns = resources.map((r) => r.urn);
        assert.equal(new Set(urns).size, urns.length, "no resource twice");
        const commands = resources.filter((r) => r.type === "command:local:Command").map((r) => urnName(r.urn)).sort();
        assert.deepEqual(commands, [
            ...nodes.map((n) => `lab-apply-${n.name}`), "lab-bootstrap", ...nodes.map((n) => `lab-config-${n.name}`), "lab-health",
            ...nodes.map((n) => `lab-upgrade-${n.name}`), "lab-upgrade-kubernetes",
        ].sort());
        await project.mustRun(["preview", "--expect-no-changes"], { env });
        doubles.newCalls();
        await project.up([], { env });
        assert.deepEqual(doubles.newCalls(), [], "a further up calls nothing");
    });
});
