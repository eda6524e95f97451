import { Architecture } from "../../infra/config";
import { BootImage, BootPlan, imagePath, nodeOf } from "./bootPlan";

/**
 * The iPXE scripts netboot's HTTP server answers `/boot.ipxe?mac=<mac>&arch=<buildarch>` with:
 * the node's kernel, initramfs and command line, or a script that says why it refuses and hands
 * the machine back to its firmware. Machine configs are never in them: Talos boots into
 * maintenance mode and `pulumi up` applies each node's config over the Talos API (TLS).
 */

/** What iPXE asks with: its `${netX/mac}` and `${buildarch}`. */
export interface ScriptRequest {
    mac?: string;
    buildarch?: string;
}

/** `http://<address>:<port>`, where the server is reachable from the nodes. */
export type ServerUrl = string;

/**
 * The architecture whose kernel an iPXE can boot, from its build: the BIOS loader
 * (undionly.kpxe) is a 32-bit build even on 64-bit machines, and Talos has no 32-bit release.
 */
export function architectureOfBuild(buildarch: string | undefined): Architecture | undefined {
    if (buildarch === "x86_64" || buildarch === "i386") return "amd64";
    if (buildarch === "arm64") return "arm64";
    return undefined;
}

/** The script for one request; `cmdlines` holds the checked command line of each image's architecture. */
export function scriptFor(plan: BootPlan, request: ScriptRequest, server: ServerUrl, cmdlines: Record<string, string>): string {
    if (request.mac === undefined || request.mac === "") return refusalScript(plan.stack, ["the request names no MAC address (boot.ipxe?mac=<the booting card's MAC>)"]);
    const mac = request.mac.toLowerCase();
    const firmware = architectureOfBuild(request.buildarch);
    const node = nodeOf(plan, mac);
    if (node) {
        if (firmware !== undefined && firmware !== node.architecture) {
            return refusalScript(plan.stack, [
                `${mac} is node ${node.name}, whose architecture is ${node.architecture},`,
                `but this machine runs a ${request.buildarch} iPXE: correct the node's mac or architecture in the stack`,
            ]);
        }
        return bootScript(plan, `${node.name} (${node.role}, ${node.architecture}, ${mac})`, plan.images[node.architecture], server, cmdlines[node.architecture]);
    }
    if (plan.unknownMachines === "refuse") {
        return refusalScript(plan.stack, [`no node has MAC address ${mac} (cluster.nodes[].mac),`, "and cluster.netboot.unknownMachines is refuse"]);
    }
    const architecture = firmware ?? plan.defaultArchitecture;
    const image = plan.images[architecture];
    if (image === undefined) {
        return refusalScript(plan.stack, [`${mac} is no node's and runs a ${request.buildarch} iPXE,`, `but the stack's default boot assets are ${plan.defaultArchitecture}`]);
    }
    return bootScript(plan, `unknown machine ${mac} (cluster.netboot.unknownMachines: default, ${architecture})`, image, server, cmdlines[architecture]);
}

function bootScript(plan: BootPlan, who: string, image: BootImage, server: ServerUrl, cmdline: string): string {
    const initrdName = image.files.initramfs;
    return [
        "#!ipxe",
        `# ironcloud netboot, stack ${plan.stack}: ${who}`,
        `# Talos ${image.talosVersion}, schematic ${image.schematicId}: the Image Factory's kernel, initramfs and command line.`,
        "# No machine config is served: Talos starts in maintenance mode and `pulumi up` applies the",
        "# node's config over the Talos API (mutual TLS), never over this plain-HTTP server.",
        `echo ironcloud netboot: ${who}, Talos ${image.talosVersion}`,
        // EFI iPXE builds hand the initramfs to the kernel's EFI stub by name (initrd=), BIOS builds ignore the name.
        `kernel ${server}/${imagePath(image, "kernel")} initrd=${initrdName} ${cmdline}`,
        `initrd --name ${initrdName} ${server}/${imagePath(image, "initramfs")}`,
        "boot",
        "",
    ].join("\n");
}

/** Prints why, waits long enough to be read at the console, and returns to the firmware's next boot device. */
export function refusalScript(stack: string, why: string[]): string {
    return [
        "#!ipxe",
        `# ironcloud netboot, stack ${stack}: refused.`,
        `echo ironcloud netboot (stack ${stack}) does not boot this machine:`,
        ...why.map((line) => `echo ${line.replaceAll("${", "$ {")}`),
        "echo Returning to the firmware's next boot device in 15 seconds.",
        "sleep 15",
        "exit 1",
        "",
    ].join("\n");
}
