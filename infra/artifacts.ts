import { clusterImage } from "../components/talos/imageFactory";
import { unresolvedExtensions } from "../components/talos/imagerProfile";
import { resolveVms } from "../components/vms/catalog";
import { chartName, mirroredChart, PlatformChart, ReleaseManifest } from "../components/platform/mirrors";
import { referenceHost } from "../policy/lib/rules/airGapRules";
import { CloudSpec } from "./config";
import * as versions from "./versions";

/**
 * Every artifact a stack needs from outside the cluster, pinned: what an air-gapped site must
 * mirror. Pure: the plan writes it to out/<stack>/artifacts.json.
 */

export type ArtifactKind = "image" | "chart" | "manifest" | "bootAsset";

/** The part of the stack that needs an artifact, so a reviewer sees why it is there. */
export type ArtifactPart = "talos" | "imageFactory" | "networking" | "certManager" | "storage" | "virtualization" | "monitoring" | "extraReleases" | "access" | "vms";

export interface Artifact {
    kind: ArtifactKind;
    /** The exact thing: an image reference with tag (or digest), `<chart>:<version>`, or a URL. */
    reference: string;
    /** Where it is fetched from today. */
    source: string;
    part: ArtifactPart;
}

/** Artifacts the plan cannot name exactly (images nobody confirmed, extensions without a pinned image). */
export interface UnconfirmedArtifact {
    part: ArtifactPart;
    what: string;
}

export interface ArtifactList {
    artifacts: Artifact[];
    unconfirmed: UnconfirmedArtifact[];
}

/** A pinned reference and where it is fetched from. */
type Fetched = Pick<Artifact, "reference" | "source">;

export function stackArtifacts(spec: CloudSpec): ArtifactList {
    const wanted: Artifact[] = [];
    const unconfirmed: UnconfirmedArtifact[] = [];
    const add = (part: ArtifactPart, kind: ArtifactKind, references: readonly string[]) => wanted.push(...references.map((reference) => ({ kind, reference, part, source: fetchedFrom(kind, reference, spec) })));
    const addFrom = (part: ArtifactPart, kind: ArtifactKind, entries: Fetched[]) => wanted.push(...entries.map(({ reference, source }) => ({ kind, reference, part, source })));
    const platformChart = (key: PlatformChart): Fetched => {
        const { repository, chart } = mirroredChart(versions.charts[key], spec.mirrors.charts[key]);
        return { reference: chartReference(versions.charts[key]), source: repository ?? chart };
    };
    const { cluster, platform } = spec;

    if (cluster.kubeconfig === undefined) {
        const talos = talosArtifacts(spec);
        add("talos", "image", talos.images);
        add("talos", "bootAsset", talos.bootAssets);
        if (cluster.imageFactory?.url !== undefined) {
            const build = factoryBuildArtifacts(spec);
            add("imageFactory", "image", build.images);
            unconfirmed.push(...build.unconfirmed);
        }
    }
    if (platform.networking.enabled) {
        addFrom("networking", "chart", [platformChart("cilium")]);
        add("networking", "image", [...versions.platformImages.cilium, ...(platform.networking.hubble ? versions.platformImages.hubble : [])]);
        if (platform.networking.hubble) unconfirmed.push({ part: "networking", what: versions.unconfirmedImages.hubble });
    }
    if (platform.certManager.enabled) {
        addFrom("certManager", "chart", [platformChart("certManager")]);
        add("certManager", "image", versions.platformImages.certManager);
    }
    if (platform.storage.enabled && platform.certManager.enabled) {
        addFrom("storage", "chart", [platformChart("piraeus")]);
        add("storage", "image", versions.platformImages.storage);
        unconfirmed.push({ part: "storage", what: versions.unconfirmedImages.storage });
    }
    if (platform.virtualization.enabled && !platform.virtualization.provided) {
        addFrom("virtualization", "manifest", (Object.keys(versions.manifests) as ReleaseManifest[])
            .map((key) => ({ reference: versions.manifests[key], source: spec.mirrors.manifests[key] ?? versions.manifests[key] })));
        add("virtualization", "image", [...versions.platformImages.kubevirt, ...versions.platformImages.cdi]);
    }
    if (platform.monitoring.enabled) {
        addFrom("monitoring", "chart", [platformChart("kubePrometheusStack")]);
        add("monitoring", "image", versions.platformImages.monitoring);
    }
    platform.extraReleases.forEach((release, i) => {
        addFrom("extraReleases", "chart", [{ reference: chartReference(release), source: release.repository ?? release.chart }]);
        unconfirmed.push({ part: "extraReleases", what: `the images of platform.extraReleases[${i}] (${release.name}), as its values choose them` });
    });

    const vms = resolveVms({ vms: spec.vms, fleets: spec.fleets, operatingSystems: spec.operatingSystems, dnsDomain: cluster.network.dnsDomain });
    // The jump host runs while VMs do (VmService declares Access only then).
    if (vms.length > 0) add("access", "image", [spec.access.image]);
    add("vms", "image", vms.map((vm) => vm.image));

    return { artifacts: unique(wanted), unconfirmed };
}

/** Installer, Kubernetes components and the images Talos pulls itself; the boot assets of the schematic. */
function talosArtifacts({ cluster }: CloudSpec): { images: string[]; bootAssets: string[] } {
    const { assets } = clusterImage(cluster, cluster.architecture);
    const kubernetes = Object.entries(versions.kubernetesImages).filter(([component]) => component !== "proxy").map(([, image]) => `${image}:v${cluster.kubernetesVersion}`);
    return {
        images: [assets.installerImage, ...kubernetes, ...Object.values(versions.talosImages)],
        bootAssets: [assets.kernel, assets.initramfs, assets.cmdline, assets.iso],
    };
}

/** What a self-hosted factory pulls to build this stack's assets: the imager, installer-base, the extensions catalog and the extensions. */
function factoryBuildArtifacts({ cluster }: CloudSpec): { images: string[]; unconfirmed: UnconfirmedArtifact[] } {
    const known = versions.extensionImages[cluster.talosVersion] ?? {};
    const missing = unresolvedExtensions({ extensions: cluster.extensions, extensionImages: known });
    return {
        images: [
            ...Object.values(versions.talosBuildRepositories).map((repository) => `${repository}:${cluster.talosVersion}`),
            ...cluster.extensions.filter((name) => known[name] !== undefined).map((name) => known[name]),
        ],
        unconfirmed: missing.map((name) => ({ part: "imageFactory", what: `the ${name} extension image for Talos ${cluster.talosVersion} (image-digests of ${versions.talosBuildRepositories.extensionsCatalog}:${cluster.talosVersion})` })),
    };
}

function chartReference(pin: { chart: string; version: string }): string {
    return `${chartName(pin)}:${pin.version}`;
}

/**
 * Where an image or boot asset comes from: images through `cluster.registryMirrors` (Talos pulls
 * through them), boot assets from the configured factory (their URLs follow `cluster.imageFactory`).
 * Charts and manifests carry their source (`ironcloud:mirrors`, else public) from where they are listed.
 */
function fetchedFrom(kind: ArtifactKind, reference: string, spec: CloudSpec): string {
    if (kind !== "image") return reference;
    const registry = registryOf(reference);
    return spec.cluster.registryMirrors[registry]?.[0] ?? `https://${registry}`;
}

/** The registry host of an image reference, as a container runtime reads it (no host: Docker Hub). */
export function registryOf(reference: string): string {
    return referenceHost(reference) ?? "docker.io";
}

function unique(artifacts: Artifact[]): Artifact[] {
    const seen = new Set<string>();
    return artifacts.filter((a) => {
        const key = `${a.kind} ${a.reference}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
    });
}

/** The one line the plan prints: how many of each kind, and how many still to confirm. */
export function artifactSummary({ artifacts, unconfirmed }: ArtifactList): string {
    const count = (kind: ArtifactKind) => artifacts.filter((a) => a.kind === kind).length;
    const kinds = (["image", "chart", "manifest", "bootAsset"] as const).map((kind) => `${count(kind)} ${kind === "bootAsset" ? "boot assets" : `${kind}s`}`).join(", ");
    return `artifacts to mirror: ${kinds}${unconfirmed.length > 0 ? `; ${unconfirmed.length} to confirm (see artifacts.json)` : ""}`;
}
