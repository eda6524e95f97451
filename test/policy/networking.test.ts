import { strict as assert } from "node:assert";
import { networkDefaultDeny } from "../../policy/networking/defaultDeny";
import { loadBalancerAllowlist } from "../../policy/networking/loadBalancerAllowlist";
import { noExternalIps } from "../../policy/networking/noExternalIps";
import { noNodePort } from "../../policy/networking/noNodePort";
import { FixtureResource, violationsOf } from "../harness/policy";

const namespace = (name: string, team?: string): FixtureResource => ({
    type: "kubernetes:core/v1:Namespace",
    name: `ns-${name}`,
    props: { metadata: { name, labels: team ? { "ironcloud.dev/team": team } : {} } },
});
const networkPolicy = (name: string, ns: string, spec: Record<string, unknown>): FixtureResource => ({
    type: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    name: `${ns}-${name}`,
    props: { metadata: { name, namespace: ns }, spec },
});
const defaultDeny = (ns: string) => networkPolicy("default-deny", ns, { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
const service = (name: string, ns: string | undefined, spec: Record<string, unknown>): FixtureResource => ({
    type: "kubernetes:core/v1:Service",
    name: `svc-${name}`,
    props: { metadata: { name, ...(ns ? { namespace: ns } : {}) }, spec: { ports: [{ port: 22 }], ...spec } },
});
const jumpHost = service("jump-host", "ironcloud-access", { type: "LoadBalancer" });
const notAService: FixtureResource = { type: "kubernetes:apps/v1:Deployment", name: "web", props: { metadata: { name: "web", namespace: "alpha" }, spec: { type: "NodePort", externalIPs: ["1.2.3.4"] } } };

describe("policies: networking", () => {
    it("network-default-deny: every team namespace has podSelector {} with Ingress and Egress and no rules", async () => {
        assert.deepEqual(await violationsOf(networkDefaultDeny, [namespace("alpha", "alpha"), defaultDeny("alpha"), namespace("kube-system")]), []);
        assert.deepEqual(await violationsOf(networkDefaultDeny, [namespace("alpha", "alpha"), defaultDeny("beta")]), [
            "ns-alpha: Team namespace alpha has no default-deny NetworkPolicy; add one with podSelector: {}, policyTypes: [Ingress, Egress] and no rules.",
        ]);
        for (const spec of [
            { podSelector: {}, policyTypes: ["Ingress"] },
            { podSelector: { matchLabels: { app: "x" } }, policyTypes: ["Ingress", "Egress"] },
            { podSelector: {}, policyTypes: ["Ingress", "Egress"], egress: [{}] },
        ]) {
            assert.equal((await violationsOf(networkDefaultDeny, [namespace("alpha", "alpha"), networkPolicy("almost", "alpha", spec)])).length, 1, JSON.stringify(spec));
        }
    });

    it("network-default-deny: also covers the team namespaces the VM service declares", async () => {
        const vmService: FixtureResource = { type: "ironcloud:vms:VmService", name: "dc1-vms", props: { environment: "prod", teams: [{ name: "beta", namespace: "beta", quota: { cpu: "4", memory: "8Gi" } }] } };
        assert.deepEqual(await violationsOf(networkDefaultDeny, [vmService]), [
            "dc1-vms: Team namespace beta has no default-deny NetworkPolicy; add one with podSelector: {}, policyTypes: [Ingress, Egress] and no rules.",
        ]);
        assert.deepEqual(await violationsOf(networkDefaultDeny, [vmService, defaultDeny("beta")]), []);
    });

    it("no-nodeport: NodePort Services fail; others pass; other types are not applicable", async () => {
        assert.deepEqual(await violationsOf(noNodePort, [jumpHost, service("vm", "alpha", { clusterIP: "None" })]), []);
        assert.deepEqual(await violationsOf(noNodePort, [service("web", "alpha", { type: "NodePort" })]), [
            "svc-web: Service alpha/web is of type NodePort, which opens it on every node; use ClusterIP or an allowed LoadBalancer.",
        ]);
        assert.deepEqual(await violationsOf(noNodePort, [notAService]), []);
    });

    it("loadbalancer-allowlist: the jump host and configured Services only", async () => {
        const grafana = service("grafana", "monitoring", { type: "LoadBalancer" });
        assert.deepEqual(await violationsOf(loadBalancerAllowlist, [jumpHost, service("vm", "alpha", {})]), []);
        assert.deepEqual(await violationsOf(loadBalancerAllowlist, [grafana]), [
            'svc-grafana: Service monitoring/grafana is of type LoadBalancer but is not the jump host or in allowedLoadBalancers; make it ClusterIP or add "monitoring/grafana" to allowedLoadBalancers.',
        ]);
        assert.deepEqual(await violationsOf(loadBalancerAllowlist, [grafana], { allowedLoadBalancers: ["monitoring/grafana"] }), []);
        assert.deepEqual(await violationsOf(loadBalancerAllowlist, [service("jump-host", "alpha", { type: "LoadBalancer" })]), [
            'svc-jump-host: Service alpha/jump-host is of type LoadBalancer but is not the jump host or in allowedLoadBalancers; make it ClusterIP or add "alpha/jump-host" to allowedLoadBalancers.',
        ], "the jump host's name in another namespace is not the jump host");
        assert.deepEqual(await violationsOf(loadBalancerAllowlist, [service("web", undefined, { type: "LoadBalancer" })]), [
            'svc-web: Service default/web is of type LoadBalancer but is not the jump host or in allowedLoadBalancers; make it ClusterIP or add "default/web" to allowedLoadBalancers.',
        ]);
        assert.deepEqual(await violationsOf(loadBalancerAllowlist, [{ ...notAService, props: { spec: { type: "LoadBalancer" } } }]), []);
        const schema = loadBalancerAllowlist.configSchema?.properties?.allowedLoadBalancers as { type: string };
        assert.equal(schema.type, "array");
    });

    it("no-external-ips: spec.externalIPs must be empty", async () => {
        assert.deepEqual(await violationsOf(noExternalIps, [jumpHost, service("web", "alpha", { externalIPs: [] })]), []);
        assert.deepEqual(await violationsOf(noExternalIps, [service("web", "alpha", { externalIPs: ["10.0.0.50", "10.0.0.51"] })]), [
            "svc-web: Service alpha/web sets 2 externalIPs; remove spec.externalIPs and use an allowed LoadBalancer instead.",
        ]);
        assert.deepEqual(await violationsOf(noExternalIps, [notAService]), []);
    });

    it("honours named exemptions from the policy config, and only those", async () => {
        const exempt = { exemptions: [{ resource: "svc-legacy-*", reason: "legacy appliance, removed in Q3" }] };
        assert.deepEqual(await violationsOf(noNodePort, [service("legacy-ftp", "alpha", { type: "NodePort" })], exempt), []);
        assert.equal((await violationsOf(noNodePort, [service("ftp", "alpha", { type: "NodePort" })], exempt)).length, 1);
        const exemptNamespace = { exemptions: [{ resource: "ns-lab", reason: "lab namespace, torn down weekly" }] };
        assert.deepEqual(await violationsOf(networkDefaultDeny, [namespace("lab", "lab")], exemptNamespace), []);
        assert.equal((await violationsOf(networkDefaultDeny, [namespace("alpha", "alpha")], exemptNamespace)).length, 1);
    });
});
