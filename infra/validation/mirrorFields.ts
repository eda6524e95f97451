import { z } from "zod";

/**
 * Field types of `ironcloud:mirrors`. A mirror names where a pinned chart or manifest is fetched
 * from; which version stays infra/versions.ts's, so a manifest URL must name the pinned release.
 */

/** `record` with each value replaced by `f(value, key)`: one schema entry per pinned chart or manifest. */
export function mapKeys<K extends string, V, T>(record: Readonly<Record<K, V>>, f: (value: V, key: K) => T): Record<K, T> {
    return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, f(value as V, key as K)])) as Record<K, T>;
}

/** An http(s) URL with a host; a fragment, or a query where `query` is false, means nothing to Helm's index lookup. */
function plainHttpUrl(value: string, { query }: { query: boolean }): boolean {
    try {
        const url = new URL(value);
        return (url.protocol === "https:" || url.protocol === "http:") && url.hostname !== "" && url.hash === "" && (query || url.search === "");
    } catch {
        return false;
    }
}

function hasCredentials(value: string): boolean {
    try {
        const url = new URL(value);
        return url.username !== "" || url.password !== "";
    } catch {
        return false;
    }
}

const credentialsMessage = "must not carry credentials: the stack file would hold them in plaintext; serve the mirror to the cluster's network without them";

/** An OCI registry path (lower case, as the distribution spec names repositories): the chart name is appended to it. */
const ociRegistryPath = /^oci:\/\/[a-z0-9.-]+(:\d+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*\/?$/;

/** Helm's two ways to publish a chart: an HTTP repository with an index.yaml, or an OCI registry. */
export function isChartRepository(value: string): boolean {
    return value.startsWith("oci://") ? ociRegistryPath.test(value) : plainHttpUrl(value, { query: false });
}

export const chartRepository = z.string().superRefine((value, ctx) => {
    if (hasCredentials(value)) ctx.addIssue({ code: "custom", message: credentialsMessage });
    else if (!isChartRepository(value)) {
        ctx.addIssue({ code: "custom", message: "must be an https or http chart repository URL (where its index.yaml is) such as https://charts.internal/cilium, or an OCI registry path such as oci://registry.internal/charts (the pinned chart's name is added to it)" });
    }
});

/** A value with a scheme is a URL; anything else is a path in the project. */
export const hasScheme = (value: string) => /^[A-Za-z][A-Za-z0-9+.-]*:/.test(value);

/**
 * A release manifest's mirror: an http(s) URL whose path names the pinned release (as the
 * manifests-pinned policy requires), or the path of a YAML file in the project, read through
 * ProjectFiles by the mirror rules. `pinnedUrl` is infra/versions.ts's URL of that manifest.
 */
export function manifestSource(pinnedUrl: string) {
    const [file, release] = new URL(pinnedUrl).pathname.split("/").reverse();
    const example = `such as https://mirror.internal/${release}/${file}, or the path of a YAML file relative to the project directory, such as manifests/${file}`;
    return z.string().min(1).superRefine((value, ctx) => {
        if (!hasScheme(value)) {
            if (!/\.ya?ml$/.test(value) || value.includes("\0")) ctx.addIssue({ code: "custom", message: `must be an https or http URL ${example}` });
            return;
        }
        if (hasCredentials(value)) ctx.addIssue({ code: "custom", message: credentialsMessage });
        else if (!plainHttpUrl(value, { query: true })) ctx.addIssue({ code: "custom", message: `must be an https or http URL ${example}` });
        else if (!new URL(value).pathname.split("/").includes(release)) {
            ctx.addIssue({ code: "custom", message: `must name the pinned release ${release} as a path segment, ${example} (versions stay pinned in infra/versions.ts)` });
        }
    });
}
