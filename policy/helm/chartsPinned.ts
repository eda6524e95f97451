import * as k8s from "@pulumi/kubernetes";
import { resourcePolicyOfType } from "../lib/policy";
import { chartVersion, exactVersionProblem } from "../lib/rules/versionRules";

/** A chart range or "latest" makes `pulumi up` install whatever was published last. */
export const helmChartsPinned = resourcePolicyOfType(k8s.helm.v3.Release, {
    name: "helm-charts-pinned",
    description: "Helm releases name an exact chart version and never a development version.",
    severity: "high",
    remediationSteps: "Pin the chart to an exact version in infra/versions.ts (or the extra release's config) and remove devel.",
    validate: (release, args, report) => {
        // The rule validation applies to platform.extraReleases[].version (policy/lib/rules/versionRules.ts).
        const version = String(release.version ?? "");
        const problem = exactVersionProblem(chartVersion, version);
        if (problem) report(`Helm release ${args.name} (chart ${release.chart}): version ${problem}.`);
        if (release.devel === true) report(`Helm release ${args.name} allows development chart versions (devel: true); remove it.`);
    },
});

/** Release manifests are fetched by URL: the URL itself must name the release. */
export const manifestsPinned = resourcePolicyOfType(k8s.yaml.v2.ConfigFile, {
    name: "manifests-pinned",
    description: "Manifests installed from a URL name an exact release (…/releases/download/vX.Y.Z/…), never latest.",
    severity: "high",
    remediationSteps: "Use the versioned release download URL (pinned in infra/versions.ts).",
    validate: (manifest, args, report) => {
        const file = String(manifest.file ?? "");
        if (!/^https?:\/\//.test(file)) args.notApplicable("a local file is versioned with the repository");
        if (/latest/i.test(file) || !/\/v\d+\.\d+\.\d+\//.test(file)) report(`Manifest ${args.name} is fetched from ${file}, which does not name an exact release.`);
    },
});
