import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { charts } from "../../infra/versions";
import { monitoringNamespace, monitoringValues, podMonitor, prometheusReleaseName, ScrapeTarget } from "./monitoringObjects";
import { ChartMirror, mirroredChart } from "./mirrors";
import { childOptions, privilegedNamespace, releaseArgs } from "./namespace";

export interface MonitoringArgs {
    /** Control-plane addresses of a Talos cluster (etcd, scheduler and controller-manager metrics); none for an existing cluster. */
    controlPlanes: pulumi.Input<pulumi.Input<string>[]>;
    /** Platform services to scrape, present only when they are switched on. */
    scrapeTargets: ScrapeTarget[];
    /** Where the pinned kube-prometheus-stack chart is fetched from instead of prometheus-community's repository. Default: its public repository. */
    chartMirror?: ChartMirror;
}

/**
 * kube-prometheus-stack in its own privileged namespace (node-exporter reads the host), and the
 * platform's monitors. The namespace `monitoring` and the release name are fixed: KubeVirt is
 * told where Prometheus runs by them (virtualization's monitoring settings).
 */
export class Monitoring extends pulumi.ComponentResource {
    /** The Helm values kube-prometheus-stack is installed with. */
    readonly values: pulumi.Output<Record<string, unknown>>;
    /** Prometheus is installed (its monitor CRDs exist) once this release is. */
    readonly prometheus: pulumi.Resource;

    constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ironcloud:platform:Monitoring", name, {}, opts);
        const namespace = privilegedNamespace(`${name}-namespace`, monitoringNamespace, childOptions(this, opts));
        this.values = pulumi.output(args.controlPlanes).apply((controlPlanes) => monitoringValues({ controlPlanes }));
        this.prometheus = new k8s.helm.v3.Release(`${name}-prometheus`, {
            ...releaseArgs(mirroredChart(charts.kubePrometheusStack, args.chartMirror), monitoringNamespace, this.values),
            name: prometheusReleaseName,
        }, childOptions(this, opts, [namespace]));
        for (const target of args.scrapeTargets) {
            new k8s.apiextensions.CustomResource(`${name}-${target.name}`, podMonitor(target), childOptions(this, opts, [this.prometheus]));
        }
        this.registerOutputs({ values: this.values, prometheus: this.prometheus });
    }
}
