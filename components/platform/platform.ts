import * as pulumi from "@pulumi/pulumi";
import { CertManager } from "./certManager";
import { Extras } from "./extras";
import { Monitoring } from "./monitoring";
import { platformScrapeTargets, prometheusServiceAccount, monitoringNamespace } from "./monitoringObjects";
import { childOptions } from "./namespace";
import { Networking } from "./networking";
import { PlatformArgs, platformSettings } from "./platformArgs";
import { Storage } from "./storage";
import { StorageClassRole } from "./storageObjects";
import { Virtualization } from "./virtualization";

export { PlatformArgs, PlatformSection } from "./platformArgs";

/**
 * The services that make a bare cluster a platform. Cilium comes first (nodes are NotReady
 * without a CNI); cert-manager, storage, virtualization and monitoring then install in parallel,
 * each waiting only for what it really uses. Every child waits for the `dependsOn` given here.
 * Resources reach the cluster through the `provider` option; throws a ComponentArgsError listing
 * every problem in `args`.
 */
export class Platform extends pulumi.ComponentResource {
    /** Cilium; absent when networking is off (the cluster keeps its own CNI). */
    readonly networking?: Networking;
    /** cert-manager and the CA issuer; absent when certManager is off. */
    readonly certManager?: CertManager;
    /** LINSTOR and its StorageClasses; absent when storage is off. */
    readonly storage?: Storage;
    /** KubeVirt and CDI (readiness in `kubevirt` and `cdi`); absent when virtualization is off or provided by the cluster (virtualization.provided). */
    readonly virtualization?: Virtualization;
    /** kube-prometheus-stack; absent when monitoring is off. */
    readonly monitoring?: Monitoring;
    /** The site's releases and manifests; absent when there are none. */
    readonly extras?: Extras;
    /** Name of the CA ClusterIssuer (whether or not cert-manager is on). */
    readonly caIssuerName: string;
    /** Name of the LoadBalancer pool and its L2 announcement policy. */
    readonly loadBalancerPoolName: string;
    /** Names of the StorageClasses by role (whether or not storage is on). */
    readonly storageClassNames: Record<StorageClassRole, string>;

    constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        const { platform, mirrors, environment, names, cluster } = platformSettings(name, args);
        super("ironcloud:platform:Platform", name, { environment, platform }, opts);
        this.caIssuerName = names.caIssuerName;
        this.loadBalancerPoolName = names.loadBalancerPoolName;
        this.storageClassNames = names.storageClassNames;

        if (platform.networking.enabled) {
            this.networking = new Networking(`${name}-networking`, {
                nodeCount: cluster.nodeCount,
                hubble: platform.networking.hubble,
                wireguard: platform.networking.encryption === "wireguard",
                monitoring: platform.monitoring.enabled,
                loadBalancerIPs: platform.loadBalancerIPs,
                loadBalancerPoolName: names.loadBalancerPoolName,
                kubeconfig: cluster.kubeconfig,
                chartMirror: mirrors.charts.cilium,
            }, childOptions(this, opts));
        }
        const afterNetwork = childOptions(this, opts, this.networking ? [this.networking.cilium] : []);

        if (platform.certManager.enabled) this.certManager = new CertManager(`${name}-cert-manager`, { ...names, chartMirror: mirrors.charts.certManager }, afterNetwork);
        if (platform.storage.enabled && this.certManager) {
            this.storage = new Storage(`${name}-storage`, {
                ...platform.storage,
                classNames: names.storageClassNames,
                caIssuer: this.certManager.caIssuer,
                caIssuerName: names.caIssuerName,
                chartMirror: mirrors.charts.piraeus,
            }, afterNetwork);
        }
        // A cluster that provides KubeVirt and CDI itself gets neither from us: two operators would fight over them.
        if (platform.virtualization.enabled && !platform.virtualization.provided) {
            this.virtualization = new Virtualization(`${name}-virtualization`, {
                emulation: platform.virtualization.emulation,
                monitoring: platform.monitoring.enabled ? { namespace: monitoringNamespace, account: prometheusServiceAccount } : undefined,
                scratchStorageClass: this.storage ? names.storageClassNames.local : undefined,
                manifestMirrors: mirrors.manifests,
            }, afterNetwork);
        }
        if (platform.monitoring.enabled) {
            this.monitoring = new Monitoring(`${name}-monitoring`, {
                controlPlanes: cluster.controlPlanes,
                scrapeTargets: [
                    ...(this.networking ? platformScrapeTargets.networking : []),
                    ...(this.certManager ? platformScrapeTargets.certManager : []),
                    ...(this.storage ? platformScrapeTargets.storage : []),
                ],
                chartMirror: mirrors.charts.kubePrometheusStack,
            }, afterNetwork);
        }
        if (platform.extraReleases.length + platform.extraObjects.length > 0) this.extras = new Extras(`${name}-extras`, platform, afterNetwork);
        this.registerOutputs({
            networking: this.networking,
            certManager: this.certManager,
            storage: this.storage,
            virtualization: this.virtualization,
            monitoring: this.monitoring,
            extras: this.extras,
            caIssuerName: this.caIssuerName,
            loadBalancerPoolName: this.loadBalancerPoolName,
            storageClassNames: this.storageClassNames,
        });
    }
}
