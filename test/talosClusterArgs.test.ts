import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { strict as assert } from "node:assert";
import { parse } from "yaml";
import { z } from "zod";
import { ComponentArgsError } from "../components/componentArgs";
import { TalosCluster, TalosClusterArgs } from "../components/talos/cluster";
import { ConfigError, parseStackConfig } from "../infra/config";
import * as sections from "../infra/validation/sections";
import * as versions from "../infra/versions";
import { Evaluation, evaluateStack, reveal } from "../tools/offline/evaluate";
import { RecordedResource } from "../tools/offline/recordingMonitor";
import { rawConfig } from "./harness/configs";
import { dependencyNames, resource } from "./harness/program";

/** TalosCluster used as a library: its args checked inside, defaults applied, options and outputs. */

const noConfig = { values: {}, secretKeys: [] };
const clusterType = "ironcloud:talos:TalosCluster";

/** The smallest valid cluster: one control plane that also runs workloads. */
const minimal: TalosClusterArgs = {
    name: "mini",
    endpoint: "https://10.0.0.11:6443",
    installDisk: "/dev/sda",
    allowSchedulingOnControlPlanes: true,
    nodes: [{ name: "cp-1", address: "10.0.0.11", role: "controlplane" }],
};

function argsError(run: () => unknown): ComponentArgsError {
    try {
        run();
    } catch (error) {
        assert.ok(error instanceof ComponentArgsError, `expected a ComponentArgsError, got ${String(error)}`);
        return error;
    }
    assert.fail("expected a ComponentArgsError");
}

/** The problems parseStackConfig reports for the same cluster section, at their stack-config paths. */
function stackConfigProblems(cluster: Record<string, unknown>): { path: string; message: string }[] {
    try {
        parseStackConfig("lib", rawConfig({ "ironcloud:environment": "dev", "ironcloud:cluster": cluster }));
    } catch (error) {
        assert.ok(error instanceof ConfigError);
        return error.problems.filter((p) => p.path.startsWith("cluster.")).map(({ path, message }) => ({ path: path.replace(/^cluster\./, ""), message }));
    }
    assert.fail("expected a ConfigError");
}

/** Every resource below `root` (children, their children, ...). */
function descendants(evaluation: Evaluation, root: RecordedResource): RecordedResource[] {
    const inside = new Set([root.urn]);
    const found: RecordedResource[] = [];
    for (const r of evaluation.resources) {
        if (r.parent && inside.has(r.parent)) {
            inside.add(r.urn);
            found.push(r);
        }
    }
    return found;
}

describe("TalosCluster args", () => {
    it("are the cluster section's keys but kubeconfig, plus drbd, monitoring and airGapped (checked by tsc)", () => {
        type SectionKey = keyof z.input<typeof sections.cluster>;
        type Missing = Exclude<SectionKey, keyof TalosClusterArgs | "kubeconfig">;
        type Extra = Exclude<keyof TalosClusterArgs, SectionKey | "drbd" | "monitoring" | "airGapped">;
        const sameKeys: [Missing | Extra] extends [never] ? true : Missing | Extra = true;
        assert.ok(sameKeys);
    });

    it("no nodes and no endpoint: one error naming both, in the stack config's words, before anything is declared", () => {
        const error = argsError(() => new TalosCluster("x", { name: "x", nodes: [] } as unknown as TalosClusterArgs));
        assert.deepEqual(error.problems, [
            { path: "endpoint", message: "is required for a Talos cluster (e.g. https://10.0.0.10:6443), or set cluster.kubeconfig to use an existing cluster" },
            { path: "nodes", message: "must list at least one node with name, address and role (controlplane or worker)" },
        ]);
        assert.equal(error.message, [
            "invalid args (2 problems):",
            '  TalosCluster "x": endpoint: is required for a Talos cluster (e.g. https://10.0.0.10:6443), or set cluster.kubeconfig to use an existing cluster',
            '  TalosCluster "x": nodes: must list at least one node with name, address and role (controlplane or worker)',
        ].join("\n"));
    });

    it("lists every shape problem with its path, as the stack config does, and refuses kubeconfig and unknown keys", () => {
        const wrong = {
            name: "Bad_Name",
            endpoint: "http://10.0.0.10",
            kubeconfig: "apiVersion: v1",
            diskEncryption: "luks",
            nodes: [{ name: "cp-1", address: "10.0.0.300", role: "boss" }],
        };
        const error = argsError(() => new TalosCluster("x", { ...wrong, drbd: "yes", colour: 1 } as unknown as TalosClusterArgs));
        const expected = stackConfigProblems(wrong).filter((p) => p.path !== "kubeconfig");
        assert.equal(expected.length, 5);
        assert.deepEqual(error.problems.map((p) => p.path), ["name", "endpoint", "diskEncryption", "nodes[0].address", "nodes[0].role", "drbd", "kubeconfig", "colour"]);
        for (const problem of expected) assert.ok(error.problems.some((p) => p.path === problem.path && p.message === problem.message), `${problem.path}: ${problem.message}`);
        assert.ok(error.problems.some((p) => p.path === "drbd" && p.message === 'must be a boolean, not "yes"'));
        const unknown = error.problems.filter((p) => p.message.startsWith("unknown key")).map((p) => p.path).sort();
        assert.deepEqual(unknown, ["colour", "kubeconfig"], "kubeconfig is for existing clusters, which do not use TalosCluster");
    });

    it("runs the cluster rules of the stack config on valid shapes: quorum, duplicates, install disks, scheduling", () => {
        const cluster = {
            name: "x",
            endpoint: "https://10.0.0.10:6443",
            nodes: [
                { name: "cp-1", address: "10.0.0.11", role: "controlplane", installDisk: "/dev/sda" },
                { name: "cp-1", address: "10.0.0.11", role: "controlplane" },
            ],
        };
        const error = argsError(() => new TalosCluster("x", cluster as TalosClusterArgs));
        const expected = stackConfigProblems(cluster);
        assert.deepEqual(error.problems, expected);
        assert.deepEqual(error.problems.map((p) => p.path), ["nodes[1].installDisk", "nodes[1].name", "nodes[1].address", "nodes", "allowSchedulingOnControlPlanes"]);
    });

    it("an endpoint from another resource: accepted before its value is known, the kubeconfig's server, a dependency of the steps", async () => {
        let kubeconfig: pulumi.Output<string> | undefined;
        const evaluation = await evaluateStack("lib", noConfig, () => {
            const balancer = new command.local.Command("balancer", { create: "true" });
            const talos = new TalosCluster("mini", { ...minimal, endpoint: balancer.stdout.apply(() => "https://10.0.0.99:6443") });
            kubeconfig = talos.kubeconfig;
            return {};
        });
        const server = await new Promise<string>((done) => (kubeconfig as pulumi.Output<string>).apply((text) => done(parse(text).clusters[0].cluster.server)));
        assert.equal(server, "https://10.0.0.99:6443");
        assert.ok(dependencyNames(resource(evaluation, "command:local:Command", "mini-apply-cp-1")).includes("balancer"), "the machine config names the endpoint");
        assert.ok(dependencyNames(resource(evaluation, "command:local:Command", "mini-health")).includes("balancer"), "the kubeconfig names the endpoint");
    });
});

describe("a TalosCluster declared as a library", () => {
    let evaluation: Evaluation;
    let cluster: RecordedResource;
    before(async () => {
        evaluation = await evaluateStack("lib", noConfig, () => {
            const gate = new command.local.Command("gate", { create: "true" });
            new TalosCluster("mini", minimal, { dependsOn: [gate] });
            return {};
        });
        cluster = resource(evaluation, clusterType, "mini");
    });

    it("applies the stack config's defaults: tested versions, amd64, no DRBD, no encryption, default networks", () => {
        assert.deepEqual(cluster.inputs, {
            clusterName: "mini",
            talosVersion: versions.talosVersion,
            kubernetesVersion: versions.kubernetesVersion,
            controlPlanes: 1,
            workers: 0,
            extensions: [],
            kernelModules: [],
            diskEncryption: "none",
            installerImage: cluster.inputs.installerImage,
        });
        assert.match(String(cluster.inputs.installerImage), new RegExp(`^factory\\.talos\\.dev/metal-installer/[0-9a-f]{64}:${versions.talosVersion}$`));
        const config = parse(String((reveal(cluster.outputs?.machineConfigs) as Record<string, string>)["cp-1"]).split("---\n")[0]);
        assert.deepEqual(config.cluster.network, { dnsDomain: "cluster.local", podSubnets: ["10.244.0.0/16"], serviceSubnets: ["10.96.0.0/12"], cni: { name: "none" } });
        assert.equal(config.machine.install.disk, "/dev/sda");
        assert.equal(config.cluster.controlPlane.endpoint, "https://10.0.0.11:6443");
        assert.equal(config.machine.kernel, undefined, "drbd defaults to false");
        assert.equal(config.cluster.etcd.extraArgs, undefined, "monitoring defaults to false");
    });

    it("passes dependsOn to every child that creates something: keys, certificates, random values, commands", () => {
        const gate = resource(evaluation, "command:local:Command", "gate");
        const children = descendants(evaluation, cluster).filter((r) => !r.type.startsWith("ironcloud:"));
        assert.ok(children.length > 20, `found ${children.length} children`);
        const types = new Set(children.map((r) => r.type));
        for (const type of ["tls:index/privateKey:PrivateKey", "tls:index/selfSignedCert:SelfSignedCert", "tls:index/locallySignedCert:LocallySignedCert", "random:index/randomBytes:RandomBytes", "random:index/randomString:RandomString", "command:local:Command"]) {
            assert.ok(types.has(type), type);
        }
        for (const child of children) assert.ok(child.dependencies.includes(gate.urn), `${child.type} ${child.name} waits for gate`);
    });

    it("registers what it exposes: credentials, machine configs, schematic, boot assets, the health gate and the summary", () => {
        const outputs = cluster.outputs as Record<string, unknown>;
        assert.deepEqual(Object.keys(outputs).sort(), [
            "bootAssets", "clusterName", "controlPlanes", "diskEncryption", "extensions", "installerImage", "kernelModules", "kubeconfig",
            "kubernetesVersion", "machineConfigs", "ready", "schematic", "talosVersion", "talosconfig", "workers",
        ]);
        for (const key of Object.keys(cluster.inputs)) assert.deepEqual(outputs[key], cluster.inputs[key], `summary ${key} as input and output`);
        assert.match(String(reveal(outputs.kubeconfig)), /server: https:\/\/10\.0\.0\.11:6443/);
        assert.match(String(outputs.schematic), /siderolabs|customization/);
        const secrets = resource(evaluation, "ironcloud:talos:TalosSecrets", "mini");
        assert.deepEqual(Object.keys(secrets.outputs ?? {}).sort(), ["bundle", "kubernetesCa", "osCa"]);
    });
});
