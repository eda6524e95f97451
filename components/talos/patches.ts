/**
 * User patches from stack config, applied after everything ironcloud renders so a site can
 * override any setting. Semantics follow Talos strategic-merge patches: maps merge key by key,
 * lists are appended, other values replace. A patch with `kind` targets the document of that
 * kind (and `name`, when given) or adds it as a new document; any other patch targets the
 * v1alpha1 document.
 */

export type TalosDocument = Record<string, unknown>;
export type TalosPatch = Record<string, unknown>;

export function applyPatches(docs: TalosDocument[], patches: TalosPatch[]): TalosDocument[] {
    return patches.reduce(applyPatch, docs);
}

function applyPatch(docs: TalosDocument[], patch: TalosPatch): TalosDocument[] {
    const target = docs.findIndex((doc) => targets(patch, doc));
    if (target < 0) return [...docs, patch];
    return docs.map((doc, i) => (i === target ? (merge(doc, patch) as TalosDocument) : doc));
}

function targets(patch: TalosPatch, doc: TalosDocument): boolean {
    if (patch.kind === undefined) return doc.version === "v1alpha1" && doc.kind === undefined;
    return doc.kind === patch.kind && (patch.name === undefined || doc.name === patch.name);
}

function merge(base: unknown, patch: unknown): unknown {
    if (Array.isArray(base) && Array.isArray(patch)) return [...base, ...patch];
    if (isMap(base) && isMap(patch)) {
        const merged: Record<string, unknown> = { ...base };
        for (const [key, value] of Object.entries(patch)) merged[key] = key in base ? merge(base[key], value) : value;
        return merged;
    }
    return patch;
}

function isMap(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
