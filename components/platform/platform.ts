import * as pulumi from "@pulumi/pulumi";
import { CloudSpec } from "../../infra/config";
import { CertManager } from "./certManager";
import { Extras } from "./extras";
import { Monitoring } from "./monitoring";
import { platformScrapeTargets, prometheusServiceAccount, monitoringNamespace } from "./monitoringObjects";
import { Networking } from "./networking";
import { Storage } from "./storage";
import { Virtualization } from "./virtualization";

export interface PlatformArgs {
    spec: CloudSpec;
    kubeconfig: pulumi.Input<string>;
}

/**
 * The services that make a bare cluster a platform. Cilium comes first (nodes are NotReady
 * without a CNI); cert-manager, storage, virtualization and monitoring then install in parallel,
 * each waiting only for what it really uses.
 */
export class Platform extends pulumi.ComponentResource {
    readonly networking?: Networking;
    readonly certManager?: CertManager;
    readonly storage?: Storage;
    /** Absent when virtualization is off or provided by the cluster (platform.virtualization.provided). */
    readonly virtualization?: Virtualization;
    readonly monitoring?: Monitoring;

    constructor(name: string, { spec, kubeconfig }: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ironcloud:platform:Platform", name, { environment: spec.environment, platform: spec.platform }, opts);
        const { platform, cluster } = spec;
        const nodes = cluster.nodes ?? [];
        const controlPlanes = nodes.filter((n) => n.role === "controlplane").map((n) => n.address);

        if (platform.networking.enabled) {
            this.networking = new Networking(`${name}-networking`, {
                nodeCount: nodes.length,
                hubble: platform.networking.hubble,
                wireguard: platform.networking.encryption === "wireguard",
                monitoring: platform.monitoring.enabled,
                loadBalancerIPs: platform.loadBalancerIPs,
                kubeconfig,
            }, { parent: this });
        }
        const afterNetwork = { parent: this, dependsOn: this.networking ? [this.networking.cilium] : [] };

        if (platform.certManager.enabled) this.certManager = new CertManager(`${name}-cert-manager`, afterNetwork);
        if (platform.storage.enabled && this.certManager) {
            this.storage = new Storage(`${name}-storage`, { storage: platform.storage, caIssuer: this.certManager.caIssuer }, afterNetwork);
        }
        // A cluster that provides KubeVirt and CDI itself gets neither from us: two operators would fight over them.
        if (platform.virtualization.enabled && !platform.virtualization.provided) {
            this.virtualization = new Virtualization(`${name}-virtualization`, {
                emulation: platform.virtualization.emulation,
                monitoring: platform.monitoring.enabled ? { namespace: monitoringNamespace, account: prometheusServiceAccount } : undefined,
                scratchStorageClass: this.storage ? "local" : undefined,
            }, afterNetwork);
        }
        if (platform.monitoring.enabled) {
            this.monitoring = new Monitoring(`${name}-monitoring`, {
                controlPlanes,
                scrapeTargets: [
                    ...(this.networking ? platformScrapeTargets.networking : []),
                    ...(this.certManager ? platformScrapeTargets.certManager : []),
                    ...(this.storage ? platformScrapeTargets.storage : []),
                ],
            }, afterNetwork);
        }
        if (platform.extraReleases.length + platform.extraObjects.length > 0) new Extras(`${name}-extras`, platform, afterNetwork);
        this.registerOutputs({});
    }
}
