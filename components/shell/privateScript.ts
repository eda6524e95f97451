/**
 * Shell scripts for @pulumi/command that handle secrets safely. Secrets (machine configs,
 * talosconfig, kubeconfig) never appear on a command line, in the environment or in logs: they
 * arrive on stdin, one base64 line per file, and are written to a private directory that is
 * removed when the script exits. Every wait is bounded.
 */

export type PrivateFile = "talosconfig" | "kubeconfig" | "config.yaml";

export interface LifecycleScript {
    /** The files the script reads from stdin, in this order. */
    files: PrivateFile[];
    text: string;
}

/** stdin for a script: one base64 line per file it reads. */
export function scriptStdin(script: LifecycleScript, contents: Partial<Record<PrivateFile, string>>): string {
    return filesStdin(script.files, contents);
}

/** stdin carrying `files`, in that order, for every script that reads exactly those files. */
export function filesStdin(files: readonly PrivateFile[], contents: Partial<Record<PrivateFile, string>>): string {
    return files.map((file) => {
        const content = contents[file];
        if (content === undefined) throw new Error(`script needs ${file} on stdin`);
        return `${Buffer.from(content).toString("base64")}\n`;
    }).join("");
}

export function script(files: PrivateFile[], lines: string[]): LifecycleScript {
    const prelude = [
        "set -eu",
        "umask 077",
        'dir="$(mktemp -d)"',
        "trap 'rm -rf \"$dir\"' EXIT",
        ...files.map((file) => `IFS= read -r line; printf '%s' "$line" | base64 -d > "$dir/${file}"`),
    ];
    return { files, text: [...prelude, ...lines].join("\n") + "\n" };
}

export interface RetryPolicy {
    attempts: number;
    delaySeconds: number;
}

/** A bounded retry loop around a condition; fails with `what` after the last attempt. */
export function retry(condition: string, what: string, { attempts, delaySeconds }: RetryPolicy): string[] {
    return [
        "attempt=1",
        `until ${condition}; do`,
        `  if [ "$attempt" -ge ${attempts} ]; then echo "${what}: still failing after ${attempts} attempts" >&2; exit 1; fi`,
        "  attempt=$((attempt + 1))",
        `  sleep ${delaySeconds}`,
        "done",
    ];
}

