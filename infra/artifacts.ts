import { bootAssets, factoryEndpoints, schematicId, schematicYaml } from "../components/talos/imageFactory";
import { unresolvedExtensions } from "../components/talos/imagerProfile";
import { resolveVms } from "../components/vms/catalog";
import { mirroredChart, PlatformChart, ReleaseManifest } from "../components/platform/mirrors";
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

type Wanted = Omit<Artifact, "source">;

export function stackArtifacts(spec: CloudSpec): ArtifactList {
    const wanted: Wanted[] = [];
    const unconfirmed: UnconfirmedArtifact[] = [];
    const add = (part: ArtifactPart, kind: ArtifactKind, references: readonly string[]) => wanted.push(...references.map((reference) => ({ kind, reference, part })));
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
        add("networking", "chart", [chartReference(versions.charts.cilium)]);
        add("networking", "image", [...versions.platformImages.cilium, ...(platform.networking.hubble ? versions.platformImages.hubble : [])]);
        if (platform.networking.hubble) unconfirmed.push({ part: "networking", what: versions.unconfirmedImages.hubble });
    }
    if (platform.certManager.enabled) {
        add("certManager", "chart", [chartReference(versions.charts.certManager)]);
        add("certManager", "image", versions.platformImages.certManager);
    }
    if (platform.storage.enabled && platform.certManager.enabled) {
        add("storage", "chart", [chartReference(versions.charts.piraeus)]);
        add("storage", "image", versions.platformImages.storage);
        unconfirmed.push({ part: "storage", what: versions.unconfirmedImages.storage });
    }
    if (platform.virtualization.enabled && !platform.virtualization.provided) {
        add("virtualization", "manifest", Object.values(versions.manifests));
        add("virtualization", "image", [...versions.platformImages.kubevirt, ...versions.platformImages.cdi]);
    }
    if (platform.monitoring.enabled) {
        add("monitoring", "chart", [chartReference(versions.charts.kubePrometheusStack)]);
        add("monitoring", "image", versions.platformImages.monitoring);
    }
    platform.extraReleases.forEach((release, i) => {
        add("extraReleases", "chart", [chartReference(release)]);
        unconfirmed.push({ part: "extraReleases", what: `the images of platform.extraReleases[${i}] (${release.name}), as its values choose them` });
    });

    const vms = resolveVms({ vms: spec.vms, fleets: spec.fleets, operatingSystems: spec.operatingSystems, dnsDomain: cluster.network.dnsDomain });
    // The jump host runs while VMs do (VmService declares Access only then).
    if (vms.length > 0) add("access", "image", [spec.access.image]);
    add("vms", "image", vms.map((vm) => vm.image));

    return { artifacts: unique(wanted).map((artifact) => ({ ...artifact, source: sourceOf(artifact, spec) })), unconfirmed };
}

/** Installer, Kubernetes components and the images Talos pulls itself; the boot assets of the schematic. */
function talosArtifacts({ cluster }: CloudSpec): { images: string[]; bootAssets: string[] } {
    const id = schematicId(schematicYaml({ extensions: cluster.extensions, kernelArgs: cluster.kernelArgs }));
    const assets = bootAssets(id, cluster.talosVersion, cluster.architecture, factoryEndpoints(cluster.imageFactory));
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
    return `${pin.chart.split("/").pop()}:${pin.version}`;
}

/**
 * Where an artifact comes from. Images honour `cluster.registryMirrors` (Talos pulls through
 * them); charts and manifests `ironcloud:mirrors` (else their public locations); boot assets the
 * configured factory (their URLs already follow `cluster.imageFactory`).
 */
export function sourceOf(artifact: Wanted, spec: CloudSpec): string {
    switch (artifact.kind) {
        case "image": {
            const registry = registryOf(artifact.reference);
            return spec.cluster.registryMirrors[registry]?.[0] ?? `https://${registry}`;
        }
        case "chart": return chartLocation(artifact.reference, spec);
        case "manifest": return manifestLocation(artifact.reference, spec);
        case "bootAsset": return artifact.reference;
    }
}

function chartLocation(reference: string, spec: CloudSpec): string {
    const platformChart = (Object.keys(versions.charts) as PlatformChart[]).find((key) => chartReference(versions.charts[key]) === reference);
    if (platformChart !== undefined) {
        const { repository, chart } = mirroredChart(versions.charts[platformChart], spec.mirrors.charts[platformChart]);
        return repository ?? chart;
    }
    const extra = spec.platform.extraReleases.find((p) => chartReference(p) === reference);
    if (extra === undefined) throw new Error(`no pinned chart ${reference}`);
    return extra.repository ?? extra.chart;
}

/** The mirror URL or project file of a release manifest, else its pinned URL. */
function manifestLocation(reference: string, spec: CloudSpec): string {
    const key = (Object.keys(versions.manifests) as ReleaseManifest[]).find((k) => versions.manifests[k] === reference);
    return (key !== undefined ? spec.mirrors.manifests[key] : undefined) ?? reference;
}

/** The registry host of an image reference, as a container runtime reads it (no host: Docker Hub). */
export function registryOf(reference: string): string {
    return referenceHost(reference) ?? "docker.io";
}

function unique(artifacts: Wanted[]): Wanted[] {
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
