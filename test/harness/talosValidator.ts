import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./program";

const sourceDir = join(repoRoot, "test", "talos-validate");
const binary = join(sourceDir, "talos-validate");

/** Builds Talos's own validator (Go module siderolabs/talos/pkg/machinery) when it is missing or stale. */
function ensureBuilt(): string {
    const stale = !existsSync(binary) || ["main.go", "go.mod", "go.sum"].some((f) => statSync(join(sourceDir, f)).mtimeMs > statSync(binary).mtimeMs);
    if (stale) execFileSync("go", ["build", "-o", "talos-validate", "."], { cwd: sourceDir, stdio: "inherit" });
    return binary;
}

export interface TalosValidation {
    status: number;
    output: string;
}

/** Runs `talos-validate --mode metal --strict` (what `talosctl validate` does) over files. */
export function talosValidate(files: string[]): TalosValidation {
    const result = spawnSync(ensureBuilt(), ["--mode", "metal", "--strict", ...files], { encoding: "utf8" });
    return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}
