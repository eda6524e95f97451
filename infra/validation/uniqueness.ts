import { z } from "zod";
import { Problem } from "./problem";

/**
 * Uniqueness of list items whose names become object names (Kubernetes objects, Pulumi
 * resources, disks, files): two items with one name would create one object twice, which the
 * engine or the API server refuses only at deploy time, so validation refuses it first.
 */

/** One problem for every repeat of a value, pointing at the repeat. */
export function duplicates(values: string[], pathOf: (index: number) => string, what: string): Problem[] {
    return values.flatMap((value, i) => {
        const first = values.indexOf(value);
        return first === i ? [] : [{ path: pathOf(i), message: `duplicate ${what} "${value}" (first used at index ${first})` }];
    });
}

/**
 * A list schema whose items must differ in `keyOf`; each repeat is reported at
 * `[index, field]` with `why` (what would break) so the message says what is allowed.
 */
export function uniqueBy<Item extends z.ZodType>(item: Item, keyOf: (value: z.output<Item>) => string, what: { field?: string; name: string; why: string }) {
    return z.array(item).superRefine((items, ctx) => {
        const first = new Map<string, number>();
        items.forEach((value, index) => {
            const key = keyOf(value);
            const seen = first.get(key);
            if (seen === undefined) first.set(key, index);
            else ctx.addIssue({ code: "custom", path: what.field ? [index, what.field] : [index], message: `duplicate ${what.name} "${key}" (first used at index ${seen}); ${what.why}` });
        });
    });
}
