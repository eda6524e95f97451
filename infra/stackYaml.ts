import { Alias, Document, isAlias, isMap, isScalar, isSeq, Node, parseDocument } from "yaml";

/**
 * Reads a stack file with the limits the Pulumi CLI reads it with, so a file the CLI accepts is
 * accepted here and one it refuses is refused here, naming the file and the limit.
 *
 * The CLI (3.248.0) decodes stack files with go-yaml (its binary links gopkg.in/yaml.v2 v2.4.0
 * and gopkg.in/yaml.v3 v3.0.1; both decode.go carry the same guard). go-yaml has no fixed alias
 * count: while decoding it counts every node it decodes (decodeCount) and every node it decodes
 * inside an alias expansion (aliasCount), and fails with "document contains excessive aliasing"
 * once aliasCount > 100, decodeCount > 1000 and aliasCount / decodeCount exceeds an allowed
 * ratio: 0.99 up to 400,000 decodes, falling linearly to 0.10 at 4,000,000. The `yaml` package's
 * own guard (maxAliasCount, 100 by default) refuses ordinary files the CLI accepts, so it is off
 * here and `aliasingProblem` replays go-yaml's count over the parsed document instead.
 *
 * go-yaml also honours YAML 1.1 merge keys (`<<: *base`), which YAML 1.2 parsers leave as a
 * plain key unless told: `merge: true`. Repeated keys are errors in both.
 */

const ratioRangeLow = 400_000;
const ratioRangeHigh = 4_000_000;
export const goYamlAliasLimit = { minAliases: 100, minDecodes: 1000, ratioRangeLow, ratioRangeHigh } as const;

/** go-yaml's allowedAliasRatio: the share of decoded nodes that may come from alias expansion. */
export function allowedAliasRatio(decodeCount: number): number {
    if (decodeCount <= ratioRangeLow) return 0.99;
    if (decodeCount >= ratioRangeHigh) return 0.1;
    return 0.99 - 0.89 * ((decodeCount - ratioRangeLow) / (ratioRangeHigh - ratioRangeLow));
}

class ExcessiveAliasing extends Error {
    constructor(readonly aliasCount: number, readonly decodeCount: number) {
        super("document contains excessive aliasing");
    }
}

const isMergeKey = (key: unknown) => isScalar(key) && key.source === "<<";

/** Counts nodes the way go-yaml's decoder visits them, throwing where it would fail. */
function replayDecode(document: Document): void {
    let decodeCount = 1; // go-yaml decodes the document node itself first
    let aliasCount = 0;
    let aliasDepth = 0;
    const expanding = new Set<Alias>();
    const visit = (node: unknown): void => {
        decodeCount++;
        if (aliasDepth > 0) aliasCount++;
        if (aliasCount > goYamlAliasLimit.minAliases && decodeCount > goYamlAliasLimit.minDecodes && aliasCount / decodeCount > allowedAliasRatio(decodeCount)) {
            throw new ExcessiveAliasing(aliasCount, decodeCount);
        }
        if (isAlias(node)) {
            // go-yaml refuses an anchor whose value contains an alias of itself.
            if (expanding.has(node)) throw new Error(`anchor '${node.source}' value contains itself`);
            expanding.add(node);
            aliasDepth++;
            visit((node as Alias).resolve(document));
            aliasDepth--;
            expanding.delete(node);
        } else if (isSeq(node)) {
            node.items.forEach(visit);
        } else if (isMap(node)) {
            const merges = node.items.filter((pair) => isMergeKey(pair.key));
            for (const pair of node.items.filter((p) => !isMergeKey(p.key))) {
                visit(pair.key);
                visit(pair.value);
            }
            // A merge decodes the map's own keys once more, then each merged map.
            if (merges.length > 0) node.items.filter((p) => !isMergeKey(p.key)).forEach((pair) => visit(pair.key));
            for (const merge of merges) {
                if (isSeq(merge.value)) merge.value.items.forEach(visit);
                else visit(merge.value);
            }
        }
    };
    if (document.contents !== null) visit(document.contents as Node);
}

/** The parsed stack file, or an Error naming `file` and the limit or syntax problem hit. */
export function parseStackYaml(text: string, file: string): unknown {
    const document = parseDocument(text, { merge: true, uniqueKeys: true, prettyErrors: true });
    if (document.errors.length > 0) throw new Error(`${file}: not valid YAML as the Pulumi CLI reads it: ${document.errors[0].message}`);
    try {
        replayDecode(document);
    } catch (error) {
        if (!(error instanceof ExcessiveAliasing)) throw new Error(`${file}: the Pulumi CLI would refuse this stack file (go-yaml): ${(error as Error).message}`, { cause: error });
        throw new Error(
            `${file}: the Pulumi CLI would refuse this stack file (go-yaml: "document contains excessive aliasing"): ` +
            `${error.aliasCount} of its first ${error.decodeCount} decoded nodes come from aliases, over the allowed ${Math.round(allowedAliasRatio(error.decodeCount) * 100)}% ` +
            `(the limit applies beyond ${goYamlAliasLimit.minAliases} aliased nodes and ${goYamlAliasLimit.minDecodes} decoded nodes); expand some aliases or split the shared values`,
            { cause: error },
        );
    }
    // The replay bounded the expansion as go-yaml does, so materialising aliases is safe.
    return document.toJS({ maxAliasCount: -1 });
}
