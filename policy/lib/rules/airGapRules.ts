/**
 * Where an air-gapped stack may fetch from: one rule for the `air-gapped` policy and the offline
 * plan's summary. A reference is a URL (`https://`, `http://`, `oci://`, `docker://`) or a
 * container image (`quay.io/kubevirt/virt-operator:v1.8.4`, `nginx` meaning docker.io). It is
 * allowed when its host is a declared mirror, when it is an image whose registry the nodes pull
 * through a declared registry mirror, or when it never leaves the site: the cluster's own
 * services (`*.svc`, `*.cluster.local`), `localhost`, and private, loopback or link-local addresses.
 */

/** What an air-gapped stack declares: mirror hosts, and the registries the nodes pull through mirrors. */
export interface DeclaredSources {
    /** Hosts (with port when not default) of chart, manifest, boot asset and registry mirrors. */
    mirrorHosts: string[];
    /** Registries (`docker.io`, `quay.io`) containerd reaches only through a registry mirror. */
    mirroredRegistries: string[];
    /** DNS domains inside the site: their hosts count as internal. */
    siteDomains: string[];
}

export interface Reference {
    /** Where the reference was found, for the message: `<resource> <property path>`. */
    where: string;
    reference: string;
}

export interface AirGapViolation extends Reference {
    host: string;
}

const urlPattern = /^(https?|oci|docker|ntp):\/\/([^/\s?#]+)/i;
const imagePattern = /^(?:([a-z0-9.-]+(?::\d+)?)\/)?[a-z0-9._/-]+(?::[A-Za-z0-9._-]+)?(?:@sha256:[0-9a-f]{64})?$/;

/** The host a reference names (lower case, with a port when it has one), or undefined when it is neither a URL nor an image. */
export function referenceHost(reference: string): string | undefined {
    const url = urlPattern.exec(reference);
    if (url) return url[2].replace(/^[^@]*@/, "").toLowerCase();
    const image = imagePattern.exec(reference);
    if (!image) return undefined;
    // Like containerd: the first path part is a registry only if it has a dot or a port, or is localhost.
    const first = image[1];
    return first !== undefined && (first.includes(".") || first.includes(":") || first === "localhost") ? first : "docker.io";
}

/** Whether a host is inside the site whatever the stack declares. */
export function isSiteInternal(host: string): boolean {
    const name = host.replace(/:\d+$/, "").replace(/^\[(.*)\]$/, "$1");
    if (name === "localhost" || /\.(svc|cluster\.local)$/.test(name)) return true;
    const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(name);
    if (v4) {
        const [a, b] = [Number(v4[1]), Number(v4[2])];
        return a === 0 || a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
    }
    return name === "::" || /^(::1|f[cd][0-9a-f]{2}:|fe[89ab][0-9a-f]:)/i.test(name);
}

/** The references that would fetch from outside the declared mirrors. */
export function airGapViolations(references: Reference[], declared: DeclaredSources): AirGapViolation[] {
    const mirrors = new Set(declared.mirrorHosts.map((h) => h.toLowerCase()));
    const mirrored = new Set(declared.mirroredRegistries.map((h) => h.toLowerCase()));
    return references.flatMap((ref) => {
        const host = referenceHost(ref.reference);
        const name = host?.replace(/:\d+$/, "");
        if (host === undefined || isSiteInternal(host) || mirrors.has(host) || declared.siteDomains.some((d) => name === d || name?.endsWith(`.${d}`))) return [];
        const isUrl = urlPattern.test(ref.reference) && !/^docker:\/\//i.test(ref.reference);
        if (!isUrl && mirrored.has(host)) return [];
        return [{ ...ref, host }];
    });
}

/** Keys whose string values are container images (Kubernetes, KubeVirt, Helm values, Talos). */
const imageKeys = new Set(["image", "installerImage", "installImage"]);

/**
 * Every URL anywhere in a resource's properties, and every image under an image key (`image`,
 * or a Helm values `{ repository, tag }` pair); `where` is the property path. A value reading it
 * throws `isUnknown` for (what a preview cannot know yet) names nothing yet and is skipped: the
 * policy judges it again at `pulumi up`.
 */
export function referencesIn(props: unknown, where: string, isUnknown: (error: unknown) => boolean = () => false): Reference[] {
    const found: Reference[] = [];
    const read = (record: Record<string, unknown>, key: string): unknown => {
        try {
            return record[key];
        } catch (error) {
            if (isUnknown(error)) return undefined;
            throw error;
        }
    };
    const visit = (value: unknown, path: string, key: string) => {
        if (typeof value === "string") {
            for (const match of value.matchAll(/\b(?:https?|oci|docker):\/\/[^\s"'<>,)\]}]+/gi)) found.push({ where: `${where} ${path}`, reference: match[0] });
            if (imageKeys.has(key) && !urlPattern.test(value) && imagePattern.test(value)) found.push({ where: `${where} ${path}`, reference: value });
        } else if (Array.isArray(value)) {
            for (let i = 0; i < value.length; i++) visit(read(value as unknown as Record<string, unknown>, String(i)), `${path}[${i}]`, key);
        } else if (value !== null && typeof value === "object") {
            const record = value as Record<string, unknown>;
            const repository = read(record, "repository");
            if (typeof repository === "string" && !urlPattern.test(repository) && (typeof read(record, "tag") === "string" || typeof read(record, "digest") === "string")) {
                found.push({ where: `${where} ${path}.repository`, reference: repository });
            }
            for (const k of Object.keys(record)) visit(read(record, k), path ? `${path}.${k}` : k, k);
        }
    };
    visit(props, "", "");
    return found;
}
