import { strict as assert } from "node:assert";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { ImagerInput, imagerOutputs, imagerProfile, imagerProfileFiles } from "../components/talos/imagerProfile";
import { parseStackConfig } from "../infra/config";
import * as versions from "../infra/versions";
import { writeImagerProfiles } from "../tools/plan/writeBuildInputs";
import { rawConfig, stackValues } from "./harness/configs";

/**
 * The imager's profile.Profile as siderolabs/talos v1.13.9 declares it (pkg/imager/profile:
 * profile.go, input.go, output.go, customization.go; yaml tags), strict so that a key the imager
 * does not know fails here (the imager itself ignores unknown keys silently), and its Validate
 * rules: arch amd64 or arm64, a platform, no kernel arguments for kernel and initramfs outputs.
 */
const containerAsset = z.strictObject({ imageRef: z.string(), forceInsecure: z.boolean().optional(), tarballPath: z.string().optional(), ociPath: z.string().optional() });
const fileAsset = z.strictObject({ path: z.string() });
const upstreamProfile = z.strictObject({
    baseProfileName: z.string().optional(),
    arch: z.enum(["amd64", "arm64"]),
    platform: z.string().min(1),
    secureboot: z.boolean().optional(),
    name: z.string().optional(),
    version: z.string().regex(/^v\d+\.\d+\.\d+$/),
    customization: z.strictObject({ extraKernelArgs: z.array(z.string()).optional(), metaContents: z.array(z.unknown()).optional(), embeddedMachineConfiguration: z.string().optional() }).optional(),
    input: z.strictObject({
        kernel: fileAsset.optional(), initramfs: fileAsset.optional(), sdStub: fileAsset.optional(), sdBoot: fileAsset.optional(),
        baseInstaller: containerAsset.optional(), imageCache: containerAsset.optional(), overlayInstaller: containerAsset.optional(),
        secureboot: z.unknown().optional(), systemExtensions: z.array(containerAsset).optional(),
    }),
    overlay: z.unknown().optional(),
    output: z.strictObject({
        kind: z.enum(["iso", "image", "installer", "kernel", "initramfs", "uki", "cmdline"]),
        imageOptions: z.unknown().optional(),
        isoOptions: z.unknown().optional(),
        outFormat: z.enum(["raw", ".tar.gz", ".xz", ".gz", ".zst"]),
    }),
}).refine((p) => !["kernel", "initramfs"].includes(p.output.kind) || (p.customization?.extraKernelArgs ?? []).length === 0, "customization of kernel args is not supported for kernel and initramfs output");

const input: ImagerInput = {
    talosVersion: "v1.13.9",
    architecture: "amd64",
    extensions: ["siderolabs/drbd", "siderolabs/intel-ucode"],
    kernelArgs: ["net.ifnames=0", "console=ttyS0"],
    extensionImages: versions.extensionImages["v1.13.9"],
    installerBase: "ghcr.io/siderolabs/installer-base:v1.13.9",
};

describe("Talos imager profiles", () => {
    it("match the imager's profile struct and its validation for every output", () => {
        for (const kind of imagerOutputs) {
            const result = upstreamProfile.safeParse(imagerProfile(input, kind));
            assert.ok(result.success, `${kind}: ${result.success ? "" : result.error.message}`);
        }
        // The check itself refuses what the imager refuses.
        assert.equal(upstreamProfile.safeParse({ ...imagerProfile(input, "kernel"), customization: { extraKernelArgs: ["x"] } }).success, false);
        assert.equal(upstreamProfile.safeParse({ ...imagerProfile(input, "iso"), extensions: [] }).success, false);
    });

    it("put what the factory puts into each output: extensions where a rootfs is built, kernel arguments where a command line is", () => {
        const extensionsOf = (kind: (typeof imagerOutputs)[number]) => imagerProfile(input, kind).input.systemExtensions?.map((e) => e.imageRef) ?? [];
        const argsOf = (kind: (typeof imagerOutputs)[number]) => imagerProfile(input, kind).customization?.extraKernelArgs ?? [];
        const pinned = ["ghcr.io/siderolabs/drbd:9.3.3-v1.13.9", "ghcr.io/siderolabs/intel-ucode:20260812"];
        assert.deepEqual(Object.fromEntries(imagerOutputs.map((k) => [k, extensionsOf(k)])), { installer: pinned, kernel: [], initramfs: pinned, cmdline: [], iso: pinned });
        assert.deepEqual(Object.fromEntries(imagerOutputs.map((k) => [k, argsOf(k)])), { installer: input.kernelArgs, kernel: [], initramfs: [], cmdline: input.kernelArgs, iso: input.kernelArgs });
        assert.deepEqual(imagerProfile(input, "installer").input.baseInstaller, { imageRef: "ghcr.io/siderolabs/installer-base:v1.13.9" });
        assert.equal(imagerProfile(input, "iso").input.baseInstaller, undefined);
        const profile = imagerProfile(input, "kernel");
        assert.deepEqual([profile.arch, profile.platform, profile.version, profile.secureboot, profile.output], ["amd64", "metal", "v1.13.9", false, { kind: "kernel", outFormat: "raw" }]);
    });

    it("leave an extension without a pinned image empty and say so in every file", () => {
        const files = imagerProfileFiles({ ...input, extensions: ["siderolabs/drbd", "siderolabs/gvisor"] }, "ghcr.io/siderolabs/imager:v1.13.9");
        const installer = files["imager-amd64-installer.yaml"];
        assert.match(installer, /^# FILL IN: no pinned image for siderolabs\/gvisor;/m);
        assert.deepEqual((parse(installer) as { input: { systemExtensions: { imageRef: string }[] } }).input.systemExtensions, [{ imageRef: "ghcr.io/siderolabs/drbd:9.3.3-v1.13.9" }, { imageRef: "" }]);
        assert.match(installer, /docker run --rm -i --privileged -v \/dev:\/dev -v "\$PWD\/_out:\/out" ghcr\.io\/siderolabs\/imager:v1\.13\.9 - < imager-amd64-installer\.yaml/);
    });

    it("the plan writes talos/imager-<arch>-<output>.yaml for the stack's version, architecture, extensions and kernel arguments", () => {
        const values = stackValues("prod");
        const cluster = { ...(values["ironcloud:cluster"] as Record<string, unknown>), architecture: "arm64", kernelArgs: ["net.ifnames=0"] };
        const spec = parseStackConfig("prod", rawConfig({ ...values, "ironcloud:cluster": cluster }));
        const dir = mkdtempSync(join(tmpdir(), "imager-"));
        writeImagerProfiles(spec, dir);
        assert.deepEqual(readdirSync(join(dir, "talos")).sort(), imagerOutputs.map((k) => `imager-arm64-${k}.yaml`).sort());
        const installer = parse(readFileSync(join(dir, "talos", "imager-arm64-installer.yaml"), "utf8")) as unknown;
        assert.ok(upstreamProfile.safeParse(installer).success);
        assert.deepEqual(installer, {
            arch: "arm64", platform: "metal", secureboot: false, version: versions.talosVersion,
            customization: { extraKernelArgs: ["net.ifnames=0"] },
            input: {
                baseInstaller: { imageRef: `ghcr.io/siderolabs/installer-base:${versions.talosVersion}` },
                systemExtensions: [{ imageRef: "ghcr.io/siderolabs/drbd:9.3.3-v1.13.9" }, { imageRef: "ghcr.io/siderolabs/intel-ucode:20260812" }],
            },
            output: { kind: "installer", outFormat: "raw" },
        });
        const existing = parseStackConfig("x", rawConfig({ "ironcloud:environment": "dev", "ironcloud:cluster": { name: "x", kubeconfig: "apiVersion: v1" }, "ironcloud:platform": { networking: { enabled: false }, storage: { enabled: false } } }));
        assert.deepEqual(writeImagerProfiles(existing, dir), []);
    });
});
