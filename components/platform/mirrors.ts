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
export function chartName(pin: ChartPin): string {
    return pin.chart.split("/").pop() as string;
}

/** Where a release manifest is read from: the mirror (a URL or a file in the project), else its pinned release URL. */
export function manifestSource(manifest: ReleaseManifest, mirror: string | undefined): string {
    return mirror ?? manifests[manifest];
}
