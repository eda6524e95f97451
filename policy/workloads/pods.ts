import { types } from "../lib/policy";

/**
 * What the workload policies read from a Deployment, DaemonSet, StatefulSet, Job or CronJob as
 * the program declares it: the pod template's spec and its containers, each with a label
 * ("container \"sshd\"", "init container \"setup\"") for messages.
 */

export const cronJobType = "kubernetes:batch/v1:CronJob";

/** Workloads whose pods run until replaced (probes apply). */
export const longRunningTypes: string[] = [types.deployment, types.daemonSet, types.statefulSet];
/** Workloads whose pods run to completion. */
export const batchTypes: string[] = [types.job, cronJobType];
export const workloadTypes: string[] = [...longRunningTypes, ...batchTypes];

export interface SecurityContext {
    runAsNonRoot?: boolean;
    runAsUser?: number;
    readOnlyRootFilesystem?: boolean;
    allowPrivilegeEscalation?: boolean;
    privileged?: boolean;
    capabilities?: { add?: string[]; drop?: string[] };
    seccompProfile?: { type?: string };
}

export interface Probe { [key: string]: unknown }

export interface Container {
    name?: string;
    image?: string;
    restartPolicy?: string;
    securityContext?: SecurityContext;
    resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
    livenessProbe?: Probe;
    readinessProbe?: Probe;
}

export interface PodSpec {
    hostNetwork?: boolean;
    hostPID?: boolean;
    hostIPC?: boolean;
    securityContext?: SecurityContext;
    containers?: Container[];
    initContainers?: Container[];
    volumes?: { name?: string; hostPath?: { path?: string } }[];
}

export interface LabelledContainer {
    label: string;
    container: Container;
    init: boolean;
}

/** "Deployment" from "kubernetes:apps/v1:Deployment". */
export const kindOf = (type: string): string => type.split(":").pop() ?? type;

export function podSpecOf(type: string, props: Record<string, unknown>): PodSpec {
    type Template = { spec?: PodSpec };
    const spec = (props.spec ?? {}) as { template?: Template; jobTemplate?: { spec?: { template?: Template } } };
    const template = type === cronJobType ? spec.jobTemplate?.spec?.template : spec.template;
    return template?.spec ?? {};
}

export function containersOf(pod: PodSpec): LabelledContainer[] {
    return [
        ...(pod.initContainers ?? []).map((container) => ({ label: `init container "${container.name}"`, container, init: true })),
        ...(pod.containers ?? []).map((container) => ({ label: `container "${container.name}"`, container, init: false })),
    ];
}

/** The subject of a message: `Deployment dc1-vms-access-jump-host`. */
export const subjectOf = (args: { type: string; name: string }): string => `${kindOf(args.type)} ${args.name}`;
