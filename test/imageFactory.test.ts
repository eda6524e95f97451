import { strict as assert } from "node:assert";
import { bootAssets, schematicId, schematicYaml } from "../components/talos/imageFactory";

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
});
