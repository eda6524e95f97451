import { spawnSync } from "node:child_process";
import { accessSync, constants, readFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { repoRoot } from "./program";

/**
 * The programs the tests drive for real, each with the Debian package that brings it.
 * tools/prerequisites.sh installs the packages (`npm test` runs it first); a test that needs one
 * checks here first, so a machine without it fails with what to install, never with ENOENT.
 */
export const debianPackageOf = {
    openssl: "openssl",
    sshd: "openssh-server",
    ssh: "openssh-client",
    "ssh-keygen": "openssh-client",
    "libnss_wrapper.so": "libnss-wrapper",
    "cloud-init": "cloud-init",
    dnsmasq: "dnsmasq-base",
    curl: "curl",
    ip: "iproute2",
} as const;

export type Tool = keyof typeof debianPackageOf;

/** sshd re-executes itself, so it is run by absolute path (where Debian puts it). */
export const sshdPath = "/usr/sbin/sshd";

/** Where Go's own installer puts it; tools/prerequisites.sh looks there too when PATH has no go. */
const goFallback = "/usr/local/go/bin/go";

function isExecutable(file: string): boolean {
    try {
        accessSync(file, constants.X_OK);
        return true;
    } catch {
        return false;
    }
}

/** The executable `command` in the directories of `path`, or undefined. */
export function findOnPath(command: string, path = process.env.PATH ?? ""): string | undefined {
    return path.split(delimiter).filter(Boolean).map((dir) => join(dir, command)).find(isExecutable);
}

/** Whether the dynamic loader finds a library by name, as LD_PRELOAD=<name> in the OpenSSH tests needs. */
function preloads(library: string): boolean {
    const probe = spawnSync("/bin/sh", ["-c", ":"], { env: { LD_PRELOAD: library }, encoding: "utf8" });
    return probe.status === 0 && !probe.stderr.includes("cannot be preloaded");
}

function isInstalled(tool: Tool, path: string): boolean {
    if (tool === "sshd") return isExecutable(sshdPath);
    if (tool === "libnss_wrapper.so") return preloads(tool);
    return findOnPath(tool, path) !== undefined;
}

/** The tools of the list this machine lacks (`path` stands for PATH). */
export function missingTools(tools: readonly Tool[], path = process.env.PATH ?? ""): Tool[] {
    return tools.filter((tool) => !isInstalled(tool, path));
}

/** What to install for these missing tools, and how. */
export function missingToolsMessage(tools: readonly Tool[]): string {
    const packages = [...new Set(tools.map((tool) => debianPackageOf[tool]))].join(" ");
    return `not installed: ${tools.join(", ")} (Debian packages: ${packages}). `
        + `Run \`npm test\` as root to install them (tools/prerequisites.sh), or as root: apt-get install -y --no-install-recommends ${packages}`;
}

/** Throws one error naming every tool of the list this machine lacks. */
export function requireTools(...tools: Tool[]): void {
    const missing = missingTools(tools);
    if (missing.length > 0) throw new Error(missingToolsMessage(missing));
}

/** The Go version test/talos-validate/go.mod asks for. */
export function requiredGoVersion(): string {
    const goMod = readFileSync(join(repoRoot, "test", "talos-validate", "go.mod"), "utf8");
    return goMod.match(/^go (\S+)$/m)?.[1] ?? "(see test/talos-validate/go.mod)";
}

/** The go the tests build with: the one on PATH, else /usr/local/go's (as tools/prerequisites.sh checks). */
export function goCommand(): string {
    const go = findOnPath("go") ?? (isExecutable(goFallback) ? goFallback : undefined);
    if (go === undefined) {
        throw new Error(`Go >= ${requiredGoVersion()} is not installed (no go on PATH nor ${goFallback}); `
            + "tools/prerequisites.sh (run by `npm test`) says how to install it");
    }
    return go;
}
