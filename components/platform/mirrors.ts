import { relative, resolve } from "node:path";
import { pulumiProjectDirectory } from "../../infra/projectFiles";
import { hasScheme } from "../../infra/validation/mirrorFields";
import { ChartPin, charts, manifests } from "../../infra/versions";
import { PinnedChart } from "./namespace";

/** A platform chart, by its key in infra/versions.ts `charts`. */
export type PlatformChart = keyof typeof charts;

/** A release manifest (KubeVirt's or CDI's operator), by its key in infra/versions.ts `manifests`. */
export type ReleaseManifest = keyof typeof manifests;

/** Where one pinned chart is fetched from instead of its public repository. */
export interface ChartMirror {
    /**
     * An https or http chart repository URL (where its index.yaml is), e.g.
     * `https://charts.internal/cilium`, or an OCI registry path under which the chart is stored by
     * its pinned name, e.g. `oci://registry.internal/charts` for `oci://registry.internal/charts/cilium`.
     */
    repository: string;
}

/**
 * The pinned chart, from `mirror` when there is one. Only where changes: the chart keeps its
 * pinned name and version, so a mirror serves exactly what infra/versions.ts names.
 */
export function mirroredChart(pin: ChartPin, mirror: ChartMirror | undefined): PinnedChart {
    if (mirror === undefined) return { repository: pin.repository, chart: pin.chart, version: pin.version };
    const name = chartName(pin);
    // Helm takes an OCI chart as one reference and an HTTP one as a name in a repository.
    if (mirror.repository.startsWith("oci://")) return { repository: undefined, chart: `${mirror.repository.replace(/\/+$/, "")}/${name}`, version: pin.version };
    return { repository: mirror.repository, chart: name, version: pin.version };
}

/** A chart's name in any repository: an OCI reference ends with it. */
export function chartName(pin: { chart: string }): string {
    return pin.chart.split("/").pop() as string;
}

/**
 * Where the provider reads a release manifest from: the mirror URL, a mirrored file of the
 * project, else the pinned release URL. The provider resolves a path against its working
 * directory, which the CLI gives the program too and which is the directory of `main`, not the
 * project's; so a project path is handed on relative to that (`../manifests/…` for this project).
 */
export function manifestSource(manifest: ReleaseManifest, mirror: string | undefined, projectDir = pulumiProjectDirectory(), workingDir = process.cwd()): string {
    if (mirror === undefined) return manifests[manifest];
    return hasScheme(mirror) ? mirror : relative(workingDir, resolve(projectDir, mirror));
}
