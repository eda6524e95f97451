import * as k8s from "@pulumi/kubernetes";
import { strict as assert } from "node:assert";
import { policies } from "../../policy/policies";
import { pulumiTypeOf } from "../../tools/policy/policyInternals";
import { toPolicyResource } from "../../tools/policy/runPolicies";
import { fixture } from "../harness/policy";

describe("policies: typed by SDK class", () => {
    it("the policies of one Kubernetes kind match it by its @pulumi/kubernetes class, with the token the program registers", () => {
        const typed = Object.fromEntries(policies.flatMap((p) => {
            const type = "validateResource" in p && !Array.isArray(p.validateResource) ? pulumiTypeOf(p.validateResource) : undefined;
            return type === undefined ? [] : [[p.name, type]];
        }));
        assert.deepEqual(typed, {
            "storage-keeps-copies": "kubernetes:storage.k8s.io/v1:StorageClass",
            "helm-charts-pinned": "kubernetes:helm.sh/v3:Release",
            "manifests-pinned": "kubernetes:yaml/v2:ConfigFile",
            "rbac-team-roles-restricted": "kubernetes:rbac.authorization.k8s.io/v1:Role",
            "no-nodeport": "kubernetes:core/v1:Service",
            "loadbalancer-allowlist": "kubernetes:core/v1:Service",
            "no-external-ips": "kubernetes:core/v1:Service",
            "vm-no-password-auth": "kubernetes:core/v1:Secret",
            "vm-login-configured": "kubernetes:core/v1:Secret",
        });
    });

    it("the offline runner answers isType and asType as CrossGuard does: by the class's token, else its isInstance", () => {
        const props = { metadata: { name: "web", namespace: "alpha" }, spec: { type: "ClusterIP" } };
        const service = toPolicyResource(fixture({ type: "kubernetes:core/v1:Service", name: "web", props }), props);
        assert.equal(service.isType(k8s.core.v1.Service), true);
        assert.equal(service.isType(k8s.core.v1.Secret), false);
        assert.equal(service.asType(k8s.core.v1.Service), props);
        assert.equal(service.asType(k8s.core.v1.Secret), undefined);
        const withoutToken = (type: string) => ({ isInstance: (o: { __pulumiType?: string }) => o.__pulumiType === type }) as unknown as typeof k8s.core.v1.Service;
        assert.equal(service.isType(withoutToken("kubernetes:core/v1:Service")), true, "a class without a token is asked isInstance");
        assert.equal(service.isType(withoutToken("kubernetes:core/v1:Secret")), false);
    });
});
