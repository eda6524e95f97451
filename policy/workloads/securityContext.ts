import { resourcePolicy } from "../lib/policy";
import { containersOf, podSpecOf, subjectOf, workloadTypes } from "./pods";

/** The restricted Pod Security profile, checked on every container and init container. */
export const workloadSecurityContext = resourcePolicy({
    name: "workload-security-context",
    description: "Workload pods run as non-root on a read-only root filesystem, without privilege escalation, with all capabilities dropped and the RuntimeDefault seccomp profile, and use no host namespaces or hostPath volumes.",
    severity: "high",
    remediationSteps: "In the pod template set securityContext.runAsNonRoot: true (or runAsUser > 0) and seccompProfile.type: RuntimeDefault; on every container set readOnlyRootFilesystem: true, allowPrivilegeEscalation: false and capabilities.drop: [ALL]; remove hostNetwork/hostPID/hostIPC and hostPath volumes.",
    validate: (args, report) => {
        if (!workloadTypes.includes(args.type)) args.notApplicable("only Deployments, DaemonSets, StatefulSets, Jobs and CronJobs run pods");
        const subject = subjectOf(args);
        const pod = podSpecOf(args.type, args.props);
        const podContext = pod.securityContext ?? {};
        for (const field of ["hostNetwork", "hostPID", "hostIPC"] as const) {
            if (pod[field] === true) report(`${subject} sets ${field}: true; remove it so the pod keeps its own namespaces.`);
        }
        for (const volume of pod.volumes ?? []) {
            if (volume.hostPath) report(`${subject} mounts the hostPath volume "${volume.name}"; use a configMap, secret, emptyDir or persistent volume claim instead.`);
        }
        for (const { label, container } of containersOf(pod)) {
            const context = container.securityContext ?? {};
            const user = context.runAsUser ?? podContext.runAsUser;
            const nonRoot = context.runAsNonRoot ?? podContext.runAsNonRoot;
            if (user === 0 || !(nonRoot === true || (typeof user === "number" && user > 0))) {
                report(`${subject} ${label} may run as root; set securityContext.runAsNonRoot: true or a runAsUser above 0 (pod or container).`);
            }
            if (context.readOnlyRootFilesystem !== true) report(`${subject} ${label} has a writable root filesystem; set securityContext.readOnlyRootFilesystem: true and mount emptyDir volumes where it must write.`);
            if (context.privileged === true) report(`${subject} ${label} is privileged; remove securityContext.privileged.`);
            if (context.allowPrivilegeEscalation !== false) report(`${subject} ${label} allows privilege escalation; set securityContext.allowPrivilegeEscalation: false.`);
            if (!(context.capabilities?.drop ?? []).includes("ALL")) report(`${subject} ${label} does not drop all capabilities; set securityContext.capabilities.drop: [ALL] and add back only what it needs.`);
            const seccomp = context.seccompProfile?.type ?? podContext.seccompProfile?.type;
            if (seccomp !== "RuntimeDefault") report(`${subject} ${label} does not use the RuntimeDefault seccomp profile; set securityContext.seccompProfile.type: RuntimeDefault (pod or container).`);
        }
    },
});
