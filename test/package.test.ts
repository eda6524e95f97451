import * as pulumi from "@pulumi/pulumi";
import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { evaluateStack, Evaluation, reveal } from "../tools/offline/evaluate";
import { offlineMocks } from "../tools/offline/mocks";
import { SecretValue } from "../tools/offline/recordingMonitor";
import { repoRoot } from "./harness/program";

/**
 * The library as a user gets it: `npm pack` (which builds dist/), the tarball installed into an
 * example program's node_modules, the example type-checked against the emitted declarations and
 * evaluated under the offline runtime. Nothing here imports the components' TypeScript sources.
 */
describe("the ironcloud package and the VmService example", function () {
    this.timeout(300_000);
    const example = join(repoRoot, "examples", "vm-service");
    const tsc = join(repoRoot, "node_modules", ".bin", "tsc");
    let work: string;
    let app: string;
    let packed: string[];

    /** tsc on the example's project; fails the test with the compiler's own messages. */
    const compile = (...args: string[]): string => {
        const result = spawnSync(tsc, ["-p", join(app, "tsconfig.json"), ...args], { cwd: app, encoding: "utf8" });
        assert.equal(result.status, 0, result.stdout + result.stderr);
        return result.stdout;
    };

    before(() => {
        work = mkdtempSync(join(tmpdir(), "ironcloud-package-"));
        const tarball = execFileSync("npm", ["pack", "--silent", "--pack-destination", work], { cwd: repoRoot, encoding: "utf8" }).trim().split("\n").pop() as string;
        packed = execFileSync("tar", ["-tzf", join(work, tarball)], { encoding: "utf8" }).trim().split("\n");
        app = join(work, "app");
        const installed = join(app, "node_modules", "ironcloud");
        mkdirSync(installed, { recursive: true });
        execFileSync("tar", ["-xzf", join(work, tarball), "-C", installed, "--strip-components=1"]);
        // The package's dependencies as npm would install them beside it: this checkout's copies.
        for (const entry of readdirSync(join(repoRoot, "node_modules"))) {
            symlinkSync(join(repoRoot, "node_modules", entry), join(app, "node_modules", entry));
        }
        for (const file of ["index.ts", "tsconfig.json", "Pulumi.yaml", "package.json"]) copyFileSync(join(example, file), join(app, file));
    });

    after(() => rmSync(work, { recursive: true, force: true }));

    it("packs the built library with declarations, and neither sources, tests nor tools", () => {
        assert.ok(packed.includes("package/dist/components/index.js"));
        assert.ok(packed.includes("package/dist/components/index.d.ts"));
        assert.ok(packed.includes("package/dist/components/vms/vmService.d.ts"));
        const stray = packed.filter((file) => /\.ts$/.test(file) && !file.endsWith(".d.ts") || /^package\/(test|tools|bench|stacks|infra|components)\//.test(file));
        assert.deepEqual(stray, []);
        assert.ok(!packed.some((file) => file.startsWith("package/dist/infra/index.")), "the program entry is not part of the library");
    });

    it("type-checks the example against the package's emitted declarations", () => {
        const listed = compile("--noEmit", "--listFiles").split("\n");
        assert.ok(listed.some((file) => file.endsWith("node_modules/ironcloud/dist/components/vms/vmService.d.ts")), "VmService's types come from the package");
        assert.ok(!listed.some((file) => file.startsWith(join(repoRoot, "components"))), "no component source is compiled");
    });

    it("rejects a misspelled VmService arg at compile time", () => {
        writeFileSync(join(app, "bad.ts"), [
            "import { VmService } from \"ironcloud\";",
            "new VmService(\"x\", { kubeconfig: \"\", teams: [{ name: \"lab\", quota: { cpu: 1, memory: \"1Gi\" } }], vmz: [] });",
        ].join("\n"));
        writeFileSync(join(app, "tsconfig.bad.json"), JSON.stringify({ extends: "./tsconfig.json", compilerOptions: { noEmit: true }, files: ["bad.ts"] }));
        const result = spawnSync(tsc, ["-p", join(app, "tsconfig.bad.json")], { cwd: app, encoding: "utf8" });
        assert.notEqual(result.status, 0);
        assert.match(result.stdout, /bad\.ts.*'vmz' does not exist in type 'VmServiceArgs'/);
    });

    describe("evaluated with the kubeconfig another stack exports", () => {
        const kubeconfig = "apiVersion: v1\nkind: Config\nclusters: [{name: prod, cluster: {server: 'https://10.0.0.10:6443'}}]\n";
        let evaluation: Evaluation;

        before(async () => {
            const program = join(app, "bin", "index.js");
            // Compiled exactly as a user's `tsc` would; the evaluation requires the JavaScript.
            compile();
            const mocks: pulumi.runtime.Mocks = {
                newResource: (args) => args.type === "pulumi:pulumi:StackReference"
                    ? { id: args.name, state: { name: args.name, outputs: { kubeconfig } } }
                    : offlineMocks.newResource(args),
                call: (args) => offlineMocks.call(args),
            };
            // The example runs as the language host runs a program: required, its exports the outputs.
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            evaluation = await evaluateStack("example", { values: {}, secretKeys: [] }, () => require(program), { project: "vm-service-example", mocks });
        });

        const ofType = (type: string) => evaluation.resources.filter((r) => r.type === type);

        it("gives the VmService its own Kubernetes provider, with the referenced kubeconfig as a secret", () => {
            const [provider] = ofType("pulumi:providers:kubernetes");
            assert.ok(provider, "a Kubernetes provider is declared");
            assert.ok(provider.inputs.kubeconfig instanceof SecretValue, "the kubeconfig is a secret in state");
            assert.equal(reveal(provider.inputs.kubeconfig), kubeconfig);
            const service = ofType("ironcloud:vms:VmService")[0];
            assert.equal(service.name, "team-vms");
            const kubernetes = evaluation.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:"));
            assert.ok(kubernetes.length > 0);
            assert.deepEqual(kubernetes.filter((r) => !r.provider.startsWith(`${provider.urn}::`)).map((r) => r.name), [], "every Kubernetes object goes through that provider");
        });

        it("declares the VMs with their FQDNs, and protects the persistent one in prod", () => {
            const vms = ofType("kubernetes:kubevirt.io/v1:VirtualMachine");
            assert.deepEqual(vms.map((vm) => (vm.inputs.metadata as { name: string }).name).sort(), ["build", "sandbox"]);
            assert.deepEqual(vms.filter((vm) => vm.protect).map((vm) => (vm.inputs.metadata as { name: string }).name), ["build"]);
            assert.deepEqual(evaluation.outputs.vms, ["build.vm.lab.svc.cluster.local", "sandbox.vm.lab.svc.cluster.local"]);
        });

        it("exports the jump host and its known_hosts line signed by the host CA", () => {
            assert.deepEqual((evaluation.outputs.jumpHost as { port: number }).port, 2222);
            const knownHosts = reveal(evaluation.outputs.knownHosts) as string[];
            assert.ok(knownHosts.some((line) => line.startsWith("@cert-authority ")), knownHosts.join("\n"));
        });
    });
});
