import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { StackConfig } from "./evaluate";
import { parseStackYaml } from "../../infra/stackYaml";

/** Stands in for a `secure:` value, which only the Pulumi CLI can decrypt. */
export const securePlaceholder = "[secure value from stack config: not decrypted offline]";

export interface StackFile {
    stack: string;
    config: StackConfig;
}

/** `stacks/Pulumi.<stack>.yaml` → the config a program would see, secure values replaced. */
export function readStackFile(path: string): StackFile {
    const match = /^Pulumi\.(.+)\.ya?ml$/.exec(basename(path));
    if (!match) throw new Error(`${path}: a stack config file is named Pulumi.<stack>.yaml`);
    // With the Pulumi CLI's limits (infra/stackYaml.ts): what it accepts is accepted here.
    const document = (parseStackYaml(readFileSync(path, "utf8"), path) ?? {}) as { config?: Record<string, unknown> };
    return { stack: match[1], config: toProgramConfig(document.config ?? {}) };
}

export function toProgramConfig(config: Record<string, unknown>): StackConfig {
    const values: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, value] of Object.entries(config)) {
        const { plain, secret } = replaceSecure(value);
        values[key] = typeof plain === "string" ? plain : JSON.stringify(plain);
        if (secret) secretKeys.push(key);
    }
    return { values, secretKeys };
}

function replaceSecure(value: unknown): { plain: unknown; secret: boolean } {
    if (Array.isArray(value)) {
        const items = value.map(replaceSecure);
        return { plain: items.map((i) => i.plain), secret: items.some((i) => i.secret) };
    }
    if (value !== null && typeof value === "object") {
        const record = value as Record<string, unknown>;
        if (Object.keys(record).length === 1 && typeof record.secure === "string") return { plain: securePlaceholder, secret: true };
        const entries = Object.entries(record).map(([k, v]) => [k, replaceSecure(v)] as const);
        return { plain: Object.fromEntries(entries.map(([k, v]) => [k, v.plain])), secret: entries.some(([, v]) => v.secret) };
    }
    return { plain: value, secret: false };
}
