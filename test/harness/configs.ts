import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { repoRoot, stackPath } from "./program";

type Values = Record<string, unknown>;
type Team = { name: string; inventory?: string };

/** The `config:` map of a stack file in stacks/, as written. */
export function stackFileValues(stack: string): Values {
    return (parse(readFileSync(stackPath(stack), "utf8")) as { config: Values }).config;
}

/**
 * The `config:` map of a stack file in stacks/ with its teams' inventories written inline (each
 * file's VMs and fleets appended to `ironcloud:vms`/`ironcloud:fleets` with their team): one
 * config for tests to copy and change. test/inventories.test.ts shows both forms evaluate alike.
 */
export function stackValues(stack: string): Values {
    const values = stackFileValues(stack);
    const teams = (values["ironcloud:teams"] ?? []) as Team[];
    for (const team of teams.filter((t) => t.inventory !== undefined)) {
        const inventory = (parse(readFileSync(join(repoRoot, team.inventory as string), "utf8")) ?? {}) as { vms?: Values[]; fleets?: Values[] };
        for (const list of ["vms", "fleets"] as const) {
            const key = `ironcloud:${list}`;
            values[key] = [...((values[key] ?? []) as Values[]), ...(inventory[list] ?? []).map((w) => ({ ...w, team: team.name }))];
        }
    }
    if (values["ironcloud:teams"] !== undefined) values["ironcloud:teams"] = teams.map(({ inventory: _inventory, ...team }) => team);
    return values;
}

/** Raw program config (objects JSON-encoded) from plain values. */
export function rawConfig(values: Record<string, unknown>): Record<string, string> {
    return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}

/** A deep copy, so a test can change a stack config without touching another test's. */
export function clone<T>(value: T): T {
    return structuredClone(value);
}
