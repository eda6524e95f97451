import { chartVersion, exactVersionProblem } from "../lib/rules/versionRules";
import { resourcePolicy, types } from "../lib/policy";

/** A chart range or "latest" makes `pulumi up` install whatever was published last. */
export const helmChartsPinned = resourcePolicy({
    name: "helm-charts-pinned",
    description: "Helm releases name an exact chart version and never a development version.",
    severity: "high",
    remediationSteps: "Pin the chart to an exact version in infra/versions.ts (or the extra release's config) and remove devel.",
    validate: (args, report) => {
        if (args.type !== types.release) args.notApplicable("only Helm releases have chart versions");
        // The rule validation applies to platform.extraReleases[].version (policy/lib/rules/versionRules.ts).
        const version = String(args.props.version ?? "");
        const problem = exactVersionProblem(chartVersion, version);
        if (problem) report(`Helm release ${args.name} (chart ${args.props.chart}): version ${problem}.`);
        if (args.props.devel === true) report(`Helm release ${args.name} allows development chart versions (devel: true); remove it.`);
    },
});

/** Release manifests are fetched by URL: the URL itself must name the release. */
export const manifestsPinned = resourcePolicy({
    name: "manifests-pinned",
    description: "Manifests installed from a URL name an exact release (…/releases/download/vX.Y.Z/…), never latest.",
    severity: "high",
    remediationSteps: "Use the versioned release download URL (pinned in infra/versions.ts).",
    validate: (args, report) => {
        if (args.type !== types.configFile) args.notApplicable("only manifests from files or URLs");
        const file = String(args.props.file ?? "");
        if (!/^https?:\/\//.test(file)) args.notApplicable("a local file is versioned with the repository");
        if (/latest/i.test(file) || !/\/v\d+\.\d+\.\d+\//.test(file)) report(`Manifest ${args.name} is fetched from ${file}, which does not name an exact release.`);
    },
});
