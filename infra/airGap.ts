import { factoryEndpoints } from "../components/talos/imageFactory";
import { DeclaredSources, Reference, referenceHost } from "../policy/lib/rules/airGapRules";
import { stackArtifacts } from "./artifacts";
import { CloudSpec } from "./config";
import { hasScheme } from "./validation/mirrorFields";

/**
 * What an air-gapped stack declares it fetches from, and what its nodes would reach without
 * naming it anywhere: the pure half of the air-gapped policy's input (infra/cloud.ts records it).
 */

/** Talos's time server when no patch sets machine.time.servers (Talos machine config reference). */
export const talosDefaultTimeServer = "time.cloudflare.com";

/** Every mirror the stack declares: chart and manifest mirrors, registry mirrors and a self-hosted Image Factory. */
export function declaredSources({ cluster, mirrors }: CloudSpec): DeclaredSources {
    const urls = [
        ...Object.values(mirrors.charts).map((mirror) => mirror?.repository),
        ...Object.values(mirrors.manifests),
        ...Object.values(cluster.registryMirrors).flat(),
        ...(cluster.imageFactory ? Object.values(factoryEndpoints(cluster.imageFactory)) : []),
    ];
    // A manifest mirror may be a project file: only URLs name a host.
    const hosts = urls.filter((url): url is string => url !== undefined && hasScheme(url)).flatMap((url) => referenceHost(url) ?? []);
    return { mirrorHosts: [...new Set(hosts)].sort(), mirroredRegistries: Object.keys(cluster.registryMirrors).sort(), siteDomains: mirrors.siteDomains };
}

/**
 * Hosts the nodes reach though no resource names them: Talos's default time server, unless a
 * patch names the site's own. (The public discovery service is off in an air-gapped stack.)
 */
export function implicitReferences({ cluster }: CloudSpec): Reference[] {
    if (cluster.kubeconfig !== undefined) return [];
    const patches = [...cluster.patches.all, ...cluster.patches.controlplane, ...cluster.patches.worker, ...(cluster.nodes ?? []).flatMap((n) => n.patches)];
    const servers = patches.flatMap((patch) => {
        const time = (patch as { machine?: { time?: { servers?: unknown } } }).machine?.time?.servers;
        return Array.isArray(time) ? time.filter((s): s is string => typeof s === "string") : [];
    });
    return (servers.length > 0 ? servers : [talosDefaultTimeServer]).map((server) => ({ where: "Talos time servers (machine.time.servers)", reference: `ntp://${server}` }));
}

/** Every pinned artifact at the location it is fetched from (a project file is no fetch), and the implicit hosts. */
export function airGapFetches(spec: CloudSpec): Reference[] {
    const artifacts = stackArtifacts(spec).artifacts.filter((a) => hasScheme(a.source));
    return [...artifacts.map((a) => ({ where: `${a.kind} ${a.reference}`, reference: a.source })), ...implicitReferences(spec)];
}
