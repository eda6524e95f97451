import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { charts } from "../../infra/versions";
import { MonitoringInput, monitoringNamespace, monitoringValues, podMonitor, prometheusReleaseName, ScrapeTarget } from "./monitoringObjects";
import { childOptions, privilegedNamespace, releaseArgs } from "./namespace";

export interface MonitoringArgs extends MonitoringInput {
    /** Platform services to scrape, present only when they are switched on. */
    scrapeTargets: ScrapeTarget[];
}

/** kube-prometheus-stack in its own (privileged, for node-exporter) namespace, and the platform's monitors. */
export class Monitoring extends pulumi.ComponentResource {
    readonly values: Record<string, unknown>;

    constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ironcloud:platform:Monitoring", name, {}, opts);
        const namespace = privilegedNamespace(monitoringNamespace, childOptions(this, opts));
        this.values = monitoringValues(args);
        const release = new k8s.helm.v3.Release(`${name}-prometheus`, {
            ...releaseArgs(charts.kubePrometheusStack, monitoringNamespace, this.values),
            name: prometheusReleaseName,
        }, childOptions(this, opts, [namespace]));
        for (const target of args.scrapeTargets) {
            new k8s.apiextensions.CustomResource(`${name}-${target.name}`, podMonitor(target), childOptions(this, opts, [release]));
        }
        this.registerOutputs({});
    }
}
