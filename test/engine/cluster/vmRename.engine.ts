import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { repoRoot } from "../../harness/program";
import { ControlPlane } from "../harness/controlPlane";
import { PulumiProject, urnName } from "../harness/pulumi";

/**
 * VmService names its VMs' resources after itself (`<service>-<team>-<object>`) since they were
 * `<team>-<object>`; aliases carry existing stacks over. The state a stack of the old names has
 * is made with the engine's own tools: `pulumi up`, then `pulumi stack export`, the VM
 * resources' URNs renamed back to `<team>-<object>` (parents and dependencies with them) and
 * `pulumi stack import`. The current program must then move every resource to its new name
 * without creating, deleting or replacing anything, against a real kube-apiserver.
 */

const fixture = join(repoRoot, "test", "fixtures", "Pulumi.existing.yaml");
const service = "local-vms";

type StackConfig = Record<string, unknown> & { "ironcloud:cluster": Record<string, unknown> };

describe("engine: VM resources renamed after their service, with aliases", function () {
    let plane: ControlPlane;
    let project: PulumiProject;
    let work: string;

    before(async function () {
        work = mkdtempSync(join(tmpdir(), "ironcloud-rename-"));
        plane = await ControlPlane.start({ nodes: ["kwok-1", "kwok-2"] });
        const config = (parse(readFileSync(fixture, "utf8")) as { config: StackConfig }).config;
        const { kubeconfig: _placeholder, ...cluster } = config["ironcloud:cluster"];
        project = await PulumiProject.create("rename", { ...config, "ironcloud:cluster": cluster });
        await project.setSecret("ironcloud:cluster.kubeconfig", plane.kubeconfig);
    });

    after(function () {
        project?.remove();
        plane?.stop();
        if (work) rmSync(work, { recursive: true, force: true });
    });

    const vmResources = async () => (await project.stateResources())
        .filter((r) => ["kubernetes:kubevirt.io/v1:VirtualMachine", "kubernetes:cdi.kubevirt.io/v1beta1:DataVolume", "kubernetes:core/v1:Secret", "tls:index/privateKey:PrivateKey"].includes(r.type))
        .map((r) => urnName(r.urn)).filter((name) => name.includes("alpha-")).sort();
    const uids = async () => plane.kubectl(["get", "virtualmachines.kubevirt.io,datavolumes.cdi.kubevirt.io,secrets", "-n", "alpha", "-o", "jsonpath={range .items[*]}{.kind}/{.metadata.name}={.metadata.uid}{\"\\n\"}{end}"]);

    it("moves every VM resource to its new name on the next up: no create, delete or replace, the objects keep their uid", async function () {
        await project.up();
        const newNames = await vmResources();
        assert.ok(newNames.includes(`${service}-alpha-build`) && newNames.includes(`${service}-alpha-build-host-key`) && newNames.includes(`${service}-alpha-build-root`), newNames.join(", "));
        const state = join(work, "state.json");
        writeFileSync(state, (await project.mustRun(["stack", "export"])).stdout.replaceAll(`::${service}-alpha-`, "::alpha-"));
        await project.mustRun(["stack", "import", "--file", state]);
        const oldNames = await vmResources();
        assert.deepEqual(oldNames, newNames.map((name) => name.slice(service.length + 1)).sort(), "the state holds the old names");
        const before = await uids();

        const steps = await project.previewSteps();
        const ops = [...new Set(steps.map((s) => s.op))].sort();
        assert.deepEqual(ops.filter((op) => op !== "same" && op !== "update"), [], steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${urnName(s.urn)}`).join("\n"));
        await project.up();

        assert.deepEqual(await vmResources(), newNames, "every VM resource under its new name, none twice");
        assert.equal(await uids(), before, "the Kubernetes objects were neither deleted nor recreated");
        await project.mustRun(["preview", "--expect-no-changes"]);
    });
});
