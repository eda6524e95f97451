import { readFileSync, realpathSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";

/**
 * Files the stack config names (team inventories, mirrored release manifests), read relative to the project directory, where
 * Pulumi.yaml is. Not relative to the stack file: the engine runs the program in the project
 * directory and does not tell it which stack file it read (`--config-file`), so this is the one
 * base that `pulumi up`, `npm run plan` and `npm run policy:check` share.
 */
export interface ProjectFiles {
    /** The file's text, or why it cannot be used, as a sentence that completes "<path> …". */
    read(path: string): { text: string } | { problem: string };
}

/**
 * Where Pulumi.yaml is: the directory the CLI runs the program and its providers in. Outside the
 * engine (mocks) the SDK answers a placeholder, not a path, and the working directory stands in.
 */
export function pulumiProjectDirectory(): string {
    const root = pulumi.runtime.getRootDirectory();
    return isAbsolute(root) ? root : process.cwd();
}

export function projectFiles(projectDir: string): ProjectFiles {
    const root = resolve(projectDir);
    const inside = (base: string, target: string) => {
        const rel = relative(base, target);
        return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
    };
    return {
        read(path) {
            if (isAbsolute(path)) return { problem: "must be relative to the project directory (where Pulumi.yaml is), not an absolute path" };
            const full = resolve(root, path);
            const outside = { problem: "is outside the project directory: files the stack config names live in the project, under its version control and review" };
            if (!inside(root, full)) return outside;
            try {
                // A link may not lead out of the project either.
                if (!inside(realpathSync(root), realpathSync(full))) return outside;
                return { text: readFileSync(full, "utf8") };
            } catch (error) {
                return { problem: readProblem((error as NodeJS.ErrnoException).code) };
            }
        },
    };
}

function readProblem(code: string | undefined): string {
    switch (code) {
        case "ENOENT": return "does not exist (paths are relative to the project directory, where Pulumi.yaml is)";
        case "EISDIR": return "is a directory; name a YAML file";
        case "EACCES": return "cannot be read: permission denied";
        default: return `cannot be read (${code ?? "unknown error"})`;
    }
}
