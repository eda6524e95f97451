import { resourcePolicy } from "../lib/policy";
import { containersOf, podSpecOf, subjectOf, workloadTypes } from "./pods";

/** `a, b or c` */
const listOf = (items: string[]) => (items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`);
const present = (value: unknown) => value !== undefined && value !== null && value !== "";

/** Requests make scheduling honest; a memory limit keeps one pod from starving a node. */
export const workloadResources = resourcePolicy({
    name: "workload-resources",
    description: "Every container and init container of a workload requests CPU and memory and has a memory limit.",
    severity: "medium",
    remediationSteps: "Set resources.requests.cpu, resources.requests.memory and resources.limits.memory on every container.",
    validate: (args, report) => {
        if (!workloadTypes.includes(args.type)) args.notApplicable("only Deployments, DaemonSets, StatefulSets, Jobs and CronJobs run pods");
        for (const { label, container } of containersOf(podSpecOf(args.type, args.props))) {
            const { requests = {}, limits = {} } = container.resources ?? {};
            const missing = [
                ...(present(requests.cpu) ? [] : ["CPU request"]),
                ...(present(requests.memory) ? [] : ["memory request"]),
                ...(present(limits.memory) ? [] : ["memory limit"]),
            ];
            if (missing.length > 0) report(`${subjectOf(args)} ${label} has no ${listOf(missing)}; set resources.requests.cpu, resources.requests.memory and resources.limits.memory.`);
        }
    },
});
