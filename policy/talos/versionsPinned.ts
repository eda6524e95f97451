import { supportedKubernetesMinors } from "../../infra/versions";
import { resourcePolicy, types } from "../lib/policy";

const minorOf = (version: string) => version.replace(/^v/, "").split(".").slice(0, 2).join(".");
const compare = (a: string, b: string) => {
    const [x, y] = [a.split(".").map(Number), b.split(".").map(Number)];
    return x[0] - y[0] || x[1] - y[1];
};

/** Exact releases only, and a Kubernetes the Talos release supports. */
export const talosVersionsPinned = resourcePolicy({
    name: "talos-versions-pinned",
    description: "Talos and Kubernetes versions are exact releases, and Kubernetes is within the skew the Talos release supports.",
    severity: "high",
    remediationSteps: "Set cluster.talosVersion (vX.Y.Z) and cluster.kubernetesVersion (X.Y.Z) to exact releases from the Talos support matrix.",
    validate: (args, report) => {
        if (args.type !== types.talosCluster) args.notApplicable("only Talos clusters have Talos versions");
        const { talosVersion, kubernetesVersion } = args.props as { talosVersion: string; kubernetesVersion: string };
        if (!/^v\d+\.\d+\.\d+$/.test(talosVersion)) report(`${args.name}: Talos version "${talosVersion}" is not an exact release (vX.Y.Z).`);
        if (!/^\d+\.\d+\.\d+$/.test(kubernetesVersion)) report(`${args.name}: Kubernetes version "${kubernetesVersion}" is not an exact release (X.Y.Z).`);
        const support = supportedKubernetesMinors[minorOf(talosVersion)];
        if (!support) {
            report(`${args.name}: Talos ${talosVersion} is not a release this pack knows the Kubernetes support of.`);
        } else if (compare(minorOf(kubernetesVersion), support.oldest) < 0 || compare(minorOf(kubernetesVersion), support.newest) > 0) {
            report(`${args.name}: Kubernetes ${kubernetesVersion} is outside what Talos ${talosVersion} supports (${support.oldest} to ${support.newest}).`);
        }
    },
});
