import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { repoRoot } from "../../harness/program";
import { ControlPlane } from "../harness/controlPlane";
import { PulumiProject, urnName } from "../harness/pulumi";

/**
 * VmService names its VMs' resources after itself (`<service>-<team>-<object>`) since they were
 * `<team>-<object>`; aliases carry existing stacks over. This runs the program as it was before
 * (a checkout of the last commit with the old names) with `pulumi up` against a real
 * kube-apiserver, then the current program: the engine must move every resource to its new name
 * without creating, deleting or replacing anything.
 */

/** The last commit whose VM resources are named `<team>-<object>`. */
const oldNamesCommit = "2b0bfef";
const fixture = join(repoRoot, "test", "fixtures", "Pulumi.existing.yaml");

type StackConfig = Record<string, unknown> & { "ironcloud:cluster": Record<string, unknown> };

/** The sources of the program at `commit`, with this checkout's node_modules. */
function programAt(commit: string): string {
    const root = mkdtempSync(join(tmpdir(), `ironcloud-program-${commit}-`));
    const archive = execFileSync("git", ["-C", repoRoot, "archive", "--format=tar", commit, "infra", "components", "policy", "package.json", "tsconfig.json", "tsconfig.pulumi.json"]);
    execFileSync("tar", ["-x", "-C", root], { input: archive });
    symlinkSync(join(repoRoot, "node_modules"), join(root, "node_modules"));
    return root;
}

describe("engine: VM resources renamed after their service, with aliases", function () {
    let plane: ControlPlane;
    let project: PulumiProject;
    let oldProgram: string;

    before(async function () {
        oldProgram = programAt(oldNamesCommit);
        plane = await ControlPlane.start({ nodes: ["kwok-1", "kwok-2"] });
        const config = (parse(readFileSync(fixture, "utf8")) as { config: StackConfig }).config;
        const { kubeconfig: _placeholder, ...cluster } = config["ironcloud:cluster"];
        project = await PulumiProject.create("rename", { ...config, "ironcloud:cluster": cluster });
        await project.setSecret("ironcloud:cluster.kubeconfig", plane.kubeconfig);
    });

    after(function () {
        project?.remove();
        plane?.stop();
        if (oldProgram) rmSync(oldProgram, { recursive: true, force: true });
    });

    const vmResources = async () => (await project.stateResources())
        .filter((r) => ["kubernetes:kubevirt.io/v1:VirtualMachine", "kubernetes:cdi.kubevirt.io/v1beta1:DataVolume", "kubernetes:core/v1:Secret", "tls:index/privateKey:PrivateKey"].includes(r.type))
        .map((r) => urnName(r.urn)).filter((name) => name.includes("alpha-")).sort();
    const uids = async () => plane.kubectl(["get", "virtualmachines.kubevirt.io,datavolumes.cdi.kubevirt.io,secrets", "-n", "alpha", "-o", "jsonpath={range .items[*]}{.kind}/{.metadata.name}={.metadata.uid}{\"\\n\"}{end}"]);

    it("moves every VM resource to its new name on the next up: no create, delete or replace, the objects keep their uid", async function () {
        project.useProgramFrom(oldProgram);
        await project.up();
        const oldNames = await vmResources();
        assert.ok(oldNames.includes("alpha-build") && oldNames.includes("alpha-build-host-key") && oldNames.includes("alpha-build-root"), oldNames.join(", "));
        assert.ok(!oldNames.some((name) => name.startsWith("local-vms-")), "the old program names them <team>-<object>");
        const before = await uids();

        project.useProgramFrom(repoRoot);
        const steps = await project.previewSteps();
        const ops = [...new Set(steps.map((s) => s.op))].sort();
        assert.deepEqual(ops.filter((op) => op !== "same" && op !== "update"), [], steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${urnName(s.urn)}`).join("\n"));
        await project.up();

        assert.deepEqual(await vmResources(), oldNames.map((name) => `local-vms-${name}`).sort(), "every VM resource under its new name, none twice");
        assert.equal(await uids(), before, "the Kubernetes objects were neither deleted nor recreated");
        await project.mustRun(["preview", "--expect-no-changes"]);
    });
});
