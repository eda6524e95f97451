import { stringify } from "yaml";

/**
 * Talos imager profiles that build, on your own machine, the assets the Image Factory builds
 * for a schematic: for extensions the official factory does not offer, or a site without one.
 * The shape is the imager's `profile.Profile` (siderolabs/talos pkg/imager/profile), filled as
 * the factory fills it (image-factory internal/profile EnhanceFromSchematic): extensions go into
 * every output but the kernel and the command line, kernel arguments into every output but the
 * kernel and the initramfs (the imager refuses them there), and the installer starts from
 * installer-base. Kernel and initramfs paths are left to the imager, which ships them.
 */

/** The outputs ironcloud needs: the installer image, PXE (kernel, initramfs, command line) and the ISO. */
export const imagerOutputs = ["installer", "kernel", "initramfs", "cmdline", "iso"] as const;
export type ImagerOutput = (typeof imagerOutputs)[number];

export interface ImagerInput {
    talosVersion: string;
    architecture: string;
    /** Extension names as in the schematic (`siderolabs/drbd`), in schematic order. */
    extensions: string[];
    kernelArgs: string[];
    /** The image of each extension; a missing one is written as `imageRef: ""` and reported. */
    extensionImages: Readonly<Record<string, string>>;
    /** Where the installer starts from (`ghcr.io/siderolabs/installer-base:<version>` or its mirror). */
    installerBase: string;
}

export interface ImagerProfile {
    arch: string;
    platform: "metal";
    secureboot: false;
    version: string;
    customization?: { extraKernelArgs: string[] };
    input: { baseInstaller?: { imageRef: string }; systemExtensions?: { imageRef: string }[] };
    output: { kind: ImagerOutput; outFormat: "raw" };
}

const withExtensions: ReadonlySet<ImagerOutput> = new Set(["installer", "initramfs", "iso"]);
const withKernelArgs: ReadonlySet<ImagerOutput> = new Set(["installer", "cmdline", "iso"]);

export function imagerProfile(input: ImagerInput, kind: ImagerOutput): ImagerProfile {
    const extensions = withExtensions.has(kind) ? input.extensions.map((name) => ({ imageRef: input.extensionImages[name] ?? "" })) : [];
    const kernelArgs = withKernelArgs.has(kind) ? input.kernelArgs : [];
    return {
        arch: input.architecture,
        platform: "metal",
        secureboot: false,
        version: input.talosVersion,
        ...(kernelArgs.length > 0 ? { customization: { extraKernelArgs: kernelArgs } } : {}),
        input: {
            ...(kind === "installer" ? { baseInstaller: { imageRef: input.installerBase } } : {}),
            ...(extensions.length > 0 ? { systemExtensions: extensions } : {}),
        },
        output: { kind, outFormat: "raw" },
    };
}

/** Extensions without a known image: the profiles name them with an empty imageRef to fill in. */
export function unresolvedExtensions(input: Pick<ImagerInput, "extensions" | "extensionImages">): string[] {
    return input.extensions.filter((name) => input.extensionImages[name] === undefined);
}

/** `imager-<arch>-<output>.yaml` for every output, each with a header that says how to run it. */
export function imagerProfileFiles(input: ImagerInput, imagerImage: string): Record<string, string> {
    const missing = unresolvedExtensions(input);
    return Object.fromEntries(imagerOutputs.map((kind) => [`imager-${input.architecture}-${kind}.yaml`, [
        `# Talos imager profile: the ${kind} the Image Factory builds for this stack's schematic, built locally:`,
        `#   docker run --rm -i --privileged -v /dev:/dev -v "$PWD/_out:/out" ${imagerImage} - < imager-${input.architecture}-${kind}.yaml`,
        "# Extension images are pinned by tag; ghcr.io/siderolabs/extensions:<version> (file image-digests) has their digests.",
        "# The factory also adds a `schematic` extension carrying the schematic ID; a local build has none, so",
        "# `talosctl get extensions` shows no schematic on nodes installed from it.",
        ...(missing.length > 0 ? [`# FILL IN: no pinned image for ${missing.join(", ")}; set its imageRef from the catalog's image-digests.`] : []),
        stringify(imagerProfile(input, kind), { lineWidth: 0 }),
    ].join("\n")]));
}
