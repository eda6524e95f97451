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

/**
 * What Talos v1.13.9 pulls besides the installer and `kubernetesImages` (siderolabs/talos
 * v1.13.9 pkg/images/list.go and pkg/machinery/constants: DefaultEtcdVersion, CoreDNSImage and
 * DefaultCoreDNSVersion, DefaultSandboxImage). kube-proxy and flannel are pulled only when
 * enabled; ironcloud disables both (Cilium replaces them).
 */
export const talosImages = {
    etcd: "registry.k8s.io/etcd:v3.6.12",
    coreDns: "registry.k8s.io/coredns/coredns:v1.14.6",
    pause: "registry.k8s.io/pause:3.10.1",
} as const;

/**
 * What builds Talos boot assets, tagged with the Talos version: a self-hosted Image Factory pulls
 * these (image-factory hack/copy-artifacts.sh), and so does a local imager build (talos
 * pkg/images ListSourcesFor). The extensions catalog's `image-digests` file lists every extension
 * image with its digest.
 */
export const talosBuildRepositories = {
    imager: "ghcr.io/siderolabs/imager",
    installerBase: "ghcr.io/siderolabs/installer-base",
    extensionsCatalog: "ghcr.io/siderolabs/extensions",
} as const;

/**
 * System extension images per Talos release (siderolabs/extensions at the same tag:
 * `<name>/vars.yaml` VERSION with Pkgfile, firmware/ and guest-agents/vars.yaml; kernel modules carry
 * `-<Talos version>`). Pinned by tag; the catalog above has the digests. An extension (or a Talos
 * version) missing here is named in the plan, for the user to fill in.
 */
export const extensionImages: Readonly<Record<string, Readonly<Record<string, string>>>> = {
    [talosVersion]: {
        "siderolabs/drbd": "ghcr.io/siderolabs/drbd:9.3.3-v1.13.9",
        "siderolabs/zfs": "ghcr.io/siderolabs/zfs:2.4.3-v1.13.9",
        "siderolabs/intel-ucode": "ghcr.io/siderolabs/intel-ucode:20260812",
        "siderolabs/amd-ucode": "ghcr.io/siderolabs/amd-ucode:20260810",
        "siderolabs/iscsi-tools": "ghcr.io/siderolabs/iscsi-tools:v0.2.0",
        "siderolabs/qemu-guest-agent": "ghcr.io/siderolabs/qemu-guest-agent:11.0.2",
    },
};

/**
 * Images the pinned platform releases pull with the values ironcloud sets, for the list of
 * artifacts to mirror. Only images a source confirmed are here; `unconfirmedImages` says what
 * is missing and how to read it off the release.
 */
export const platformImages = {
    /** Cilium v1.19.6 release notes, "Docker Manifests" (the chart pins by digest); cilium-envoy: the v1.19 tag those notes bump to. */
    cilium: [
        "quay.io/cilium/cilium:v1.19.6@sha256:0df5b2750b64c49843aba1d649e9eaf61467cb0645ad3171db6f6962c095ac92",
        "quay.io/cilium/operator-generic:v1.19.6@sha256:0db4ca4e06969d8904ee036617795d0e9c3228cf7b8d902ba74fc2bb98d2d665",
        "quay.io/cilium/cilium-envoy:v1.36.9-1782267392-edeb3f2af56c37c407efa1f63f0b32f595399bbc",
    ],
    /** Same release notes; only with `networking.hubble`. */
    hubble: ["quay.io/cilium/hubble-relay:v1.19.6@sha256:6782a49e3f28eba015701c4410a5ec7fa096fe9a562f879b4372dbecd827ea44"],
    /** cert-manager chart: image repositories quay.io/jetstack/cert-manager-<component>, tag = appVersion (acmesolver only for ACME issuers, which ironcloud has none of). */
    certManager: ["controller", "webhook", "cainjector", "startupapicheck"].map((c) => `quay.io/jetstack/cert-manager-${c}:${charts.certManager.version}`),
    /**
     * Piraeus operator v2.10.7: the operator (release manifest) and, from its image config
     * (piraeus-operator-image-config), LINSTOR v1.33.3 for controller and satellites and
     * LINSTOR CSI v1.11.2. No module loader or shutdown guard: ironcloud removes both on Talos.
     */
    storage: [
        `quay.io/piraeusdatastore/piraeus-operator:v${charts.piraeus.version}`,
        "quay.io/piraeusdatastore/piraeus-server:v1.33.3",
        "quay.io/piraeusdatastore/piraeus-csi:v1.11.2",
    ],
    /**
     * kube-prometheus-stack 88.5.3 with ironcloud's values (monitoringObjects.ts sets no image and
     * leaves Grafana, kube-state-metrics, node-exporter and the admission webhook patch job on), read
     * at prometheus-community/helm-charts tag kube-prometheus-stack-88.5.3,
     * charts/kube-prometheus-stack: Chart.yaml appVersion v0.93.1 is the tag of the operator and
     * its config reloader (values prometheusOperator.image / prometheusConfigReloader.image leave it
     * empty); values prometheus.prometheusSpec.image, alertmanager.alertmanagerSpec.image and
     * prometheusOperator.admissionWebhooks.patch.image. Off by default there, so not listed:
     * the webhook Deployment (admission-webhook), Thanos, the CRD upgrade job, windows-exporter.
     */
    monitoring: [
        "quay.io/prometheus-operator/prometheus-operator:v0.93.1",
        "quay.io/prometheus-operator/prometheus-config-reloader:v0.93.1",
        "quay.io/prometheus/prometheus:v3.14.0-distroless",
        "quay.io/prometheus/alertmanager:v0.34.0",
        "ghcr.io/jkroepke/kube-webhook-certgen:1.8.7",
        /** Subchart kube-state-metrics 8.4.0 (tag kube-state-metrics-8.4.0, charts/kube-state-metrics: values image, tag v + appVersion 2.20.0). */
        "registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.20.0",
        /** Subchart prometheus-node-exporter 4.56.1 (tag prometheus-node-exporter-4.56.1: values image, tag v + appVersion 1.12.1); kube-prometheus-stack sets image.distroless. */
        "quay.io/prometheus/node-exporter:v1.12.1-distroless",
        /**
         * Subchart grafana 12.11.1 from grafana-community/helm-charts (tag grafana-12.11.1,
         * charts/grafana: values image, tag = appVersion 13.2.0; sidecar.image, for the dashboards
         * and datasources sidecars kube-prometheus-stack enables). Not pulled: the chown init
         * container (persistence is off), the dashboard downloader (no `dashboards`), the image
         * renderer (off) and bats (a `helm test` hook, which a Helm install does not run).
         */
        "docker.io/grafana/grafana:13.2.0",
        "quay.io/kiwigrid/k8s-sidecar:2.10.1",
    ],
    /** KubeVirt release images (quay.io/kubevirt/<component>:<release>) named in kubevirt-operator.yaml. */
    kubevirt: ["virt-operator", "virt-api", "virt-controller", "virt-handler", "virt-launcher"].map((c) => `quay.io/kubevirt/${c}:${kubevirtVersion}`),
    /** CDI release images named in cdi-operator.yaml. */
    cdi: ["cdi-operator", "cdi-controller", "cdi-apiserver", "cdi-uploadproxy", "cdi-uploadserver", "cdi-importer", "cdi-cloner"].map((c) => `quay.io/kubevirt/${c}:${cdiVersion}`),
} as const;

/**
 * Images of the pinned releases no source confirmed yet: the plan prints these instead of guessing.
 * hubble: the cilium repository at tag v1.19.6 could not be read (too large to mirror here; the
 * stored values.yaml is not that tag's). storage: the piraeus-operator mirror ends at v2.6.0 and the
 * stored image config is an older release (LINSTOR v1.32.3), not v2.10.7's.
 */
export const unconfirmedImages = {
    hubble: "hubble-ui frontend and backend (their tags and digests are in the cilium 1.19.6 chart's values.yaml, hubble.ui.frontend.image and hubble.ui.backend.image, at tag v1.19.6)",
    storage: "drbd-reactor, ktls-utils, the HA and affinity controllers and the CSI sidecars (csi-attacher, csi-livenessprobe, csi-node-driver-registrar, csi-provisioner, csi-resizer, csi-snapshotter): piraeus-operator v2.10.7 config/manager/0_piraeus_datastore_images.yaml and 0_sig_storage_images.yaml",
} as const;
