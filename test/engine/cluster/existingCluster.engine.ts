import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { repoRoot } from "../../harness/program";
import { ControlPlane } from "../harness/controlPlane";
import { policies } from "../../../policy/policies";
import { loadStack } from "../../../tools/offline/loadStack";
import { PolicyConfigFile, runPolicies } from "../../../tools/policy/runPolicies";
import { PreviewStep, PulumiProject, urnName } from "../harness/pulumi";
import { policyFindings, previewWithPolicies } from "../policyPreview";

/**
 * `pulumi up` of an existing-cluster stack (KubeVirt and CDI provided by the cluster) against a
 * real kube-apiserver with kwok nodes: tenancy, the jump host and VMs and fleets are created,
 * then every day-2 change touches only what it names, protection holds in production, and
 * destroy leaves nothing behind.
 */

type StackConfig = Record<string, unknown> & { "ironcloud:cluster": Record<string, unknown>; "ironcloud:vms": Vm[] };
interface Vm { name: string; cpu?: number; disk?: string; [key: string]: unknown }

const fixture = join(repoRoot, "test", "fixtures", "Pulumi.existing.yaml");
const managed = "app.kubernetes.io/managed-by=ironcloud";

/** The fixture's config without its kubeconfig, which the test sets as a real secret. */
function fixtureConfig(): StackConfig {
    const config = (parse(readFileSync(fixture, "utf8")) as { config: StackConfig }).config;
    const { kubeconfig: _placeholder, ...cluster } = config["ironcloud:cluster"];
    return { ...config, "ironcloud:cluster": cluster };
}

/** "level policy resource" of every finding, each once, sorted: the verdict of a policy run. */
const findingKeys = (findings: { policy: string; level: string; resource?: string }[]) =>
    [...new Set(findings.map((f) => `${f.level} ${f.policy} ${f.resource ?? "(stack)"}`))].sort();

const changed = (steps: PreviewStep[]) => steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${urnName(s.urn)}`).sort();

describe("engine: pulumi up of an existing cluster with provided KubeVirt", function () {
    let plane: ControlPlane;
    let project: PulumiProject;
    let kubeconfigSecret: unknown;

    /** Replaces the stack config, keeping the encrypted kubeconfig. */
    const configure = (config: StackConfig) =>
        project.writeConfig({ ...config, "ironcloud:cluster": { ...config["ironcloud:cluster"], kubeconfig: kubeconfigSecret } });
    /** Names of the objects of `resource` in `namespace` (all namespaces when absent) that ironcloud manages. */
    const names = async (resource: string, namespace?: string) =>
        (await plane.kubectl(["get", resource, ...(namespace ? ["-n", namespace] : ["-A"]), "-l", managed, "-o", "jsonpath={range .items[*]}{.metadata.name}{\"\\n\"}{end}"]))
            .split("\n").filter(Boolean).sort();

    before(async function () {
        plane = await ControlPlane.start({ nodes: ["kwok-1", "kwok-2"] });
        project = await PulumiProject.create("existing", fixtureConfig());
        await project.setSecret("ironcloud:cluster.kubeconfig", plane.kubeconfig);
        const stackFile = parse(readFileSync(project.stackFile, "utf8")) as { config: StackConfig };
        kubeconfigSecret = stackFile.config["ironcloud:cluster"].kubeconfig;
        assert.ok(typeof kubeconfigSecret === "object" && kubeconfigSecret !== null && "secure" in kubeconfigSecret, "the kubeconfig is stored encrypted");
    });

    after(function () {
        project?.remove();
        plane?.stop();
    });

    it("passes the policy pack under the CLI, with the same findings as policy:check (provider configured)", async function () {
        const cli = await previewWithPolicies(project, "dev");
        const findings = policyFindings(cli.events);
        assert.equal(cli.code, 0, findings.map((f) => `${f.level} ${f.policy} ${f.resource}: ${f.message}`).join("\n") + cli.stderr.slice(-2000));
        const loaded = await loadStack({ configFile: fixture, stacksDir: join(repoRoot, "stacks") }, (line) => assert.fail(line));
        assert.ok(loaded);
        const config = JSON.parse(readFileSync(join(repoRoot, "policy", "config.dev.json"), "utf8")) as PolicyConfigFile;
        const offline = await runPolicies(loaded.evaluation.resources, policies, config);
        assert.deepEqual(findingKeys(findings), findingKeys(offline));
        assert.ok(findingKeys(offline).length > 0, "advisory findings make the comparison count");
    });

    it("creates the team namespace, the jump host with its address and every VM, and keeps the kubeconfig secret", async function () {
        await project.up();
        assert.deepEqual(await inventory(), fixtureInventory);
        const deployment = JSON.parse(await plane.kubectl(["get", "deployment", "-n", "ironcloud-access", "-o", "json"])) as { items: { status: { conditions?: { type: string; status: string }[] } }[] };
        assert.ok(deployment.items[0].status.conditions?.some((c) => c.type === "Available" && c.status === "True"), "the jump host Deployment is Available on kwok nodes");
        const address = await plane.kubectl(["get", "service", "-n", "ironcloud-access", "-o", "jsonpath={.items[?(@.spec.type==\"LoadBalancer\")].status.loadBalancer.ingress[0].ip}"]);
        assert.equal(address, "127.0.200.10");
        const state = JSON.stringify(await project.stateResources());
        assert.ok(!state.includes("client-key-data"), "no plaintext kubeconfig in state");
    });

    it("previews no change on a second run", async function () {
        await project.mustRun(["preview", "--expect-no-changes"]);
    });

    it("changing one VM updates exactly that VM", async function () {
        const config = fixtureConfig();
        config["ironcloud:vms"] = config["ironcloud:vms"].map((vm) => (vm.name === "scratch" ? { ...vm, cpu: 2 } : vm));
        configure(config);
        assert.deepEqual(changed(await project.previewSteps()), ["update local-vms-alpha-scratch"]);
        await project.up();
        assert.equal(await plane.kubectl(["get", "virtualmachines.kubevirt.io", "scratch", "-n", "alpha", "-o", "jsonpath={.spec.template.spec.domain.cpu.cores}"]), "2");
    });

    it("adding a VM only creates that VM's resources", async function () {
        configure(withExtraVm(fixtureConfig()));
        const steps = changed(await project.previewSteps());
        assert.ok(steps.length > 0 && steps.every((s) => s.startsWith("create ") && s.includes("extra")), `only creates for the new VM, got:\n${steps.join("\n")}`);
        await project.up();
        assert.deepEqual(await names("virtualmachines.kubevirt.io", "alpha"), ["build", "ci-0", "ci-1", "extra", "scratch"]);
    });

    it("in production, removing a VM with a disk fails with the protect error and deletes nothing", async function () {
        const prod = withExtraVm({ ...fixtureConfig(), "ironcloud:environment": "prod" });
        configure(prod);
        await project.up();
        const before = await inventory();

        configure({ ...prod, "ironcloud:vms": prod["ironcloud:vms"].filter((vm) => vm.name !== "build") });
        const result = await project.run(["up", "--yes", "--skip-preview"]);
        assert.notEqual(result.code, 0, "the up must fail");
        assert.match(result.stdout + result.stderr, /protect/i);
        assert.deepEqual(await inventory(), before, "no Kubernetes object was deleted");
        const state = (await project.stateResources()).map((r) => urnName(r.urn));
        for (const name of ["local-vms-alpha-build", "local-vms-alpha-build-cloud-init", "local-vms-alpha-build-host-key", "local-vms-alpha-build-root"]) assert.ok(state.includes(name), `${name} is still in state`);
    });

    it("pulumi destroy of the dev stack leaves nothing behind", async function () {
        configure(withExtraVm(fixtureConfig()));
        await project.up();
        await project.mustRun(["destroy", "--yes", "--skip-preview"]);
        assert.deepEqual(await inventory(), emptyInventory);
        assert.deepEqual((await project.stateResources()).map((r) => r.type), [], "the state is empty");
    });

    it("a checkpoint whose metadata sidecar a kill left empty stops even `pulumi cancel` with EOF, until the README's repair deletes the sidecar", async function () {
        // What a kill between the backend's truncation of `<stack>.json.attrs` and its rename of
        // the new checkpoint into place leaves behind; the checkpoint itself is intact.
        const sidecar = `${project.checkpointFile}.attrs`;
        assert.ok(existsSync(sidecar), `${sidecar} exists`);
        writeFileSync(sidecar, "");
        const refused = await project.run(["cancel", "--yes"]);
        assert.notEqual(refused.code, 0);
        assert.match(refused.stderr, /failed to load checkpoint: EOF/);
        assert.deepEqual(project.repairCheckpoint(), [`deleted the unreadable ${sidecar}`]);
        await project.mustRun(["cancel", "--yes"]);
        await project.stateResources();
        assert.deepEqual(project.repairCheckpoint(), [], "nothing left to repair");
    });

    it("an up killed mid-run recovers (cancel, refresh --clear-pending-creates, one up that adopts what the dead run created), then converges", async function () {
        configure(fixtureConfig());
        const run = project.start(["up", "--yes", "--skip-preview"]);
        await waitUntil("the team namespace exists", async () => (await names("namespaces")).includes("alpha"));
        // Every process of the run is gone when killAll resolves: nothing writes to the backend
        // any more while the recovery looks at it.
        assert.ok((await project.killAll()).length > 0, "the run was still going");
        assert.notEqual((await run.done).code, 0);

        project.repairCheckpoint();
        await project.mustRun(["cancel", "--yes"]);
        await project.mustRun(["refresh", "--yes", "--skip-preview", "--clear-pending-creates"]);
        // Objects whose create the dead run had started may be in the cluster but not in state;
        // pulumi-kubernetes refuses to take such objects over ("already exists") unless told to,
        // for this one run. Their names come from the stack config, so they are the stack's own.
        await project.up([], { env: { PULUMI_K8S_UPSERT_EXISTING_OBJECTS: "true" } });
        // The provider keeps the setting in its state until a plain run clears it; that run
        // changes nothing else.
        assert.deepEqual(changed(await project.previewSteps()), ["update local"]);
        await project.up();
        assert.deepEqual(await inventory(), fixtureInventory);
        const urns = (await project.stateResources()).map((r) => r.urn);
        assert.equal(new Set(urns).size, urns.length, "no resource twice in state");
        await project.mustRun(["preview", "--expect-no-changes"]);
        await project.mustRun(["destroy", "--yes", "--skip-preview"]);
        assert.deepEqual(await inventory(), emptyInventory);
    });

    /** Polls the control plane's state (bounded); the run under test goes on meanwhile. */
    const waitUntil = async (what: string, condition: () => Promise<boolean>) => {
        for (let attempt = 0; attempt < 600; attempt++) {
            if (await condition()) return;
            await new Promise((resolve) => setTimeout(resolve, 100));
        }
        throw new Error(`gave up waiting until ${what}`);
    };

    /** Everything ironcloud manages in the cluster, by kind. */
    const inventory = async () => ({
        namespaces: await names("namespaces"),
        virtualMachines: await names("virtualmachines.kubevirt.io"),
        dataVolumes: await names("datavolumes.cdi.kubevirt.io"),
        secrets: await names("secrets"),
        deployments: await names("deployments"),
        services: await names("services"),
        roles: await names("roles"),
        networkPolicies: await names("networkpolicies"),
    });
});

/** What the fixture stack puts into the cluster. */
const fixtureInventory = {
    namespaces: ["alpha", "ironcloud-access"],
    virtualMachines: ["build", "ci-0", "ci-1", "scratch"],
    dataVolumes: ["build-root"],
    secrets: ["build-cloud-init", "ci-0-cloud-init", "ci-1-cloud-init", "jump-host-key", "scratch-cloud-init"],
    deployments: ["jump-host"],
    services: ["jump-host", "vm"],
    roles: ["vm-user"],
    networkPolicies: ["allow-disk-import", "allow-dns", "allow-ssh-from-jump-host", "default-deny", "jump-host"],
};

const emptyInventory = { namespaces: [], virtualMachines: [], dataVolumes: [], secrets: [], deployments: [], services: [], roles: [], networkPolicies: [] };

/** The fixture with scratch at 2 CPUs and a copy of it named extra: the stack after the day-2 steps above. */
function withExtraVm(config: StackConfig): StackConfig {
    const scratch = { ...config["ironcloud:vms"].find((vm) => vm.name === "scratch"), cpu: 2 } as Vm;
    return { ...config, "ironcloud:vms": [...config["ironcloud:vms"].map((vm) => (vm.name === "scratch" ? scratch : vm)), { ...scratch, name: "extra" }] };
}
