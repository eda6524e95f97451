import { parseAllDocuments } from "yaml";
import { ProjectFiles } from "../projectFiles";
import { manifests as pinnedManifests } from "../versions";
import { hasScheme, manifestSource } from "./mirrorFields";
import { Problem } from "./problem";
import { MirrorsConfig } from "./sections";

/**
 * The `manifests` entries of a raw `mirrors` value that are well-formed on their own: their files
 * are checked even when another part of the section is wrong, so one run reports every problem.
 */
export function wellFormedManifests(mirrors: unknown): MirrorsConfig["manifests"] {
    const given = (mirrors as { manifests?: unknown } | undefined)?.manifests;
    if (typeof given !== "object" || given === null) return {};
    return Object.fromEntries(Object.entries(pinnedManifests).flatMap(([key, pinnedUrl]) => {
        const value = (given as Record<string, unknown>)[key];
        return manifestSource(pinnedUrl).safeParse(value).success ? [[key, value as string]] : [];
    }));
}

/**
 * A manifest mirrored as a file of the project must be there and hold Kubernetes objects: the
 * provider reads it at deployment, and a file missing or outside the project would otherwise
 * fail only then, or reach for a path nobody reviewed. `root` is the config path of `manifests`.
 */
export function manifestFileProblems(manifests: MirrorsConfig["manifests"], files: ProjectFiles, root = "mirrors.manifests"): Problem[] {
    return Object.entries(manifests).flatMap(([key, source]) => {
        if (source === undefined || hasScheme(source)) return [];
        const path = `${root}.${key}`;
        const read = files.read(source);
        if ("problem" in read) return [{ path, message: `"${source}" ${read.problem}` }];
        const problem = manifestTextProblem(read.text);
        return problem ? [{ path, message: `"${source}" ${problem}` }] : [];
    });
}

/** Why `text` is not a multi-document YAML file of Kubernetes objects, completing "<file> …". */
function manifestTextProblem(text: string): string | undefined {
    const documents = parseAllDocuments(text);
    if (!Array.isArray(documents)) return "holds no YAML documents";
    const broken = documents.find((d) => d.errors.length > 0);
    if (broken) return `is not valid YAML: ${broken.errors[0].message}`;
    const objects = documents.map((d) => d.toJS() as unknown).filter((value) => value !== null && value !== undefined);
    if (objects.length === 0) return "holds no Kubernetes objects";
    const index = objects.findIndex((o) => typeof o !== "object" || Array.isArray(o) || typeof (o as Record<string, unknown>).apiVersion !== "string" || typeof (o as Record<string, unknown>).kind !== "string");
    return index < 0 ? undefined : `has a document (the ${ordinal(index + 1)} object) without apiVersion and kind: a release manifest holds only Kubernetes objects`;
}

function ordinal(n: number): string {
    const suffix = n % 100 >= 11 && n % 100 <= 13 ? "th" : ["th", "st", "nd", "rd"][n % 10] ?? "th";
    return `${n}${suffix}`;
}
