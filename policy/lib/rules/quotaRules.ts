import { parseBytes, parseCpu } from "./quantity";

/**
 * Whether a team's VMs fit its quota: one rule for the stack-config validation (which sums what
 * the VMs and fleets ask for) and the team-quota-fits policy (which sums the rendered
 * VirtualMachines and DataVolumes). Storage counts only where the quota caps it.
 */

/** A team's quota as written: Kubernetes quantities. */
export interface Quota {
    cpu: string | number;
    memory: string | number;
    storage?: string | number;
}

/** What a team's VMs request in total: cores and bytes. */
export interface Usage {
    cpu: number;
    memory: number;
    storage: number;
}

export type QuotaKey = keyof Usage;

/** One dimension of a quota that the usage exceeds, or that is not a quantity at all. */
export type QuotaOverrun =
    | { key: QuotaKey; used: string; limit: string }
    | { key: QuotaKey; invalid: string | number };

const parsers: Record<QuotaKey, (value: string | number) => number | undefined> = { cpu: parseCpu, memory: parseBytes, storage: parseBytes };
const formats: Record<QuotaKey, (amount: number) => string> = { cpu: formatCpu, memory: formatBytes, storage: formatBytes };

export function quotaOverruns(quota: Quota, usage: Usage): QuotaOverrun[] {
    return (["cpu", "memory", "storage"] as const).flatMap((key): QuotaOverrun[] => {
        const written = quota[key];
        if (written === undefined) return [];
        const limit = parsers[key](written);
        if (limit === undefined) return [{ key, invalid: written }];
        return usage[key] > limit ? [{ key, used: formats[key](usage[key]), limit: formats[key](limit) }] : [];
    });
}

/** 8589934592 → "8Gi", 1610612736 → "1.5Gi": the largest binary unit, at most two decimals. */
export function formatBytes(bytes: number): string {
    let unit = "";
    let value = bytes;
    for (const next of ["Ki", "Mi", "Gi", "Ti", "Pi"]) {
        if (value < 1024) break;
        value /= 1024;
        unit = next;
    }
    return `${Number(value.toFixed(2))}${unit}`;
}

/** Cores with at most three decimals (millicores): 8.5 → "8.5". */
export function formatCpu(cores: number): string {
    return String(Number(cores.toFixed(3)));
}
