/**
 * Kubernetes resource quantities, reduced to numbers so configs can be compared and summed.
 * Only the forms people write for CPU, memory and disk are accepted: plain or decimal numbers,
 * millicores ("500m"), and binary or decimal byte suffixes ("8Gi", "500M"). Shared by validation
 * (infra/validation/fields.ts, serviceRules.ts) and the policies vm-resources and team-quota-fits.
 */
const binarySuffixes: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50 };
const decimalSuffixes: Record<string, number> = { k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15 };

const cpuPattern = /^(\d+(?:\.\d+)?)(m?)$/;
const bytesPattern = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$/;

/** CPU in cores ("2" → 2, "500m" → 0.5); undefined when the text is not a CPU quantity. */
export function parseCpu(value: string | number): number | undefined {
    const match = cpuPattern.exec(String(value));
    if (!match) return undefined;
    const amount = Number(match[1]);
    return match[2] === "m" ? amount / 1000 : amount;
}

/** Bytes ("8Gi" → 8589934592); undefined when the text is not a byte quantity. */
export function parseBytes(value: string | number): number | undefined {
    const match = bytesPattern.exec(String(value));
    if (!match) return undefined;
    const suffix = match[2];
    const factor = suffix === undefined ? 1 : (binarySuffixes[suffix] ?? decimalSuffixes[suffix]);
    return Number(match[1]) * factor;
}
