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
 * version outside this range is refused before anything is applied to a node.
 */
export const supportedKubernetesMinors: Readonly<Record<string, { oldest: string; newest: string }>> = {
  "1.13": { oldest: "1.31", newest: "1.36" },
};

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
