import { exactVersionProblem, kubernetesRelease, talosRelease, talosSkewProblem } from "../lib/rules/versionRules";
import { resourcePolicy, types } from "../lib/policy";

/** Exact releases only, and a Kubernetes the Talos release supports: the rules validation applies to the cluster config. */
export const talosVersionsPinned = resourcePolicy({
    name: "talos-versions-pinned",
    description: "Talos and Kubernetes versions are exact releases, and Kubernetes is within the skew the Talos release supports.",
    severity: "high",
    remediationSteps: "Set cluster.talosVersion (vX.Y.Z) and cluster.kubernetesVersion (X.Y.Z) to exact releases from the Talos support matrix.",
    validate: (args, report) => {
        if (args.type !== types.talosCluster) args.notApplicable("only Talos clusters have Talos versions");
        const { talosVersion, kubernetesVersion } = args.props as { talosVersion: string; kubernetesVersion: string };
        const inexact = [
            ["talosVersion", exactVersionProblem(talosRelease, talosVersion)],
            ["kubernetesVersion", exactVersionProblem(kubernetesRelease, kubernetesVersion)],
        ].filter(([, problem]) => problem !== undefined);
        for (const [field, problem] of inexact) report(`${args.name}: ${field} ${problem}.`);
        if (inexact.length > 0) return;
        const skew = talosSkewProblem(talosVersion, kubernetesVersion);
        if (skew) report(`${args.name}: ${skew.message}.`);
    },
});
