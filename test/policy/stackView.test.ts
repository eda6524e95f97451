import { strict as assert } from "node:assert";
import { UnknownValueError } from "@pulumi/policy";
import { previewInputs, stackPolicyProps } from "../../tools/policy/stackView";
import { fixture } from "../harness/policy";

/** The offline runner's model of what CrossGuard shows at preview (checked on the engine by test/engine/preview.engine.ts). */
describe("policies: the preview view of the offline runner", () => {
    const provider = (kubeconfigFrom: string[]) => ({ ...fixture({ type: "pulumi:providers:kubernetes", name: "dc1", props: { kubeconfig: "x" } }), propertyDependencies: { kubeconfig: kubeconfigFrom } });
    const namespace = (providerUrn: string) => ({ ...fixture({ type: "kubernetes:core/v1:Namespace", name: "alpha", props: { metadata: { name: "alpha" } } }), provider: `${providerUrn}::dc1-id` });

    it("a stack policy sees a component's registered outputs, not its inputs", () => {
        const component = { ...fixture({ type: "ironcloud:vms:VmService", name: "dc1-vms", props: { teams: [] } }), outputs: { registered: true } };
        assert.deepEqual(stackPolicyProps(component, new Map()), { registered: true });
        assert.deepEqual(stackPolicyProps({ ...component, outputs: undefined }, new Map()), {});
    });

    it("a stack policy sees nothing of a Kubernetes object while its provider's kubeconfig comes from the same run", () => {
        const unconfigured = provider(["urn:pulumi:test::ironcloud::tls:index/privateKey:PrivateKey::ca"]);
        assert.deepEqual(stackPolicyProps(namespace(unconfigured.urn), new Map([[unconfigured.urn, unconfigured]])), {});
        const configured = provider([]);
        assert.deepEqual({ ...stackPolicyProps(namespace(configured.urn), new Map([[configured.urn, configured]])) }, { metadata: { name: "alpha" } });
    });

    it("an input that comes from another resource of the run is unknown: reading it throws as under the CLI", () => {
        const secret = { ...fixture({ type: "kubernetes:core/v1:Secret", name: "s", props: { metadata: { name: "s" }, stringData: { userdata: "#cloud-config" } } }), propertyDependencies: { stringData: ["urn:key"], metadata: [] } };
        const props = previewInputs(secret);
        assert.deepEqual({ ...(props.metadata as object) }, { name: "s" });
        assert.throws(() => props.stringData, UnknownValueError);
    });
});
