import { strict as assert } from "node:assert";
import { teamNamespaceGuardrails } from "../../policy/namespaces/guardrails";
import { clusterScopedKinds, nothingInDefault } from "../../policy/namespaces/nothingInDefault";
import { FixtureResource, violationsOf } from "../harness/policy";

const teamNamespace = (name: string): FixtureResource => ({
    type: "kubernetes:core/v1:Namespace",
    name: `ns-${name}`,
    props: { metadata: { name, labels: { "ironcloud.dev/team": name } } },
});
const quota = (ns: string, hard: Record<string, string> = { "requests.cpu": "8", "requests.memory": "16Gi" }): FixtureResource => ({
    type: "kubernetes:core/v1:ResourceQuota",
    name: `${ns}-quota`,
    props: { metadata: { name: "team-quota", namespace: ns }, spec: { hard } },
});
const limitRange = (ns: string, limits: unknown[] = [{ type: "Container", default: { cpu: "1", memory: "1Gi" } }]): FixtureResource => ({
    type: "kubernetes:core/v1:LimitRange",
    name: `${ns}-defaults`,
    props: { metadata: { name: "defaults", namespace: ns }, spec: { limits } },
});
const object = (type: string, name: string, namespace?: string): FixtureResource => ({
    type,
    name,
    props: { metadata: { name, ...(namespace !== undefined ? { namespace } : {}) } },
});

describe("policies: namespaces", () => {
    it("team-namespace-guardrails: every team namespace has a ResourceQuota and a LimitRange", async () => {
        const plain = object("kubernetes:core/v1:Namespace", "kube-system");
        assert.deepEqual(await violationsOf(teamNamespaceGuardrails, [teamNamespace("alpha"), quota("alpha"), limitRange("alpha"), plain]), []);
        assert.deepEqual(await violationsOf(teamNamespaceGuardrails, [teamNamespace("alpha"), quota("beta"), limitRange("beta")]), [
            "ns-alpha: Team namespace alpha has no ResourceQuota; add one capping requests.cpu and requests.memory.",
            "ns-alpha: Team namespace alpha has no LimitRange; add one with default requests for containers.",
        ]);
        assert.deepEqual(await violationsOf(teamNamespaceGuardrails, [teamNamespace("alpha"), quota("alpha", { pods: "10" }), limitRange("alpha", [])]), [
            "ns-alpha: Team namespace alpha has a ResourceQuota that does not cap requests.cpu and requests.memory; set both in spec.hard.",
            "ns-alpha: Team namespace alpha has a LimitRange with no limits; set spec.limits with default requests.",
        ]);
    });

    it("team-namespace-guardrails: team namespaces declared only by the VM service count too", async () => {
        const vmService: FixtureResource = { type: "ironcloud:vms:VmService", name: "dc1-vms", props: { teams: [{ name: "beta", namespace: "beta", quota: { cpu: "4", memory: "8Gi" } }] } };
        assert.deepEqual(await violationsOf(teamNamespaceGuardrails, [vmService, quota("beta"), limitRange("beta")]), []);
        assert.deepEqual(await violationsOf(teamNamespaceGuardrails, [vmService, limitRange("beta")]), [
            "dc1-vms: Team namespace beta has no ResourceQuota; add one capping requests.cpu and requests.memory.",
        ]);
    });

    it("nothing-in-default: namespaced objects name a namespace other than default", async () => {
        assert.deepEqual(await violationsOf(nothingInDefault, [
            object("kubernetes:core/v1:ConfigMap", "jump-host", "ironcloud-access"),
            object("kubernetes:kubevirt.io/v1:KubeVirt", "kubevirt", "kubevirt"),
        ]), []);
        assert.deepEqual(await violationsOf(nothingInDefault, [object("kubernetes:core/v1:ConfigMap", "settings", "default")]), [
            "settings: ConfigMap settings is in the default namespace; set metadata.namespace to the component's own namespace.",
        ]);
        assert.deepEqual(await violationsOf(nothingInDefault, [object("kubernetes:apps/v1:Deployment", "web")]), [
            "web: Deployment web sets no metadata.namespace, so it lands in the default namespace; set metadata.namespace to the component's own namespace.",
        ]);
    });

    it("nothing-in-default: cluster-scoped kinds may omit the namespace", async () => {
        const clusterScoped = [
            "kubernetes:core/v1:Namespace",
            "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
            "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
            "kubernetes:storage.k8s.io/v1:StorageClass",
            "kubernetes:cilium.io/v2:CiliumLoadBalancerIPPool",
            "kubernetes:cilium.io/v2alpha1:CiliumL2AnnouncementPolicy",
            "kubernetes:cert-manager.io/v1:ClusterIssuer",
            "kubernetes:cdi.kubevirt.io/v1beta1:CDI",
            "kubernetes:piraeus.io/v1:LinstorCluster",
            "kubernetes:piraeus.io/v1:LinstorSatelliteConfiguration",
        ];
        assert.deepEqual(await violationsOf(nothingInDefault, clusterScoped.map((type, i) => object(type, `cluster-${i}`))), []);
        assert.ok(clusterScopedKinds["cilium.io"].includes("CiliumL2AnnouncementPolicy"));
    });

    it("nothing-in-default: Helm releases name their namespace; other types are not applicable", async () => {
        const release = (namespace?: string): FixtureResource => ({ type: "kubernetes:helm.sh/v3:Release", name: "cilium", props: { chart: "cilium", version: "1.19.6", ...(namespace ? { namespace } : {}) } });
        assert.deepEqual(await violationsOf(nothingInDefault, [release("kube-system")]), []);
        assert.deepEqual(await violationsOf(nothingInDefault, [release()]), ["cilium: Helm release cilium installs into the default namespace; set its namespace to the component's own."]);
        assert.deepEqual(await violationsOf(nothingInDefault, [
            { type: "ironcloud:talos:TalosCluster", name: "dc1", props: { metadata: { name: "dc1" } } },
            { type: "kubernetes:yaml/v2:ConfigFile", name: "kubevirt", props: { file: "https://example.com/v1.0.0/x.yaml" } },
            { type: "pulumi:providers:kubernetes", name: "dc1", props: {} },
        ]), []);
    });

    it("honours named exemptions from the policy config, and only those", async () => {
        const exempt = { exemptions: [{ resource: "kubernetes-default-*", reason: "the API server's own Service in default" }] };
        assert.deepEqual(await violationsOf(nothingInDefault, [object("kubernetes:core/v1:Service", "kubernetes-default-svc", "default")], exempt), []);
        assert.equal((await violationsOf(nothingInDefault, [object("kubernetes:core/v1:Service", "web", "default")], exempt)).length, 1);
        const exemptNamespace = { exemptions: [{ resource: "ns-lab", reason: "scratch namespace" }] };
        assert.deepEqual(await violationsOf(teamNamespaceGuardrails, [teamNamespace("lab")], exemptNamespace), []);
        assert.equal((await violationsOf(teamNamespaceGuardrails, [teamNamespace("alpha")], exemptNamespace)).length, 2);
    });
});
