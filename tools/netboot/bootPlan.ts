import { basename } from "node:path";
import { Architecture, CloudSpec } from "../../infra/config";
import { BootAssets, clusterImage, factoryEndpoints } from "../../components/talos/imageFactory";
import { macAddress } from "../../infra/validation/fields";

/**
 * What netboot serves, from the stack config alone: each node with a MAC and the boot assets of
 * its architecture, named exactly as the program names them (clusterImage, the same function the
 * TalosCluster component uses), and what a machine no node lists gets.
 */

/** One architecture's kernel, initramfs and kernel command line of the stack's schematic. */
export interface BootImage {
    architecture: Architecture;
    talosVersion: string;
    schematicId: string;
    /** File names as the Image Factory serves them: `kernel-amd64`, `initramfs-amd64.xz`, `cmdline-metal-amd64`. */
    files: { kernel: string; initramfs: string; cmdline: string };
}

export interface NetbootNode {
    name: string;
    role: string;
    mac: string;
    architecture: Architecture;
}

export interface BootPlan {
    stack: string;
    nodes: NetbootNode[];
    unknownMachines: "refuse" | "default";
    /** The cluster's architecture: what a machine no node lists boots when unknownMachines is default. */
    defaultArchitecture: Architecture;
    /** The stack's extra kernel arguments, which the command line must carry. */
    kernelArgs: string[];
    /** One image per architecture a node (or, in default mode, an unknown machine) may boot. */
    images: Record<string, BootImage>;
}

/** The boot plan of a parsed stack, or why it has nothing to netboot. */
export function bootPlan(spec: CloudSpec): { plan: BootPlan } | { problem: string } {
    const { cluster } = spec;
    if (cluster.kubeconfig !== undefined) return { problem: "the stack uses an existing cluster (cluster.kubeconfig): there are no Talos nodes to netboot" };
    const nodes = (cluster.nodes ?? [])
        .filter((node) => node.mac !== undefined)
        .map((node) => ({ name: node.name, role: node.role, mac: node.mac as string, architecture: node.architecture ?? cluster.architecture }));
    const unknownMachines = cluster.netboot?.unknownMachines ?? "refuse";
    if (nodes.length === 0 && unknownMachines === "refuse") {
        return { problem: "no node has a MAC address (cluster.nodes[].mac) and cluster.netboot.unknownMachines is refuse: netboot would answer no machine" };
    }
    const architectures = new Set<Architecture>(nodes.map((n) => n.architecture));
    if (unknownMachines === "default") architectures.add(cluster.architecture);
    const images = Object.fromEntries([...architectures].sort().map((architecture) => [architecture, bootImage(clusterImage(cluster, architecture).assets, cluster.talosVersion, architecture)]));
    return { plan: { stack: spec.stack, nodes, unknownMachines, defaultArchitecture: cluster.architecture, kernelArgs: cluster.kernelArgs, images } };
}

function bootImage(assets: BootAssets, talosVersion: string, architecture: Architecture): BootImage {
    return {
        architecture,
        talosVersion,
        schematicId: assets.schematicId,
        files: { kernel: basename(assets.kernel), initramfs: basename(assets.initramfs), cmdline: basename(assets.cmdline) },
    };
}

/**
 * Where an image's files live below the factory's base URL, below a local asset directory and
 * below netboot's own HTTP root: `image/<schematic id>/<talos version>/<file>`, the factory's path.
 */
export function imagePath(image: BootImage, file: keyof BootImage["files"]): string {
    return `image/${image.schematicId}/${image.talosVersion}/${image.files[file]}`;
}

/**
 * The Image Factory that `--proxy` forwards to and whose paths a local asset directory copies:
 * the one that serves the boot assets the program names (`<url>/image/…`, cluster.imageFactory.url).
 */
export function factoryAssetUrl(spec: CloudSpec): string {
    return factoryEndpoints(spec.cluster.imageFactory).url;
}

/** The node a MAC (any case, ':' or '-') belongs to. */
export function nodeOf(plan: BootPlan, mac: string): NetbootNode | undefined {
    const wanted = macAddress.safeParse(mac);
    return wanted.success ? plan.nodes.find((node) => node.mac === wanted.data) : undefined;
}
