/**
 * Storage rules shared by validation (infra/validation/serviceRules.ts) and the policies
 * storage-needs-drbd and storage-keeps-copies, so the config and the policy gate refuse the same
 * stacks.
 */

export const drbdExtension = "siderolabs/drbd";

/** LINSTOR replicates through DRBD, which a Talos node only has from this extension. */
export function lacksDrbd(extensions: readonly string[]): boolean {
    return !extensions.includes(drbdExtension);
}

/** Production keeps every replicated volume on at least this many nodes. */
export const minimumProdCopies = 2;

/**
 * Why `copies` copies of each volume are too few for the environment, or undefined. With one
 * copy, losing one node or disk loses the data; a second copy lets LINSTOR resync from it.
 */
export function copiesProblem(environment: string | undefined, copies: number): string | undefined {
    if (environment !== "prod" || copies >= minimumProdCopies) return undefined;
    return `keeps ${copies} ${copies === 1 ? "copy" : "copies"} of each volume; prod needs at least ${minimumProdCopies}, so losing one node or disk loses no data`;
}
