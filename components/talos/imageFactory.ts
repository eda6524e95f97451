import { createHash } from "node:crypto";
import { stringify } from "yaml";
import { imageFactory } from "../../infra/versions";

/**
 * Image Factory schematics, computed offline. The factory names a schematic by the SHA-256 of
 * its canonical YAML (Go yaml.v3 output: four-space indent, empty sections omitted), so the
 * same extensions and kernel arguments always give the same installer image and boot assets.
 */

export interface SchematicInput {
    extensions: string[];
    kernelArgs: string[];
}

/** The schematic document exactly as the factory serialises it before hashing. */
export function schematicYaml({ extensions, kernelArgs }: SchematicInput): string {
    const customization: Record<string, unknown> = {};
    if (kernelArgs.length > 0) customization.extraKernelArgs = kernelArgs;
    if (extensions.length > 0) customization.systemExtensions = { officialExtensions: extensions };
    return stringify({ customization }, { indent: 4, indentSeq: true, lineWidth: 0, flow: false });
}

export function schematicId(yamlText: string): string {
    return createHash("sha256").update(yamlText).digest("hex");
}

export interface BootAssets {
    schematicId: string;
    installerImage: string;
    pxeScript: string;
    kernel: string;
    initramfs: string;
    /** The kernel command line for netbooting `kernel` + `initramfs` yourself. */
    cmdline: string;
    iso: string;
    rawDisk: string;
}

/** The schematic of a cluster's extensions and kernel arguments, and its boot assets for one architecture. */
export function clusterImage(cluster: SchematicInput & { talosVersion: string }, architecture: string): { schematic: string; assets: BootAssets } {
    const schematic = schematicYaml(cluster);
    return { schematic, assets: bootAssets(schematicId(schematic), cluster.talosVersion, architecture) };
}

/** Installer image and netboot/flash URLs for one schematic, Talos version and architecture. */
export function bootAssets(id: string, talosVersion: string, architecture: string): BootAssets {
    const image = `https://${imageFactory.host}/image/${id}/${talosVersion}`;
    return {
        schematicId: id,
        installerImage: `${imageFactory.host}/metal-installer/${id}:${talosVersion}`,
        pxeScript: `https://${imageFactory.pxeHost}/pxe/${id}/${talosVersion}/metal-${architecture}`,
        kernel: `${image}/kernel-${architecture}`,
        initramfs: `${image}/initramfs-${architecture}.xz`,
        cmdline: `${image}/cmdline-metal-${architecture}`,
        iso: `${image}/metal-${architecture}.iso`,
        rawDisk: `${image}/metal-${architecture}.raw.zst`,
    };
}
