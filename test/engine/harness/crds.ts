import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";

/**
 * CustomResourceDefinitions for the local control plane, made from the strict JSON schemas in
 * ../shared/schemas/crds (`<group>/<kind>_<version>.json`). The API server then validates what
 * the program sends against the same schemas as the unit tests do, and warns about unknown fields.
 */

/** The kinds those files hold, as Kubernetes spells them; the files name them in lower case. */
const kinds = [
    "CDI", "DataImportCron", "DataSource", "DataVolume",
    "Certificate", "ClusterIssuer", "Issuer",
    "CiliumBGPAdvertisement", "CiliumBGPClusterConfig", "CiliumBGPPeerConfig", "CiliumClusterwideNetworkPolicy",
    "CiliumL2AnnouncementPolicy", "CiliumLoadBalancerIPPool", "CiliumNetworkPolicy",
    "VirtualMachineClusterInstancetype", "VirtualMachineClusterPreference", "VirtualMachineInstancetype",
    "KubeVirt", "VirtualMachine", "VirtualMachineInstance",
    "IPAddressPool", "L2Advertisement",
    "PodMonitor", "PrometheusRule", "ServiceMonitor",
    "LinstorCluster", "LinstorNodeConnection", "LinstorSatelliteConfiguration",
    "VirtualMachinePool", "VirtualMachineRestore", "VirtualMachineSnapshot",
];

const clusterScoped = new Set([
    "CDI", "ClusterIssuer", "CiliumBGPAdvertisement", "CiliumBGPClusterConfig", "CiliumBGPPeerConfig",
    "CiliumClusterwideNetworkPolicy", "CiliumL2AnnouncementPolicy", "CiliumLoadBalancerIPPool",
    "VirtualMachineClusterInstancetype", "VirtualMachineClusterPreference",
    "LinstorCluster", "LinstorNodeConnection", "LinstorSatelliteConfiguration",
]);

/** Versions served by storage preference: the newest stable one stores. */
const versionRank = (v: string) => (/alpha/.test(v) ? 0 : /beta/.test(v) ? 1 : 2);

type Schema = Record<string, unknown>;

/**
 * JSON Schema → a structural OpenAPI v3 schema: Kubernetes forbids `additionalProperties`
 * beside `properties` (pruning does that job) and spells nullable types `nullable: true`.
 */
export function structural(schema: unknown): unknown {
    if (Array.isArray(schema)) return schema.map(structural);
    if (schema === null || typeof schema !== "object") return schema;
    const out: Schema = {};
    for (const [key, value] of Object.entries(schema as Schema)) {
        if (key === "$schema" || key === "$id") continue;
        if (key === "additionalProperties" && typeof value === "boolean") continue;
        if (key === "type" && Array.isArray(value)) {
            const types = value.filter((t) => t !== "null");
            if (types.length === 1) out.type = types[0];
            if (types.length !== value.length) out.nullable = true;
            continue;
        }
        out[key] = key === "properties" || key === "patternProperties" || key === "definitions"
            // Some converted schemas carry a stray boolean among their properties: not a schema.
            ? Object.fromEntries(Object.entries(value as Schema).filter(([, v]) => typeof v === "object").map(([k, v]) => [k, structural(v)]))
            : structural(value);
    }
    return out;
}

export interface CrdObject {
    apiVersion: "apiextensions.k8s.io/v1";
    kind: "CustomResourceDefinition";
    metadata: { name: string };
    spec: Record<string, unknown>;
}

export function crdsFromSchemas(dir: string): CrdObject[] {
    const byKind = new Map<string, { group: string; kind: string; versions: { name: string; schema: unknown }[] }>();
    for (const group of readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name)) {
        for (const file of readdirSync(join(dir, group)).filter((f) => f.endsWith(".json"))) {
            const [lower, version] = basename(file, ".json").split("_");
            const kind = kinds.find((k) => k.toLowerCase() === lower);
            if (kind === undefined) throw new Error(`crds: no kind known for ${group}/${file}; add it to the list in crds.ts`);
            const entry = byKind.get(`${group}/${kind}`) ?? { group, kind, versions: [] };
            entry.versions.push({ name: version, schema: JSON.parse(readFileSync(join(dir, group, file), "utf8")) });
            byKind.set(`${group}/${kind}`, entry);
        }
    }
    return [...byKind.values()].map(({ group, kind, versions }) => {
        const plural = kind.toLowerCase().replace(/y$/, "ie") + "s";
        const storage = [...versions].sort((a, b) => versionRank(b.name) - versionRank(a.name))[0].name;
        return {
            apiVersion: "apiextensions.k8s.io/v1",
            kind: "CustomResourceDefinition",
            metadata: { name: `${plural}.${group}` },
            spec: {
                group,
                names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
                scope: clusterScoped.has(kind) ? "Cluster" : "Namespaced",
                versions: versions.map(({ name, schema }) => ({
                    name,
                    served: true,
                    storage: name === storage,
                    subresources: { status: {} },
                    schema: { openAPIV3Schema: structural(schema) },
                })),
            },
        };
    });
}
