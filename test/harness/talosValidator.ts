import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./program";
import { goCommand, requiredGoVersion } from "./tools";

const sourceDir = join(repoRoot, "test", "talos-validate");
const binary = join(sourceDir, "talos-validate");

/** Builds Talos's own validator (Go module siderolabs/talos/pkg/machinery) when it is missing or stale. */
function ensureBuilt(): string {
    const stale = !existsSync(binary) || ["main.go", "go.mod", "go.sum"].some((f) => statSync(join(sourceDir, f)).mtimeMs > statSync(binary).mtimeMs);
    if (!stale) return binary;
    const go = goCommand();
    try {
        execFileSync(go, ["build", "-o", "talos-validate", "."], { cwd: sourceDir, stdio: ["ignore", "inherit", "inherit"] });
    } catch (error) {
        // Go has printed why on stderr; the error adds which Go the module needs.
        throw new Error(`building test/talos-validate with ${go} failed (it needs Go >= ${requiredGoVersion()}): ${(error as Error).message}`, { cause: error });
    }
    return binary;
}

export interface TalosValidation {
    status: number;
    output: string;
}

/** Runs `talos-validate --mode metal --strict` (what `talosctl validate` does) over files. */
export function talosValidate(files: string[]): TalosValidation {
    const result = spawnSync(ensureBuilt(), ["--mode", "metal", "--strict", ...files], { encoding: "utf8" });
    if (result.error) throw result.error;
    return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}
