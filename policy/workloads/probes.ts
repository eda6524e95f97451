import { resourcePolicy } from "../lib/policy";
import { containersOf, longRunningTypes, podSpecOf, subjectOf } from "./pods";

/** Without probes a hung container keeps receiving traffic and is never restarted. */
export const workloadProbes = resourcePolicy({
    name: "workload-probes",
    description: "Every container of a long-running workload (Deployment, DaemonSet, StatefulSet) has liveness and readiness probes.",
    severity: "medium",
    remediationSteps: "Add livenessProbe and readinessProbe (httpGet, tcpSocket, grpc or exec) to every container; sidecar init containers (restartPolicy: Always) too.",
    validate: (args, report) => {
        if (!longRunningTypes.includes(args.type)) args.notApplicable("only long-running workloads need probes (not Jobs)");
        for (const { label, container, init } of containersOf(podSpecOf(args.type, args.props))) {
            if (init && container.restartPolicy !== "Always") continue; // runs to completion before the pod starts
            const missing = [...(container.livenessProbe ? [] : ["livenessProbe"]), ...(container.readinessProbe ? [] : ["readinessProbe"])];
            if (missing.length > 0) report(`${subjectOf(args)} ${label} has no ${missing.join(" or ")}; add ${missing.join(" and ")} so Kubernetes can restart it and route traffic only to ready pods.`);
        }
    },
});
