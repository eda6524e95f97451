import { strict as assert } from "node:assert";
import { workloadPolicies } from "../../policy/workloads";
import { workloadImageDigest } from "../../policy/workloads/imageDigest";
import { workloadImagePinned } from "../../policy/workloads/imagePinned";
import { workloadProbes } from "../../policy/workloads/probes";
import { workloadResources } from "../../policy/workloads/resources";
import { workloadSecurityContext } from "../../policy/workloads/securityContext";
import { PolicyConfigFile, runPolicies } from "../../tools/policy/runPolicies";
import { evaluateStackFile, stackPath } from "../harness/program";
import { FixtureResource, violationsOf } from "../harness/policy";

const digest = "sha256:" + "ab".repeat(32);

/** A container that passes every workload policy. */
const goodContainer = (overrides: Record<string, unknown> = {}) => ({
    name: "app",
    image: "registry.example/app:1.2.3",
    securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
    resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { memory: "128Mi" } },
    livenessProbe: { tcpSocket: { port: 8080 } },
    readinessProbe: { httpGet: { path: "/ready", port: 8080 } },
    ...overrides,
});
const goodPod = (overrides: Record<string, unknown> = {}) => ({
    securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "RuntimeDefault" } },
    containers: [goodContainer()],
    ...overrides,
});
const deployment = (pod: Record<string, unknown> = goodPod(), name = "web"): FixtureResource => ({
    type: "kubernetes:apps/v1:Deployment", name,
    props: { metadata: { name, namespace: "apps" }, spec: { replicas: 2, template: { metadata: { labels: { app: name } }, spec: pod } } },
});
const workload = (type: string, pod: Record<string, unknown>, name: string): FixtureResource => ({ type, name, props: { metadata: { name }, spec: { template: { spec: pod } } } });
const service: FixtureResource = { type: "kubernetes:core/v1:Service", name: "web", props: { spec: { type: "ClusterIP", ports: [{ port: 80 }] } } };
const prod = { environment: "prod" };

describe("policies: workloads", () => {
    it("workload-security-context: a restricted pod passes, at pod or container level", async () => {
        assert.deepEqual(await violationsOf(workloadSecurityContext, [deployment()]), []);
        const containerLevel = goodPod({
            securityContext: undefined,
            containers: [goodContainer({ securityContext: { runAsUser: 1000, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } } })],
        });
        assert.deepEqual(await violationsOf(workloadSecurityContext, [deployment(containerLevel)]), []);
    });

    it("workload-security-context: reports every weakness of every container and init container", async () => {
        const pod = {
            hostNetwork: true, hostPID: true, hostIPC: true,
            securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
            volumes: [{ name: "docker", hostPath: { path: "/var/run/docker.sock" } }, { name: "tmp", emptyDir: {} }],
            initContainers: [goodContainer({ name: "setup", securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["NET_RAW"] }, seccompProfile: { type: "Unconfined" } } })],
            containers: [
                goodContainer({ name: "app", securityContext: { runAsUser: 0, privileged: true } }),
                goodContainer({ name: "ok" }),
            ],
        };
        assert.deepEqual(await violationsOf(workloadSecurityContext, [deployment(pod)]), [
            "web: Deployment web sets hostNetwork: true; remove it so the pod keeps its own namespaces.",
            "web: Deployment web sets hostPID: true; remove it so the pod keeps its own namespaces.",
            "web: Deployment web sets hostIPC: true; remove it so the pod keeps its own namespaces.",
            'web: Deployment web mounts the hostPath volume "docker"; use a configMap, secret, emptyDir or persistent volume claim instead.',
            'web: Deployment web init container "setup" does not drop all capabilities; set securityContext.capabilities.drop: [ALL] and add back only what it needs.',
            'web: Deployment web init container "setup" does not use the RuntimeDefault seccomp profile; set securityContext.seccompProfile.type: RuntimeDefault (pod or container).',
            'web: Deployment web container "app" may run as root; set securityContext.runAsNonRoot: true or a runAsUser above 0 (pod or container).',
            'web: Deployment web container "app" has a writable root filesystem; set securityContext.readOnlyRootFilesystem: true and mount emptyDir volumes where it must write.',
            'web: Deployment web container "app" is privileged; remove securityContext.privileged.',
            'web: Deployment web container "app" allows privilege escalation; set securityContext.allowPrivilegeEscalation: false.',
            'web: Deployment web container "app" does not drop all capabilities; set securityContext.capabilities.drop: [ALL] and add back only what it needs.',
        ]);
    });

    it("workload-security-context: a pod without any security context fails on every count", async () => {
        const bare = { containers: [{ name: "app", image: "app:1.0.0" }] };
        assert.deepEqual(await violationsOf(workloadSecurityContext, [workload("kubernetes:apps/v1:DaemonSet", bare, "agent")]), [
            'agent: DaemonSet agent container "app" may run as root; set securityContext.runAsNonRoot: true or a runAsUser above 0 (pod or container).',
            'agent: DaemonSet agent container "app" has a writable root filesystem; set securityContext.readOnlyRootFilesystem: true and mount emptyDir volumes where it must write.',
            'agent: DaemonSet agent container "app" allows privilege escalation; set securityContext.allowPrivilegeEscalation: false.',
            'agent: DaemonSet agent container "app" does not drop all capabilities; set securityContext.capabilities.drop: [ALL] and add back only what it needs.',
            'agent: DaemonSet agent container "app" does not use the RuntimeDefault seccomp profile; set securityContext.seccompProfile.type: RuntimeDefault (pod or container).',
        ]);
    });

    it("workload-resources: CPU and memory requests and a memory limit on every container", async () => {
        assert.deepEqual(await violationsOf(workloadResources, [deployment(), workload("kubernetes:batch/v1:Job", goodPod(), "migrate")]), []);
        const pod = goodPod({
            initContainers: [goodContainer({ name: "setup", resources: undefined })],
            containers: [goodContainer({ resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "1" } } })],
        });
        assert.deepEqual(await violationsOf(workloadResources, [workload("kubernetes:apps/v1:StatefulSet", pod, "db")]), [
            'db: StatefulSet db init container "setup" has no CPU request, memory request or memory limit; set resources.requests.cpu, resources.requests.memory and resources.limits.memory.',
            'db: StatefulSet db container "app" has no memory limit; set resources.requests.cpu, resources.requests.memory and resources.limits.memory.',
        ]);
    });

    it("workload-probes: liveness and readiness on long-running containers, not on Jobs", async () => {
        assert.deepEqual(await violationsOf(workloadProbes, [deployment()]), []);
        const noProbes = goodPod({ containers: [goodContainer({ livenessProbe: undefined, readinessProbe: undefined }), goodContainer({ name: "sidecar", readinessProbe: undefined })] });
        assert.deepEqual(await violationsOf(workloadProbes, [deployment(noProbes)]), [
            'web: Deployment web container "app" has no livenessProbe or readinessProbe; add livenessProbe and readinessProbe so Kubernetes can restart it and route traffic only to ready pods.',
            'web: Deployment web container "sidecar" has no readinessProbe; add readinessProbe so Kubernetes can restart it and route traffic only to ready pods.',
        ]);
        assert.deepEqual(await violationsOf(workloadProbes, [workload("kubernetes:batch/v1:Job", noProbes, "migrate")]), [], "Jobs run to completion");
        const initOnly = goodPod({ initContainers: [{ name: "setup", image: "app:1.0.0" }] });
        assert.deepEqual(await violationsOf(workloadProbes, [deployment(initOnly)]), [], "init containers run before the probes matter");
    });

    it("workload-image-pinned: an explicit tag other than latest, or a digest", async () => {
        const pinned = goodPod({ containers: ["app:1.2.3", "registry:5000/team/app:v2", `app@${digest}`, `app:latest@${digest}`].map((image, i) => goodContainer({ name: `c${i}`, image })) });
        assert.deepEqual(await violationsOf(workloadImagePinned, [deployment(pinned)]), []);
        const unpinned = goodPod({
            initContainers: [goodContainer({ name: "setup", image: "registry:5000/team/setup" })],
            containers: [goodContainer({ image: "nginx" }), goodContainer({ name: "side", image: "nginx:latest" }), goodContainer({ name: "none", image: undefined })],
        });
        assert.deepEqual(await violationsOf(workloadImagePinned, [workload("kubernetes:batch/v1:Job", unpinned, "migrate")]), [
            'migrate: Job migrate init container "setup" image "registry:5000/team/setup" has no tag and pulls latest; pin a released version tag or a digest.',
            'migrate: Job migrate container "app" image "nginx" has no tag and pulls latest; pin a released version tag or a digest.',
            'migrate: Job migrate container "side" image "nginx:latest" uses the latest tag; pin a released version tag or a digest.',
            'migrate: Job migrate container "none" names no image; set image to a pinned reference (repo:1.2.3 or repo@sha256:…).',
        ]);
    });

    it("workload-image-pinned: CronJob pod templates are checked too", async () => {
        const cron: FixtureResource = { type: "kubernetes:batch/v1:CronJob", name: "backup", props: { spec: { schedule: "@daily", jobTemplate: { spec: { template: { spec: goodPod({ containers: [goodContainer({ image: "backup:latest" })] }) } } } } } };
        assert.deepEqual(await violationsOf(workloadImagePinned, [cron]), ['backup: CronJob backup container "app" image "backup:latest" uses the latest tag; pin a released version tag or a digest.']);
    });

    it("workload-image-digest: digests in prod only", async () => {
        const tagged = deployment();
        const digested = deployment(goodPod({ containers: [goodContainer({ image: `registry.example/app:1.2.3@${digest}` })] }), "api");
        assert.deepEqual(await violationsOf(workloadImageDigest, [tagged, digested]), [], "dev: not applicable");
        assert.deepEqual(await violationsOf(workloadImageDigest, [tagged], { environment: "staging" }), []);
        assert.deepEqual(await violationsOf(workloadImageDigest, [digested], prod), []);
        assert.deepEqual(await violationsOf(workloadImageDigest, [tagged, digested], prod), [
            'web: Deployment web container "app" image "registry.example/app:1.2.3" is not pinned by digest; append @sha256:<digest> of the tested image (repo:tag@sha256:…).',
        ]);
    });

    it("every workload policy is notApplicable to other resource types", async () => {
        const insecure = { hostNetwork: true, containers: [{ name: "app", image: "nginx" }] };
        for (const policy of workloadPolicies) {
            assert.deepEqual(await violationsOf(policy, [service, { type: "kubernetes:core/v1:Pod", name: "pod", props: { spec: insecure } }], prod), [], policy.name);
        }
    });

    it("honours named exemptions from the policy config, and only those", async () => {
        const hostNet = deployment(goodPod({ hostNetwork: true }), "cilium-agent");
        const exempt = { exemptions: [{ resource: "cilium-*", reason: "Cilium's agent needs host networking" }] };
        assert.deepEqual(await violationsOf(workloadSecurityContext, [hostNet], exempt), []);
        assert.deepEqual(await violationsOf(workloadSecurityContext, [{ ...hostNet, name: "web" }], exempt), ["web: Deployment web sets hostNetwork: true; remove it so the pod keeps its own namespaces."]);
        assert.deepEqual(await violationsOf(workloadImageDigest, [deployment(goodPod(), "jump-host")], { ...prod, exemptions: [{ resource: "jump-*", reason: "registry unreachable from the build machines" }] }), []);
    });

    it("the program's workloads in stacks/Pulumi.prod.yaml pass; only the jump host image lacks a digest", async () => {
        const evaluation = await evaluateStackFile(stackPath("prod"));
        const workloads = evaluation.resources.filter((r) => r.type === "kubernetes:apps/v1:Deployment");
        assert.ok(workloads.some((r) => r.name === "dc1-vms-access-jump-host"), "the jump host is among the checked workloads");
        const config: PolicyConfigFile = Object.fromEntries(workloadPolicies.map((p) => [p.name, { enforcementLevel: "mandatory", environment: "prod" }]));
        const violations = await runPolicies(evaluation.resources, workloadPolicies, config);
        assert.deepEqual(violations.map((v) => `${v.policy} ${v.resource}: ${v.message}`), [
            'workload-image-digest dc1-vms-access-jump-host: Deployment dc1-vms-access-jump-host container "sshd" image "quay.io/panubo/sshd:1.10.0" is not pinned by digest; append @sha256:<digest> of the tested image (repo:tag@sha256:…).',
        ]);
    });

    it("the program's workloads in stacks/Pulumi.dev.yaml pass every workload policy", async () => {
        const evaluation = await evaluateStackFile(stackPath("dev"));
        const config: PolicyConfigFile = Object.fromEntries(workloadPolicies.map((p) => [p.name, { enforcementLevel: "mandatory", environment: "dev" }]));
        assert.deepEqual(await runPolicies(evaluation.resources, workloadPolicies, config), []);
    });
});
