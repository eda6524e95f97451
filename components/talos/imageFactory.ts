import { createHash } from "node:crypto";
import { stringify } from "yaml";
import { imageFactory } from "../../infra/versions";

/**
 * Image Factory schematics, computed offline. The factory names a schematic by the SHA-256 of
 * its canonical YAML (Go yaml.v3 output: four-space indent, empty sections omitted), so the
 * same extensions and kernel arguments always give the same installer image and boot assets,
 * on the public factory and on a self-hosted one alike (same code, no per-site input) — unless
 * that factory has authentication on: it then adds an `owner` to the schematic, another ID.
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

/**
 * Where the Image Factory answers: `url` serves schematics, boot assets and (as a container
 * registry at the root of its host) the installer images; `pxeUrl` serves the iPXE scripts.
 */
export interface FactoryEndpoints {
    url: string;
    pxeUrl: string;
}

export const publicFactory: FactoryEndpoints = { url: `https://${imageFactory.host}`, pxeUrl: `https://${imageFactory.pxeHost}` };

/**
 * The endpoints of `cluster.imageFactory`. A self-hosted factory without a PXE URL of its own
 * serves PXE at its main URL (its `http.externalPXEURL` defaults to `http.externalURL`).
 */
export function factoryEndpoints(setting?: { url?: string; pxeUrl?: string }): FactoryEndpoints {
    if (setting?.url === undefined) return { url: publicFactory.url, pxeUrl: setting?.pxeUrl ?? publicFactory.pxeUrl };
    return { url: setting.url, pxeUrl: setting.pxeUrl ?? setting.url };
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
export function clusterImage(cluster: SchematicInput & { talosVersion: string; imageFactory?: { url?: string; pxeUrl?: string } }, architecture: string): { schematic: string; assets: BootAssets } {
    const schematic = schematicYaml(cluster);
    return { schematic, assets: bootAssets(schematicId(schematic), cluster.talosVersion, architecture, factoryEndpoints(cluster.imageFactory)) };
}

/** Installer image and netboot/flash URLs for one schematic, Talos version and architecture. */
export function bootAssets(id: string, talosVersion: string, architecture: string, factory: FactoryEndpoints = publicFactory): BootAssets {
    const image = `${factory.url}/image/${id}/${talosVersion}`;
    return {
        schematicId: id,
        // The factory is its own registry: installer images are named after its host (and port).
        installerImage: `${new URL(factory.url).host}/metal-installer/${id}:${talosVersion}`,
        pxeScript: `${factory.pxeUrl}/pxe/${id}/${talosVersion}/metal-${architecture}`,
        kernel: `${image}/kernel-${architecture}`,
        initramfs: `${image}/initramfs-${architecture}.xz`,
        cmdline: `${image}/cmdline-metal-${architecture}`,
        iso: `${image}/metal-${architecture}.iso`,
        rawDisk: `${image}/metal-${architecture}.raw.zst`,
    };
}
