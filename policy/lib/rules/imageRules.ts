/**
 * Container image references (`registry/repo:tag@sha256:digest`): whether one names exactly the
 * image that was tested. Used by validation (access.image, infra/validation/sections.ts) and the
 * workload-image-pinned and workload-image-digest policies.
 */

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

/** Why an image is not pinned (no tag pulls latest; latest moves), or undefined when it is. */
export function imagePinProblem(image: string): string | undefined {
    if (hasDigest(image)) return undefined;
    const tag = tagOf(image);
    if (tag === undefined) return `image "${image}" has no tag and pulls latest; pin a released version tag or a digest`;
    if (tag.toLowerCase() === "latest") return `image "${image}" uses the latest tag; pin a released version tag or a digest`;
    return undefined;
}
