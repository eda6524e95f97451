import { strict as assert } from "node:assert";
import { parseAllDocuments } from "yaml";
import { bootAssets, factoryEndpoints, publicFactory, schematicId, schematicYaml } from "../components/talos/imageFactory";
import { ConfigError, parseStackConfig, Problem } from "../infra/config";
import * as versions from "../infra/versions";
import { reveal } from "../tools/offline/evaluate";
import { clone, rawConfig, stackValues } from "./harness/configs";
import { evaluateConfig, resource } from "./harness/program";

/** Schematic → ID pairs the Image Factory publishes (README, docs, its own unit tests). */
const publishedVectors: [string, string][] = [
    ["customization: {}\n", "376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba"],
    ["customization:\n    extraKernelArgs:\n        - noapic\n        - nolapic\n", "9cba8e32753f91a16c1837ab8abf356af021706ef284aef07380780177d9a06c"],
    ["customization:\n    systemExtensions:\n        officialExtensions:\n            - siderolabs/gvisor\n", "d9ff89777e246792e7642abd3220a616afb4e49822382e4213a2e528ab826fe5"],
    [
        "customization:\n    extraKernelArgs:\n        - net.ifnames=0\n    systemExtensions:\n        officialExtensions:\n            - siderolabs/gvisor\n            - siderolabs/intel-ucode\n",
        "b8e8fbbe1b520989e6c52c8dc8303070cb42095997e76e812fa8892393e1d176",
    ],
];

describe("Image Factory", () => {
    it("hashes schematics to the IDs the factory publishes", () => {
        for (const [yaml, id] of publishedVectors) assert.equal(schematicId(yaml), id);
    });

    it("renders schematics byte for byte as the factory serialises them", () => {
        assert.equal(schematicYaml({ extensions: [], kernelArgs: [] }), publishedVectors[0][0]);
        assert.equal(schematicYaml({ extensions: [], kernelArgs: ["noapic", "nolapic"] }), publishedVectors[1][0]);
        assert.equal(schematicYaml({ extensions: ["siderolabs/gvisor"], kernelArgs: [] }), publishedVectors[2][0]);
        assert.equal(schematicYaml({ extensions: ["siderolabs/gvisor", "siderolabs/intel-ucode"], kernelArgs: ["net.ifnames=0"] }), publishedVectors[3][0]);
    });

    it("keeps extension order, as the factory does (order changes the ID)", () => {
        const a = schematicId(schematicYaml({ extensions: ["siderolabs/drbd", "siderolabs/zfs"], kernelArgs: [] }));
        const b = schematicId(schematicYaml({ extensions: ["siderolabs/zfs", "siderolabs/drbd"], kernelArgs: [] }));
        assert.notEqual(a, b);
    });

    it("derives the installer image and boot asset URLs from the schematic ID", () => {
        const id = publishedVectors[3][1];
        assert.deepEqual(bootAssets(id, "v1.13.9", "amd64"), {
            schematicId: id,
            installerImage: `factory.talos.dev/metal-installer/${id}:v1.13.9`,
            pxeScript: `https://pxe.factory.talos.dev/pxe/${id}/v1.13.9/metal-amd64`,
            kernel: `https://factory.talos.dev/image/${id}/v1.13.9/kernel-amd64`,
            initramfs: `https://factory.talos.dev/image/${id}/v1.13.9/initramfs-amd64.xz`,
            cmdline: `https://factory.talos.dev/image/${id}/v1.13.9/cmdline-metal-amd64`,
            iso: `https://factory.talos.dev/image/${id}/v1.13.9/metal-amd64.iso`,
            rawDisk: `https://factory.talos.dev/image/${id}/v1.13.9/metal-amd64.raw.zst`,
        });
        assert.equal(bootAssets(id, "v1.13.9", "arm64").kernel, `https://factory.talos.dev/image/${id}/v1.13.9/kernel-arm64`);
    });

    describe("a self-hosted factory (cluster.imageFactory)", () => {
        const id = publishedVectors[3][1];

        it("defaults to the public factory, whose hosts stay in infra/versions.ts", () => {
            assert.deepEqual(factoryEndpoints(undefined), { url: `https://${versions.imageFactory.host}`, pxeUrl: `https://${versions.imageFactory.pxeHost}` });
            assert.deepEqual(factoryEndpoints({}), publicFactory);
        });

        it("serves PXE at its own URL unless told otherwise, as the factory's externalPXEURL does", () => {
            assert.deepEqual(factoryEndpoints({ url: "https://factory.internal.example" }), { url: "https://factory.internal.example", pxeUrl: "https://factory.internal.example" });
            assert.deepEqual(factoryEndpoints({ url: "https://factory.internal.example", pxeUrl: "https://pxe.internal.example" }), { url: "https://factory.internal.example", pxeUrl: "https://pxe.internal.example" });
        });

        it("names the installer image after the factory's host and port (it is the registry) and every asset URL after its URLs", () => {
            const assets = bootAssets(id, "v1.13.9", "arm64", { url: "https://factory.internal.example:8443", pxeUrl: "https://pxe.internal.example" });
            assert.deepEqual(assets, {
                schematicId: id,
                installerImage: `factory.internal.example:8443/metal-installer/${id}:v1.13.9`,
                pxeScript: `https://pxe.internal.example/pxe/${id}/v1.13.9/metal-arm64`,
                kernel: `https://factory.internal.example:8443/image/${id}/v1.13.9/kernel-arm64`,
                initramfs: `https://factory.internal.example:8443/image/${id}/v1.13.9/initramfs-arm64.xz`,
                cmdline: `https://factory.internal.example:8443/image/${id}/v1.13.9/cmdline-metal-arm64`,
                iso: `https://factory.internal.example:8443/image/${id}/v1.13.9/metal-arm64.iso`,
                rawDisk: `https://factory.internal.example:8443/image/${id}/v1.13.9/metal-arm64.raw.zst`,
            });
        });

        /** The prod stack with `cluster.imageFactory` set to `setting` (or `change` applied to its cluster section). */
        function prodWith(change: (cluster: Record<string, unknown>) => void): Record<string, unknown> {
            const values = clone(stackValues("prod"));
            change(values["ironcloud:cluster"] as Record<string, unknown>);
            return values;
        }
        function problemsOf(values: Record<string, unknown>): Problem[] {
            try {
                parseStackConfig("prod", rawConfig(values));
            } catch (error) {
                if (error instanceof ConfigError) return error.problems;
                throw error;
            }
            return assert.fail("expected a ConfigError");
        }
        const originMessage = "must be an https URL with a host (and optional port) and no path, e.g. https://factory.internal.example";

        it("refuses anything but an https origin, naming each path at once", () => {
            assert.deepEqual(problemsOf(prodWith((c) => { c.imageFactory = { url: "http://factory.internal.example", pxeUrl: "https://pxe.internal.example/boot" }; })), [
                { path: "cluster.imageFactory.url", message: originMessage },
                { path: "cluster.imageFactory.pxeUrl", message: originMessage },
            ]);
            for (const url of ["https://factory.internal.example/", "https://user:pw@factory.internal.example", "factory.internal.example", "https://factory.internal.example?x=1"]) {
                assert.deepEqual(problemsOf(prodWith((c) => { c.imageFactory = { url }; })), [{ path: "cluster.imageFactory.url", message: originMessage }], url);
            }
        });

        it("refuses unknown keys and the setting on an existing cluster (no Talos layer to boot)", () => {
            const unknown = problemsOf(prodWith((c) => { c.imageFactory = { url: "https://factory.internal.example", registry: "x" }; }));
            assert.equal(unknown.length, 1);
            assert.equal(unknown[0].path, "cluster.imageFactory.registry");
            const existing = clone(stackValues("prod"));
            existing["ironcloud:cluster"] = { name: "dc1", kubeconfig: "apiVersion: v1", imageFactory: { url: "https://factory.internal.example" } };
            assert.ok(problemsOf(existing).some((p) => p.path === "cluster.imageFactory" && /cannot be combined with cluster.kubeconfig/.test(p.message)));
        });

        it("accepts a host with a port and leaves the parsed cluster without the key when unset", () => {
            const spec = parseStackConfig("prod", rawConfig(prodWith((c) => { c.imageFactory = { url: "https://10.0.0.5:8443" }; })));
            assert.deepEqual(spec.cluster.imageFactory, { url: "https://10.0.0.5:8443" });
            assert.equal("imageFactory" in parseStackConfig("prod", rawConfig(stackValues("prod"))).cluster, false);
        });

        it("installs every node from the self-hosted factory: machine configs, the cluster's installer image and the netboot URL follow", async () => {
            const evaluation = await evaluateConfig("prod", prodWith((c) => { c.imageFactory = { url: "https://factory.internal.example", pxeUrl: "https://pxe.internal.example" }; }));
            const talos = reveal(evaluation.outputs.talos) as { machineConfigs: Record<string, string>; installerImage: string; pxeScript: string; schematicId: string };
            const image = `factory.internal.example/metal-installer/${talos.schematicId}:${versions.talosVersion}`;
            assert.equal(talos.installerImage, image);
            assert.equal(talos.pxeScript, `https://pxe.internal.example/pxe/${talos.schematicId}/${versions.talosVersion}/metal-amd64`);
            for (const [node, config] of Object.entries(talos.machineConfigs)) {
                const machine = parseAllDocuments(config)[0].toJS() as { machine: { install: { image: string } } };
                assert.equal(machine.machine.install.image, image, node);
            }
            assert.equal(resource(evaluation, "ironcloud:talos:TalosCluster", "dc1").inputs.installerImage, image);
            // The schematic, and so its ID, does not depend on where the factory is.
            const publicEvaluation = await evaluateConfig("prod", stackValues("prod"));
            assert.equal((reveal(publicEvaluation.outputs.talos) as { schematicId: string }).schematicId, talos.schematicId);
        });
    });
});
