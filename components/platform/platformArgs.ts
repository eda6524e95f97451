import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { dnsLabel, ipAddress, section } from "../../infra/validation/fields";
import { manifestFileProblems, wellFormedManifests } from "../../infra/validation/mirrorRules";
import { Problem } from "../../infra/validation/problem";
import { pulumiProjectDirectory, projectFiles } from "../../infra/projectFiles";
import * as sections from "../../infra/validation/sections";
import { platformProblems } from "../../infra/validation/serviceRules";
import { virtualizationProblems } from "../../infra/validation/virtualizationRules";
import { checkArgs, ComponentArgsError, parseArgs } from "../componentArgs";
import { defaultCaIssuerName, defaultSelfSignedIssuerName } from "./certManagerObjects";
import { defaultLoadBalancerPoolName } from "./ciliumValues";
import { ChartMirror, PlatformChart, ReleaseManifest } from "./mirrors";
import { defaultStorageClassNames, StorageClassRole } from "./storageObjects";

/** The `ironcloud:platform` stack config section as a user writes it (every key optional). */
export type PlatformSection = z.input<typeof sections.platform>;

/**
 * What `Platform` installs, with the keys of the `ironcloud:platform` stack config section, plus
 * what it needs to know about the cluster and the names of the cluster-wide objects it creates.
 *
 * Checked inside the component with the stack config's own rules, every problem at once, at paths
 * below `platform` (`platform.storage.replicas`). Rules that need the whole cluster section run
 * only for a stack: the DRBD and ZFS extensions, networking off on an existing cluster, replicas
 * at most the nodes that hold them, LoadBalancer pools clear of the pod, service and node networks,
 * and `virtualization.provided` only on an existing cluster.
 *
 * Fixed, because the upstream charts and operators expect them, and so one Platform per cluster:
 * the namespaces kube-system (Cilium), cert-manager, piraeus-datastore, kubevirt, cdi and
 * monitoring; the Helm release names; the LINSTOR cluster, satellite configurations and storage
 * pool (`ironcloud`, also the volume group `vg-ironcloud` on the nodes); the KubeVirt and CDI
 * resources; and the PodMonitors in the monitoring namespace.
 */
export interface PlatformArgs extends PlatformSection {
    /** Cilium with LB IPAM and L2 announcements. Default: enabled, no Hubble, no encryption. Off for a cluster that keeps its own CNI. */
    networking?: PlatformSection["networking"];
    /** CIDR blocks LoadBalancer Services take addresses from (needs networking). Default: none, and then no pool is declared. */
    loadBalancerIPs?: PlatformSection["loadBalancerIPs"];
    /** cert-manager and the cluster CA issuer. Default: enabled; storage needs it. */
    certManager?: PlatformSection["certManager"];
    /** LINSTOR through the Piraeus operator (pool lvm-thin, zfs-thin or file-thin; devices; replicas 1–5, default 2; defaultClass). Default: enabled; needs certManager. */
    storage?: PlatformSection["storage"];
    /** KubeVirt and CDI. Default: enabled, installed by the Platform; `provided: true` when the cluster already runs them (excludes `emulation`). */
    virtualization?: PlatformSection["virtualization"];
    /** kube-prometheus-stack and monitors for the platform services. Default: disabled. */
    monitoring?: PlatformSection["monitoring"];
    /** Helm releases a site adds, each with an exact chart version. Default: none. */
    extraReleases?: PlatformSection["extraReleases"];
    /** Kubernetes manifests a site adds; kind, namespace and name together must be unique. Default: none. */
    extraObjects?: PlatformSection["extraObjects"];
    /**
     * Where the pinned charts and operator manifests are fetched from instead of their public
     * homes, with the keys of `ironcloud:mirrors` (its `airGapped` is the stack's, not the
     * Platform's). Versions and chart names stay those of infra/versions.ts. Default: none, every
     * chart and manifest from its public home.
     */
    mirrors?: PlatformMirrors;
    /** Kubeconfig of the cluster, for the kubectl gate that waits for Cilium's CRDs. Resources reach the cluster through the `provider` option. Checked (not empty) when it is a plain string. */
    kubeconfig: pulumi.Input<string>;
    /** Control-plane node addresses (IPv4 or IPv6): monitoring scrapes etcd, the scheduler and the controller manager there. Default: none, and then those are not scraped (an existing cluster). Checked when plain. */
    controlPlanes?: pulumi.Input<pulumi.Input<string>[]>;
    /** Nodes in the cluster, at least 1: Cilium's operator runs min(2, nodeCount) replicas. Default 1. Checked when plain. */
    nodeCount?: pulumi.Input<number>;
    /** The environment the cluster serves: `prod` needs storage.replicas of 2 or more. Default: none, and no environment rule applies. */
    environment?: z.input<typeof sections.environment>;
    /** Name of the CA ClusterIssuer LINSTOR takes its TLS certificates from; also names the CA Certificate and its Secret in cert-manager's namespace. A DNS-1123 label, different from selfSignedIssuerName. Default `ironcloud-ca`. */
    caIssuerName?: string;
    /** Name of the self-signed ClusterIssuer that signs the cluster CA. A DNS-1123 label. Default `ironcloud-selfsigned`. */
    selfSignedIssuerName?: string;
    /** Name of the CiliumLoadBalancerIPPool, and of the CiliumL2AnnouncementPolicy that announces it. A DNS-1123 label. Default `ironcloud`. */
    loadBalancerPoolName?: string;
    /** Names of the StorageClasses with one copy (`local`) and with storage.replicas copies (`replicated`); storage.defaultClass picks by role. DNS-1123 labels that differ. Defaults `local` and `replicated`. */
    storageClassNames?: { local?: string; replicated?: string };
}

/** Where the Platform's pinned charts and manifests come from; an entry left out keeps its public home. */
export interface PlatformMirrors {
    /** Per pinned chart (cilium, certManager, piraeus, kubePrometheusStack): an http(s) chart repository or an OCI registry path. */
    charts?: Partial<Record<PlatformChart, ChartMirror>>;
    /**
     * Per operator manifest (kubevirtOperator, cdiOperator): an https or http URL that names the
     * pinned release as a path segment (`…/v1.8.4/kubevirt-operator.yaml`), or the path of a YAML
     * file relative to the project directory, which must exist there and hold Kubernetes objects.
     */
    manifests?: Partial<Record<ReleaseManifest, string>>;
}

const platformArgs = sections.platform.extend({
    mirrors: sections.mirrors.omit({ airGapped: true, siteDomains: true }).default({ charts: {}, manifests: {} }),
    kubeconfig: z.string().min(1).optional(),
    controlPlanes: z.array(ipAddress).optional(),
    nodeCount: z.number().int().min(1).optional(),
    environment: sections.environment.optional(),
    caIssuerName: dnsLabel.default(defaultCaIssuerName),
    selfSignedIssuerName: dnsLabel.default(defaultSelfSignedIssuerName),
    loadBalancerPoolName: dnsLabel.default(defaultLoadBalancerPoolName),
    storageClassNames: section({
        local: dnsLabel.default(defaultStorageClassNames.local),
        replicated: dnsLabel.default(defaultStorageClassNames.replicated),
    }).default(defaultStorageClassNames),
});

/** PlatformArgs with every default applied, split by what each part is for. */
export interface PlatformSettings {
    /** The platform section as the stack config parses it. */
    platform: sections.PlatformConfig;
    /** Where charts and manifests come from; empty entries keep their public homes. */
    mirrors: Omit<sections.MirrorsConfig, "airGapped" | "siteDomains">;
    environment?: sections.Environment;
    /** Names of the cluster-wide objects. */
    names: Required<Pick<PlatformArgs, "caIssuerName" | "selfSignedIssuerName" | "loadBalancerPoolName">> & { storageClassNames: Record<StorageClassRole, string> };
    /** What the Platform needs from the cluster; values from other resources are passed on unchecked. */
    cluster: { kubeconfig: pulumi.Input<string>; controlPlanes: pulumi.Input<pulumi.Input<string>[]>; nodeCount: pulumi.Input<number> };
}

/** Parses and checks `args` as the stack config would, or throws a ComponentArgsError listing every problem. */
export function platformSettings(name: string, args: PlatformArgs): PlatformSettings {
    const { kubeconfig, controlPlanes, nodeCount, ...plain } = args;
    // Files are checked even when the shape is wrong, so one run reports every problem.
    const fileProblems = manifestFileProblems(wellFormedManifests(args.mirrors), projectFiles(pulumiProjectDirectory()), "platform.mirrors.manifests");
    const parsed = withProblems(fileProblems, () => parseArgs("Platform", name, platformArgs, { ...plain, ...plainOnly({ kubeconfig, controlPlanes, nodeCount }) }, "platform"));
    // The parsed cluster facts were only checked: the Inputs themselves go on, Outputs included.
    const { mirrors, environment, caIssuerName, selfSignedIssuerName, loadBalancerPoolName, storageClassNames, kubeconfig: _checkedKubeconfig, controlPlanes: _checkedControlPlanes, nodeCount: _checkedNodeCount, ...platform } = parsed;
    const names = { caIssuerName, selfSignedIssuerName, loadBalancerPoolName, storageClassNames };
    checkArgs("Platform", name, [
        // No cluster section: the rules that need one are left to the stack config (see PlatformArgs).
        ...platformProblems(platform, undefined, environment),
        ...virtualizationProblems(platform.virtualization, undefined),
        ...nameProblems(names),
        ...fileProblems,
    ]);
    return { platform, mirrors, environment, names, cluster: { kubeconfig, controlPlanes: controlPlanes ?? [], nodeCount: nodeCount ?? 1 } };
}

/** `parse()`, or its ComponentArgsError with `problems` added. */
function withProblems<T>(problems: Problem[], parse: () => T): T {
    try {
        return parse();
    } catch (error) {
        if (error instanceof ComponentArgsError) throw new ComponentArgsError(error.component, error.resourceName, [...error.problems, ...problems]);
        throw error;
    }
}

/** Two objects of one kind cannot share a name in a cluster. */
function nameProblems({ caIssuerName, selfSignedIssuerName: selfSigned, storageClassNames }: PlatformSettings["names"]): Problem[] {
    const problems: Problem[] = [];
    if (caIssuerName === selfSigned) problems.push({ path: "platform.caIssuerName", message: `"${caIssuerName}" is also selfSignedIssuerName; both are ClusterIssuers and need different names` });
    if (storageClassNames.local === storageClassNames.replicated) {
        problems.push({ path: "platform.storageClassNames.replicated", message: `"${storageClassNames.replicated}" is also storageClassNames.local; the two StorageClasses need different names` });
    }
    return problems;
}

/** The entries known now; a value from another resource is known only at deployment and is not checked. */
function plainOnly(inputs: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(inputs).filter(([, value]) => value !== undefined && !fromAnotherResource(value)));
}

function fromAnotherResource(value: unknown): boolean {
    if (Array.isArray(value)) return value.some(fromAnotherResource);
    return pulumi.Output.isInstance(value) || value instanceof Promise;
}
