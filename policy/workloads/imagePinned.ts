import { resourcePolicy } from "../lib/policy";
import { imagePinProblem } from "../lib/rules/imageRules";
import { containersOf, podSpecOf, subjectOf, workloadTypes } from "./pods";

/** An image without a tag, or tagged latest, changes under the cluster without a change to the program. */
export const workloadImagePinned = resourcePolicy({
    name: "workload-image-pinned",
    description: "Every container image names an explicit tag other than latest, or a digest (@sha256:…).",
    severity: "high",
    remediationSteps: "Pin every image to a released version tag (repo:1.2.3) or a digest (repo@sha256:…); never latest.",
    validate: (args, report) => {
        if (!workloadTypes.includes(args.type)) args.notApplicable("only Deployments, DaemonSets, StatefulSets, Jobs and CronJobs run images");
        for (const { label, container } of containersOf(podSpecOf(args.type, args.props))) {
            const image = typeof container.image === "string" ? container.image : "";
            if (image === "") { report(`${subjectOf(args)} ${label} names no image; set image to a pinned reference (repo:1.2.3 or repo@sha256:…).`); continue; }
            // The rule validation applies to access.image (policy/lib/rules/imageRules.ts).
            const problem = imagePinProblem(image);
            if (problem) report(`${subjectOf(args)} ${label} ${problem}.`);
        }
    },
});
