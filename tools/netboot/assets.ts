import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { BootImage, BootPlan, imagePath } from "./bootPlan";
import { bootCommandLine } from "./commandLine";

/**
 * Where the kernels, initramfs images and command lines come from: a local directory laid out
 * like the factory's URLs (`<dir>/image/<schematic id>/<talos version>/kernel-amd64`, …), filled
 * from a mirror or a self-hosted factory, or the factory itself (`--proxy`).
 */
export type AssetSource = { kind: "directory"; dir: string; factoryUrl: string } | { kind: "proxy"; baseUrl: string };

export interface AssetStream {
    size?: number;
    body: Readable;
}

/** One file of the plan's images, or undefined when `path` names none of them. */
export async function openAsset(source: AssetSource, plan: BootPlan, path: string): Promise<AssetStream | undefined> {
    const served = Object.values(plan.images).flatMap((image) => [imagePath(image, "kernel"), imagePath(image, "initramfs"), imagePath(image, "cmdline")]);
    if (!served.includes(path)) return undefined;
    if (source.kind === "directory") {
        const file = join(source.dir, path);
        return { size: (await stat(file)).size, body: createReadStream(file) };
    }
    const response = await fetch(`${source.baseUrl}/${path}`);
    if (!response.ok || response.body === null) throw new Error(`${source.baseUrl}/${path}: HTTP ${response.status}`);
    const length = response.headers.get("content-length");
    return { ...(length === null ? {} : { size: Number(length) }), body: Readable.fromWeb(response.body as import("node:stream/web").ReadableStream) };
}

async function readText(source: AssetSource, path: string): Promise<string> {
    if (source.kind === "directory") return readFile(join(source.dir, path), "utf8");
    const response = await fetch(`${source.baseUrl}/${path}`);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.text();
}

/**
 * The checked command line of every image, by architecture, or every problem at once: a missing
 * file or one that is not this stack's (see commandLine.ts).
 */
export async function commandLines(source: AssetSource, plan: BootPlan): Promise<{ cmdlines: Record<string, string> } | { problems: string[] }> {
    const cmdlines: Record<string, string> = {};
    const problems: string[] = [];
    for (const image of Object.values(plan.images)) {
        const where = describe(source, image, "cmdline");
        const missing = await missingFiles(source, image);
        problems.push(...missing);
        let text: string;
        try {
            text = await readText(source, imagePath(image, "cmdline"));
        } catch (error) {
            if (missing.length === 0) problems.push(`${where}: cannot be read (${error instanceof Error ? error.message : String(error)})`);
            continue;
        }
        const checked = bootCommandLine(text, plan.kernelArgs);
        if ("problems" in checked) problems.push(...checked.problems.map((problem) => `${where}: ${problem}`));
        else cmdlines[image.architecture] = checked.cmdline;
    }
    return problems.length > 0 ? { problems } : { cmdlines };
}

/** In a directory, every file of the image must be there before a node asks for it. */
async function missingFiles(source: AssetSource, image: BootImage): Promise<string[]> {
    if (source.kind === "proxy") return [];
    const files = ["kernel", "initramfs", "cmdline"] as const;
    const present = await Promise.all(files.map((file) => stat(join(source.dir, imagePath(image, file))).then((s) => s.isFile(), () => false)));
    return files.filter((_, i) => !present[i]).map((file) => `${describe(source, image, file)}: missing (copy ${source.factoryUrl}/${imagePath(image, file)})`);
}

function describe(source: AssetSource, image: BootImage, file: keyof BootImage["files"]): string {
    return source.kind === "directory" ? join(source.dir, imagePath(image, file)) : `${source.baseUrl}/${imagePath(image, file)}`;
}
