/**
 * kube-prometheus-stack, scraping every ServiceMonitor/PodMonitor in the cluster, plus the
 * monitors for the platform services whose charts cannot declare them (their releases install
 * before the monitoring CRDs exist).
 */
export const monitoringNamespace = "monitoring";
export const prometheusReleaseName = "kube-prometheus-stack";
export const prometheusServiceAccount = `${prometheusReleaseName}-prometheus`;

export interface MonitoringInput {
    /** Control-plane addresses of a Talos cluster (etcd, scheduler and controller-manager metrics); none for an existing cluster. */
    controlPlanes: string[];
}

export function monitoringValues({ controlPlanes }: MonitoringInput): Record<string, unknown> {
    const onControlPlanes = (extra: Record<string, unknown> = {}) =>
        controlPlanes.length > 0 ? { enabled: true, endpoints: controlPlanes, ...extra } : { enabled: false };
    return {
        prometheus: {
            prometheusSpec: {
                serviceMonitorSelectorNilUsesHelmValues: false,
                podMonitorSelectorNilUsesHelmValues: false,
                ruleSelectorNilUsesHelmValues: false,
                probeSelectorNilUsesHelmValues: false,
                scrapeConfigSelectorNilUsesHelmValues: false,
                retention: "15d",
            },
        },
        // Cilium replaces kube-proxy; etcd is not a pod on Talos, so it is scraped by address.
        kubeProxy: { enabled: false },
        kubeEtcd: onControlPlanes({ service: { enabled: true, port: 2381, targetPort: 2381 } }),
        kubeControllerManager: onControlPlanes(),
        kubeScheduler: onControlPlanes(),
    };
}

/** Pods a PodMonitor (named `name`, in the monitoring namespace) scrapes: by labels, in `namespace`, on `port` at /metrics. */
export interface ScrapeTarget {
    name: string;
    namespace: string;
    matchLabels: Record<string, string>;
    port: number;
}

export const platformScrapeTargets: Record<"networking" | "certManager" | "storage", ScrapeTarget[]> = {
    networking: [
        { name: "cilium-agent", namespace: "kube-system", matchLabels: { "k8s-app": "cilium" }, port: 9962 },
        { name: "cilium-operator", namespace: "kube-system", matchLabels: { "io.cilium/app": "operator" }, port: 9963 },
    ],
    certManager: [
        { name: "cert-manager", namespace: "cert-manager", matchLabels: { "app.kubernetes.io/name": "cert-manager", "app.kubernetes.io/component": "controller" }, port: 9402 },
    ],
    storage: [
        { name: "linstor-satellite", namespace: "piraeus-datastore", matchLabels: { "app.kubernetes.io/component": "linstor-satellite" }, port: 9942 },
    ],
};

export function podMonitor({ name, namespace, matchLabels, port }: ScrapeTarget) {
    return {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PodMonitor",
        metadata: { name, namespace: monitoringNamespace },
        spec: {
            namespaceSelector: { matchNames: [namespace] },
            selector: { matchLabels },
            podMetricsEndpoints: [{ portNumber: port, path: "/metrics", interval: "30s" }],
        },
    };
}
