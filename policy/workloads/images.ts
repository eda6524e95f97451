/** Parsing of container image references: `registry/repo:tag@sha256:digest`. */

const digestPattern = /@sha256:[0-9a-f]{64}$/;

export function hasDigest(image: string): boolean {
    return digestPattern.test(image);
}

/** The tag of an image reference, if any (a registry port is not a tag). */
export function tagOf(image: string): string | undefined {
    const name = image.split("@")[0];
    const colon = name.lastIndexOf(":");
    return colon > name.lastIndexOf("/") ? name.slice(colon + 1) : undefined;
}
