import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { stackPath } from "./program";

/** The `config:` map of a stack file in stacks/, as plain values to copy and modify in tests. */
export function stackValues(stack: string): Record<string, unknown> {
    return (parse(readFileSync(stackPath(stack), "utf8")) as { config: Record<string, unknown> }).config;
}

/** Raw program config (objects JSON-encoded) from plain values. */
export function rawConfig(values: Record<string, unknown>): Record<string, string> {
    return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}

/** A deep copy, so a test can change a stack config without touching another test's. */
export function clone<T>(value: T): T {
    return structuredClone(value);
}
