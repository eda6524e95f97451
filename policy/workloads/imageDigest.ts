import { environmentOf, resourcePolicy } from "../lib/policy";
import { hasDigest } from "../lib/rules/imageRules";
import { containersOf, podSpecOf, subjectOf, workloadTypes } from "./pods";

/** A tag can be re-pushed; in production only a digest names exactly the image that was tested. */
export const workloadImageDigest = resourcePolicy({
    name: "workload-image-digest",
    description: "In prod, every container image is pinned by digest (repo:tag@sha256:…).",
    severity: "medium",
    remediationSteps: "Resolve the tested image's digest (crane digest repo:tag or docker buildx imagetools inspect) and append it: repo:tag@sha256:<digest>.",
    validate: (args, report) => {
        if (!workloadTypes.includes(args.type)) args.notApplicable("only Deployments, DaemonSets, StatefulSets, Jobs and CronJobs run images");
        if (environmentOf(args) !== "prod") args.notApplicable("digests are required in prod only");
        for (const { label, container } of containersOf(podSpecOf(args.type, args.props))) {
            const image = typeof container.image === "string" ? container.image : "";
            if (!hasDigest(image)) report(`${subjectOf(args)} ${label} image "${image}" is not pinned by digest; append @sha256:<digest> of the tested image (repo:tag@sha256:…).`);
        }
    },
});
