import { readFileSync } from "node:fs";

/**
 * Where a V8 CPU profile (.cpuprofile, as `npm run bench -- --profile DIR` writes for the Node
 * program) spent its time: self time by function and by package or source folder, and the total
 * (inclusive) time of the functions that matter most.
 *
 * usage: ts-node --transpile-only bench/engine/profileSummary.ts FILE.cpuprofile [top]
 */

interface ProfileNode {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
}

interface Profile {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
}

/** node_modules/<package>, or the source folder of the program; V8 internals by name. */
function bucket(url: string, functionName: string): string {
    if (url === "") return `(${functionName || "native"})`;
    const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    if (modules) return modules[1];
    if (url.startsWith("node:")) return "node:*";
    const source = /\/(infra|components|tools|bench|policy)\//.exec(url);
    return source ? source[1] : url;
}

export function summarize(profile: Profile, top: number): string[] {
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
    const selfMs = new Map<number, number>();
    profile.samples.forEach((id, i) => selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
    const total = [...selfMs.values()].reduce((a, b) => a + b, 0);

    const add = (map: Map<string, number>, key: string, ms: number) => map.set(key, (map.get(key) ?? 0) + ms);
    const selfByFunction = new Map<string, number>();
    const selfByBucket = new Map<string, number>();
    const inclusive = new Map<string, number>();
    for (const [id, ms] of selfMs) {
        const { callFrame } = byId.get(id) as ProfileNode;
        const name = `${callFrame.functionName || "(anonymous)"} ${callFrame.url.replace(/^.*node_modules\//, "").replace(/^file:\/\/.*\/(?=(infra|components|tools|bench)\/)/, "")}:${callFrame.lineNumber + 1}`;
        add(selfByFunction, name, ms);
        add(selfByBucket, bucket(callFrame.url, callFrame.functionName), ms);
        // Each function once per sample's stack, however deep its recursion.
        const counted = new Set<string>();
        for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
            const frame = (byId.get(at) as ProfileNode).callFrame;
            const key = `${frame.functionName || "(anonymous)"} ${frame.url.replace(/^.*node_modules\//, "")}:${frame.lineNumber + 1}`;
            if (!counted.has(key)) add(inclusive, key, ms);
            counted.add(key);
        }
    }
    const lines = (title: string, map: Map<string, number>) => [
        title,
        ...[...map].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, ms]) => `${(ms / 1000).toFixed(2).padStart(8)} s ${((100 * ms) / total).toFixed(1).padStart(5)} %  ${k}`),
    ];
    return [
        `sampled ${(total / 1000).toFixed(2)} s`,
        ...lines("self time by package / folder", selfByBucket),
        ...lines("self time by function", selfByFunction),
        ...lines("total time by function", inclusive),
    ];
}

if (require.main === module) {
    const [file, top] = process.argv.slice(2);
    if (!file) {
        console.error("usage: profileSummary.ts FILE.cpuprofile [top]");
        process.exit(2);
    }
    for (const line of summarize(JSON.parse(readFileSync(file, "utf8")) as Profile, Number(top ?? 25))) console.log(line);
}
