import { Problem } from "./problem";
import { ClusterConfig, PlatformConfig } from "./sections";

/**
 * Rules of `platform.virtualization.provided` ("bring your own KubeVirt"): an existing cluster
 * may already run KubeVirt and CDI, and then ironcloud must neither install them nor configure
 * them. Each conflicting setting is reported on its own path, all at once.
 */
export function virtualizationProblems(virtualization: PlatformConfig["virtualization"], cluster: ClusterConfig | undefined): Problem[] {
    if (!virtualization.provided) return [];
    const problems: Problem[] = [];
    // Only a cluster ironcloud did not build can have KubeVirt already: a Talos cluster starts bare.
    if (cluster !== undefined && cluster.kubeconfig === undefined) {
        problems.push({
            path: "platform.virtualization.provided",
            message: "is only allowed for an existing cluster (cluster.kubeconfig): a Talos cluster ironcloud builds has no KubeVirt or CDI unless ironcloud installs them; remove provided (default false)",
        });
    }
    if (!virtualization.enabled) {
        problems.push({
            path: "platform.virtualization.provided",
            message: "says the cluster runs KubeVirt and CDI, but platform.virtualization.enabled is false (no VMs on this cluster); remove one of the two",
        });
    }
    // Emulation is a field of the KubeVirt CR ironcloud installs; a provided KubeVirt is configured by its owner.
    if (virtualization.emulation) {
        problems.push({
            path: "platform.virtualization.emulation",
            message: "configures the KubeVirt ironcloud installs and cannot be combined with platform.virtualization.provided: true; remove it and set spec.configuration.developerConfiguration.useEmulation in the cluster's own KubeVirt CR",
        });
    }
    return problems;
}
