import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";

/**
 * What the real-engine cases need from the machine: root (for `ip netns`), the Pulumi CLI (the one
 * on PATH, else the bundled engine from ../shared/engine, never a download), and for cases that
 * talk to a cluster, the local control plane's binaries (built once into a cache).
 */

const repoRoot = join(__dirname, "..", "..");
const cache = process.env.IRONCLOUD_CACHE ?? join(homedir(), ".cache", "ironcloud");

export function engineEnvironment({ controlPlane }: { controlPlane: boolean }): NodeJS.ProcessEnv {
    if (process.getuid?.() !== 0) throw new Error("bench: the engine cases need root to create their network namespaces (ip netns add)");
    const env: NodeJS.ProcessEnv = { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true", PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true" };
    if (!onPath("pulumi", env.PATH ?? "")) {
        const install = join(repoRoot, "..", "shared", "engine", "install.sh");
        if (!existsSync(install)) throw new Error("bench: no pulumi on PATH and no ../shared/engine to install it from: install the Pulumi CLI 3.x");
        // install.sh prints the exports to evaluate; the environment they make is taken as is.
        const installed = execFileSync("bash", ["-c", 'eval "$(bash "$0" "$1")" && env -0', install, join(cache, "engine")],
            { encoding: "utf8", env, stdio: ["ignore", "pipe", "inherit"] });
        for (const entry of installed.split("\0").filter(Boolean)) {
            const at = entry.indexOf("=");
            env[entry.slice(0, at)] = entry.slice(at + 1);
        }
    }
    if (controlPlane) {
        env.IRONCLOUD_CONTROL_PLANE_BIN = execFileSync("bash", [join(repoRoot, "test", "engine", "env", "build-control-plane.sh"), join(cache, "control-plane")],
            { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], timeout: 60 * 60 * 1000 }).trim();
    }
    return env;
}

function onPath(command: string, path: string): boolean {
    return path.split(delimiter).some((dir) => dir !== "" && existsSync(join(dir, command)));
}

let namespaceCounter = 0;

/**
 * Runs `command` in a network namespace of its own that has only `lo` up, so nothing it starts can
 * send a packet outside 127.0.0.0/8 (the generated stacks name 10.x nodes). Whatever is still
 * running in the namespace afterwards is killed, and the namespace deleted. Resolves with the
 * command's stdout; its stderr passes through.
 */
export async function inLoopbackNamespace(command: string[], env: NodeJS.ProcessEnv, timeoutSeconds: number): Promise<{ code: number; stdout: string }> {
    const namespace = `ironcloud-bench-${process.pid}-${namespaceCounter++}`;
    execFileSync("ip", ["netns", "add", namespace]);
    const cleanup = () => removeNamespace(namespace);
    process.once("exit", cleanup);
    try {
        execFileSync("ip", ["-n", namespace, "link", "set", "lo", "up"]);
        return await new Promise((resolve) => {
            const child = spawn("ip", ["netns", "exec", namespace, ...command], { env, stdio: ["ignore", "pipe", "inherit"] });
            let stdout = "";
            child.stdout.on("data", (chunk) => (stdout += chunk));
            const timer = setTimeout(() => child.kill("SIGKILL"), timeoutSeconds * 1000);
            child.on("close", (code) => {
                clearTimeout(timer);
                resolve({ code: code ?? -1, stdout });
            });
        });
    } finally {
        process.removeListener("exit", cleanup);
        cleanup();
    }
}

function removeNamespace(namespace: string): void {
    try {
        const pids = execFileSync("ip", ["netns", "pids", namespace], { encoding: "utf8" }).split("\n").filter(Boolean).map(Number);
        for (const pid of pids) {
            try {
                process.kill(pid, "SIGKILL");
            } catch {
                // Exited meanwhile.
            }
        }
        execFileSync("ip", ["netns", "delete", namespace]);
    } catch {
        // Already gone.
    }
}
