import { strict as assert } from "node:assert";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { stringify } from "yaml";
import { CloudSpec, ConfigError, parseStackConfig } from "../infra/config";
import { projectFiles } from "../infra/projectFiles";
import { problemLocation } from "../infra/validation/problem";
import { clone, rawConfig, stackValues } from "./harness/configs";
import { evaluateConfig, evaluateStackFile, stackPath } from "./harness/program";

type Values = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Team inventory files: a team's VMs and fleets in a file of its own, named by
 * `ironcloud:teams[].inventory` relative to the project directory. Each test builds a throw-away
 * project directory holding the inventory files it needs.
 */
describe("team inventory files", () => {
    let project: string;
    beforeEach(() => {
        project = mkdtempSync(join(tmpdir(), "ironcloud-inventory-"));
    });
    afterEach(() => rmSync(project, { recursive: true, force: true }));

    const write = (path: string, content: unknown) => {
        mkdirSync(dirname(join(project, path)), { recursive: true });
        writeFileSync(join(project, path), typeof content === "string" ? content : stringify(content));
    };
    const parse = (values: Values): CloudSpec => parseStackConfig("test", rawConfig(values), projectFiles(project));
    const locations = (values: Values): string[] => {
        try {
            parse(values);
        } catch (error) {
            if (error instanceof ConfigError) return error.problems.map((p) => `${problemLocation(p)}: ${p.message}`);
            throw error;
        }
        return assert.fail("expected a ConfigError, but the config parsed");
    };

    /** The dev stack with its VMs and fleets moved into the lab team's file `stacks/dev/lab.yaml`. */
    const devWithInventory = (): Values => {
        const values = clone(stackValues("dev")) as Values;
        write("stacks/dev/lab.yaml", {
            vms: values["ironcloud:vms"].map((vm: Values) => ({ ...vm, team: undefined })),
            fleets: values["ironcloud:fleets"],
        });
        values["ironcloud:teams"][0].inventory = "stacks/dev/lab.yaml";
        delete values["ironcloud:vms"];
        delete values["ironcloud:fleets"];
        return values;
    };

    it("gives the same CloudSpec as the same VMs written inline, the file's team filled in", () => {
        const inline = parseStackConfig("test", rawConfig(stackValues("dev")));
        const fromFile = parse(devWithInventory());
        assert.deepEqual(fromFile.vms, inline.vms);
        assert.deepEqual(fromFile.fleets, inline.fleets);
        assert.deepEqual(fromFile.teams.map((t) => t.inventory), ["stacks/dev/lab.yaml"]);
    });

    it("puts inline VMs first, then each team's file in team order", () => {
        const values = devWithInventory();
        values["ironcloud:teams"].push({ name: "ops", quota: { cpu: 8, memory: "16Gi" } });
        values["ironcloud:vms"] = [{ name: "bastion", team: "ops", os: "debian", authorizedKeys: values["ironcloud:access"].authorizedKeys }];
        assert.deepEqual(parse(values).vms.map((vm) => `${vm.team}/${vm.name}`), ["ops/bastion", "lab/sandbox"]);
    });

    it("resolves named keys in a file from ironcloud:sshKeys, and reports an undeclared name in the file", () => {
        const values = devWithInventory();
        const alice = values["ironcloud:sshKeys"].alice;
        values["ironcloud:sshKeys"] = { alice };
        write("stacks/dev/lab.yaml", { vms: [{ name: "a", os: "ubuntu", authorizedKeys: ["alice"] }, { name: "b", os: "ubuntu", authorizedKeys: ["bob"] }] });
        assert.deepEqual(locations(values), ["stacks/dev/lab.yaml: vms[1].authorizedKeys[0]: names no key in ironcloud:sshKeys (declared: alice)"]);
        write("stacks/dev/lab.yaml", { vms: [{ name: "a", os: "ubuntu", authorizedKeys: ["alice"] }] });
        assert.deepEqual(parse(values).vms[0].authorizedKeys, [alice]);
    });

    it("reports every problem at once: the stack file's and each inventory's, at their file and path", () => {
        const values = devWithInventory();
        values["ironcloud:teams"].push({ name: "ops", quota: { cpu: 1, memory: "1Gi" }, inventory: "stacks/dev/ops.yaml" });
        values["ironcloud:cluster"].installDisk = "sda";
        write("stacks/dev/lab.yaml", {
            vms: [
                { name: "sandbox", os: "ubunto", authorizedKeys: values["ironcloud:access"].authorizedKeys },
                { name: "second", os: "ubuntu", cpu: "lots", authorizedKeys: values["ironcloud:access"].authorizedKeys },
            ],
        });
        write("stacks/dev/ops.yaml", { vms: [{ name: "sandbox", team: "lab", os: "debian", authorizedKeys: values["ironcloud:access"].authorizedKeys }], fleet: [] });
        assert.deepEqual(locations(values).sort(), [
            "ironcloud:cluster.installDisk: must be a device path such as /dev/nvme0n1 or /dev/disk/by-id/…",
            "stacks/dev/lab.yaml: vms[1].cpu: must be a positive CPU quantity such as 2, 0.5 or 500m",
            "stacks/dev/ops.yaml: fleet: unknown key; allowed: vms, fleets",
        ]);
        // With the shapes fixed, the rules across sections see the files' VMs where they were written.
        write("stacks/dev/lab.yaml", { vms: [{ name: "sandbox", os: "ubunto", authorizedKeys: values["ironcloud:access"].authorizedKeys }] });
        write("stacks/dev/ops.yaml", { vms: [{ name: "tools", team: "lab", os: "debian", authorizedKeys: values["ironcloud:access"].authorizedKeys }] });
        assert.deepEqual(locations(values).sort(), [
            "ironcloud:cluster.installDisk: must be a device path such as /dev/nvme0n1 or /dev/disk/by-id/…",
            'stacks/dev/lab.yaml: vms[0].os: unknown OS "ubunto"; known: ubuntu, debian',
            'stacks/dev/ops.yaml: vms[0].team: is "lab", but this file is the inventory of team "ops" (teams[1].inventory); a team declares only its own VMs',
        ]);
    });

    it("reports a VM name that a file repeats from another file at the repeat", () => {
        const values = devWithInventory();
        const keys = values["ironcloud:access"].authorizedKeys;
        values["ironcloud:teams"].push({ name: "ops", quota: { cpu: 8, memory: "16Gi" }, inventory: "stacks/dev/ops.yaml" });
        write("stacks/dev/ops.yaml", { vms: [{ name: "other", os: "debian", authorizedKeys: keys }, { name: "other", os: "debian", authorizedKeys: keys }] });
        assert.deepEqual(locations(values).map((line) => line.split(":").slice(0, 2).join(":")), ["stacks/dev/ops.yaml: vms[1].name"]);
    });

    it("counts a file's VMs against its team's quota", () => {
        const values = devWithInventory();
        values["ironcloud:teams"][0].quota.cpu = 1;
        assert.deepEqual(locations(values), ['ironcloud:teams[0].quota.cpu: VMs of team "lab" request 3 CPUs in total, more than the quota of 1']);
    });

    it("refuses a file that is missing, a directory, absolute, outside the project or linked out of it, at the team's inventory path", () => {
        const outside = mkdtempSync(join(tmpdir(), "ironcloud-outside-"));
        try {
            writeFileSync(join(outside, "x.yaml"), "vms: []\n");
            mkdirSync(join(project, "stacks", "dir.yaml"), { recursive: true });
            symlinkSync(join(outside, "x.yaml"), join(project, "stacks", "link.yaml"));
            const values = devWithInventory();
            const team = (name: string, inventory: string) => ({ name, quota: { cpu: 1, memory: "1Gi" }, inventory });
            values["ironcloud:teams"].push(
                team("missing", "stacks/dev/missing.yaml"), team("folder", "stacks/dir.yaml"), team("absolute", join(outside, "x.yaml")),
                team("escape", "../x.yaml"), team("linked", "stacks/link.yaml"));
            const outsideMessage = "is outside the project directory: files the stack config names live in the project, under its version control and review";
            assert.deepEqual(locations(values), [
                'ironcloud:teams[1].inventory: "stacks/dev/missing.yaml" does not exist (paths are relative to the project directory, where Pulumi.yaml is)',
                'ironcloud:teams[2].inventory: "stacks/dir.yaml" is a directory; name a YAML file',
                `ironcloud:teams[3].inventory: "${join(outside, "x.yaml")}" must be relative to the project directory (where Pulumi.yaml is), not an absolute path`,
                `ironcloud:teams[4].inventory: "../x.yaml" ${outsideMessage}`,
                `ironcloud:teams[5].inventory: "stacks/link.yaml" ${outsideMessage}`,
            ]);
        } finally {
            rmSync(outside, { recursive: true, force: true });
        }
    });

    it("refuses a file that two teams name, a file that is not a map, and YAML the CLI's parser refuses", () => {
        const values = devWithInventory();
        values["ironcloud:teams"].push(
            { name: "twin", quota: { cpu: 1, memory: "1Gi" }, inventory: "stacks/dev/lab.yaml" },
            { name: "listy", quota: { cpu: 1, memory: "1Gi" }, inventory: "stacks/dev/listy.yaml" },
            { name: "broken", quota: { cpu: 1, memory: "1Gi" }, inventory: "stacks/dev/broken.yaml" });
        write("stacks/dev/listy.yaml", "- name: a\n");
        write("stacks/dev/broken.yaml", "vms:\n  - name: a\n    name: b\n");
        const found = locations(values);
        assert.deepEqual(found.slice(0, 2), [
            'ironcloud:teams[1].inventory: "stacks/dev/lab.yaml" is already the inventory of team "lab" (teams[0]); each team owns its own file',
            "stacks/dev/listy.yaml: must be a map with vms and fleets, not a list",
        ]);
        assert.match(found[2], /^stacks\/dev\/broken\.yaml: not valid YAML as the Pulumi CLI reads it: .*unique/i);
        assert.equal(found.length, 3);
    });

    it("refuses inline VMs of a team that keeps an inventory, naming the file", () => {
        const values = devWithInventory();
        values["ironcloud:fleets"] = [{ name: "extra", team: "lab", os: "debian", replicas: 1, authorizedKeys: values["ironcloud:access"].authorizedKeys }];
        assert.deepEqual(locations(values), ['ironcloud:fleets[0].team: team "lab" keeps its VMs in stacks/dev/lab.yaml (teams[0].inventory); declare this one there']);
    });

    it("accepts an empty file: a team with no VMs yet", () => {
        const values = devWithInventory();
        write("stacks/dev/lab.yaml", "# no VMs yet\n");
        const spec = parse(values);
        assert.deepEqual([spec.vms.length, spec.fleets.length], [0, 0]);
    });

    it("names what an inventory path must look like", () => {
        const values = devWithInventory();
        values["ironcloud:teams"][0].inventory = "stacks/dev/lab.json";
        assert.deepEqual(locations(values), ["ironcloud:teams[0].inventory: must be the path of a YAML file relative to the project directory, e.g. stacks/prod/alpha.yaml"]);
    });

    it("the prod stack, whose teams keep inventories, declares what the same VMs inline declare", async () => {
        const fromFiles = await evaluateStackFile(stackPath("prod"));
        const inline = await evaluateConfig("prod", stackValues("prod"));
        const graph = (resources: typeof inline.resources) => resources.map((r) => `${r.urn} protect=${r.protect} <- ${[...r.dependencies].sort().join(",")}`).sort();
        assert.deepEqual(graph(fromFiles.resources), graph(inline.resources));
        const machines = (resources: typeof inline.resources) => resources.filter((r) => r.inputs.kind === "VirtualMachine").map((r) => [r.name, r.inputs]);
        assert.equal(machines(fromFiles.resources).length, 7, "build, db and ci-0…ci-4");
        assert.deepEqual(machines(fromFiles.resources), machines(inline.resources));
    });
});
