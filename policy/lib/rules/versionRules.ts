import { supportedKubernetesMinors } from "./supportMatrix";

/**
 * What an exact version is, for validation (infra/validation/sections.ts) and the policies that
 * check the same fields (talos-versions-pinned, helm-charts-pinned): one definition, so a version
 * the config accepts is one the policy gate accepts, and the other way round.
 */

export interface VersionRule {
    pattern: RegExp;
    /** Completes "must be …". */
    allowed: string;
}

export const talosRelease: VersionRule = { pattern: /^v\d+\.\d+\.\d+$/, allowed: "an exact Talos release such as v1.13.9" };
export const kubernetesRelease: VersionRule = { pattern: /^\d+\.\d+\.\d+$/, allowed: "an exact Kubernetes release such as 1.36.3 (no leading v)" };
/** A range, `latest` or a pre-release (what Helm's --devel admits) installs whatever was published last. */
export const chartVersion: VersionRule = { pattern: /^v?\d+\.\d+\.\d+$/, allowed: "an exact chart version such as 1.2.3 (no range, latest or pre-release)" };

export function exactVersionProblem(rule: VersionRule, version: string): string | undefined {
    return rule.pattern.test(version) ? undefined : `must be ${rule.allowed}, not "${version}"`;
}

const minorOf = (version: string) => version.replace(/^v/, "").split(".").slice(0, 2).join(".");

function compareMinor(a: string, b: string): number {
    const [aMajor, aMinor] = a.split(".").map(Number);
    const [bMajor, bMinor] = b.split(".").map(Number);
    return aMajor !== bMajor ? aMajor - bMajor : aMinor - bMinor;
}

/** The Talos release is one this ironcloud knows, and Kubernetes is within what it supports. */
export function talosSkewProblem(talosVersion: string, kubernetesVersion: string): { field: "talosVersion" | "kubernetesVersion"; message: string } | undefined {
    const support = supportedKubernetesMinors[minorOf(talosVersion)];
    if (support === undefined) {
        const known = Object.keys(supportedKubernetesMinors).map((m) => `v${m}.x`).join(", ");
        return { field: "talosVersion", message: `Talos ${talosVersion} is not supported by this ironcloud release; supported: ${known}` };
    }
    const kubernetesMinor = minorOf(kubernetesVersion);
    if (compareMinor(kubernetesMinor, support.oldest) < 0 || compareMinor(kubernetesMinor, support.newest) > 0) {
        return { field: "kubernetesVersion", message: `Kubernetes ${kubernetesVersion} is outside what Talos ${talosVersion} supports (${support.oldest}.x to ${support.newest}.x)` };
    }
    return undefined;
}
