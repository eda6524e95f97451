/**
 * Every version ironcloud pins, in one place. Change a version here only after confirming it
 * upstream (release notes, support matrix); the tests read the same constants.
 */

/** Talos Linux release installed on every node (siderolabs/talos releases). */
export const talosVersion = "v1.13.9";

/** Kubernetes release Talos v1.13.9 installs by default (Talos support matrix). */
export const kubernetesVersion = "1.36.3";

/**
 * Kubernetes minors each Talos minor supports (Talos "support matrix" page). A Kubernetes
 * version outside this range is refused before anything is applied to a node. Kept in the
 * policy pack, which is published on its own and judges stacks by the same table.
 */
export { supportedKubernetesMinors } from "../policy/lib/rules/supportMatrix";

/** Image Factory: schematics, installer images and boot assets for Talos. */
export const imageFactory = {
  host: "factory.talos.dev",
  pxeHost: "pxe.factory.talos.dev",
} as const;

/** The default architecture of boot assets; per-stack override in `cluster.architecture`. */
export const defaultArchitecture = "amd64";

/** Kubernetes component images; the tag is always `v<cluster.kubernetesVersion>`. */
export const kubernetesImages = {
    kubelet: "ghcr.io/siderolabs/kubelet",
    apiServer: "registry.k8s.io/kube-apiserver",
    controllerManager: "registry.k8s.io/kube-controller-manager",
    scheduler: "registry.k8s.io/kube-scheduler",
    proxy: "registry.k8s.io/kube-proxy",
} as const;

/**
 * Platform releases. Helm charts are pinned to exact versions from their upstream
 * repositories; KubeVirt and CDI have no official chart and are pinned by release manifest URL.
 */
export const charts = {
    /** Newest 1.19 patch (helm.cilium.io index, 2026-07). */
    cilium: { repository: "https://helm.cilium.io/", chart: "cilium", version: "1.19.6" },
    /** Newest 1.20 patch (cert-manager tags, 2026-06); the chart version carries the v. */
    certManager: { repository: "https://charts.jetstack.io", chart: "cert-manager", version: "v1.20.3" },
    /** Piraeus operator; the chart is published only as an OCI artifact, chart version = operator version. */
    piraeus: { repository: undefined, chart: "oci://ghcr.io/piraeusdatastore/piraeus-operator/piraeus", version: "2.10.7" },
    /** kube-prometheus-stack (prometheus-community Chart.yaml, 2026-08). */
    kubePrometheusStack: { repository: "https://prometheus-community.github.io/helm-charts", chart: "kube-prometheus-stack", version: "88.5.3" },
} as const;

export type ChartPin = (typeof charts)[keyof typeof charts];

/** KubeVirt v1.8.4 (v1.7.x has a live-migration regression) and the CDI release it is built against. */
export const kubevirtVersion = "v1.8.4";
export const cdiVersion = "v1.64.0";

export const manifests = {
    kubevirtOperator: `https://github.com/kubevirt/kubevirt/releases/download/${kubevirtVersion}/kubevirt-operator.yaml`,
    cdiOperator: `https://github.com/kubevirt/containerized-data-importer/releases/download/${cdiVersion}/cdi-operator.yaml`,
} as const;

/**
 * The jump host's sshd: panubo/sshd (Alpine 3.22, OpenSSH 10.0p1, sshd at /usr/sbin/sshd, no
 * PAM). Its entrypoint edits files at start, so the Deployment runs sshd directly instead.
 */
export const jumpHostImage = "quay.io/panubo/sshd:1.10.0";
