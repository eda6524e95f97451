import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PlatformConfig } from "../../infra/config";
import { extraObjectId } from "../../infra/validation/sections";
import { DeclaredObject, declaredObject } from "../declaredObjects";
import { childOptions } from "./namespace";

export interface ExtrasArgs {
    /** Helm releases, each named `<name>-<release name>` in Pulumi; names unique (Platform checks them). */
    extraReleases: PlatformConfig["extraReleases"];
    /** Manifests, each named `<name>-<kind>-<namespace>-<name>` in Pulumi (extraObjectId); unique (Platform checks them). */
    extraObjects: PlatformConfig["extraObjects"];
}

/**
 * What a site adds beyond ironcloud's own services: Helm releases and plain manifests from
 * `platform.extraReleases` / `platform.extraObjects`. They install after the CNI like everything
 * else, and the policy pack checks them exactly as it checks ironcloud's own resources.
 */
export class Extras extends pulumi.ComponentResource {
    /** The site's objects as declared: stack policies read them while the engine has no outputs yet. */
    readonly kubernetesObjects: DeclaredObject[] = [];
    /** The site's Helm releases, installed once each is. */
    readonly releases: pulumi.Resource[];

    constructor(name: string, args: ExtrasArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ironcloud:platform:Extras", name, {}, opts);
        this.releases = args.extraReleases.map((release) =>
            new k8s.helm.v3.Release(`${name}-${release.name}`, {
                name: release.name,
                chart: release.chart,
                version: release.version,
                ...(release.repository ? { repositoryOpts: { repo: release.repository } } : {}),
                namespace: release.namespace,
                createNamespace: true,
                values: release.values,
                atomic: true,
                timeout: 900,
            }, childOptions(this, opts)));
        for (const object of args.extraObjects) {
            const { apiVersion, kind } = object;
            // Named as validation checks them for clashes (extraObjectId), so names are unique.
            const id = extraObjectId(object);
            // The provider's own token for the kind, so policies see a Deployment as a Deployment.
            this.kubernetesObjects.push(declaredObject(`${name}-${id}`, apiVersion, kind, object));
            new KubernetesObject(kubernetesType(apiVersion, kind), `${name}-${id}`, { ...object }, childOptions(this, opts));
        }
        this.registerOutputs({ kubernetesObjects: this.kubernetesObjects, releases: this.releases });
    }
}

/** `v1` + `Service` → `kubernetes:core/v1:Service`; `apps/v1` + `Deployment` → `kubernetes:apps/v1:Deployment`. */
export function kubernetesType(apiVersion: string, kind: string): string {
    return `kubernetes:${apiVersion.includes("/") ? apiVersion : `core/${apiVersion}`}:${kind}`;
}

/** Any Kubernetes object under the provider's token for its kind (what the typed classes do). */
class KubernetesObject extends pulumi.CustomResource {
    constructor(type: string, name: string, props: pulumi.Inputs, opts: pulumi.CustomResourceOptions) {
        super(type, name, props, opts);
    }
}
