import { strict as assert } from "node:assert";
import { rbacPolicies } from "../../policy/rbac";
import { rbacNoClusterAdmin } from "../../policy/rbac/noClusterAdmin";
import { rbacNoWildcards } from "../../policy/rbac/noWildcards";
import { rbacTeamRolesRestricted } from "../../policy/rbac/teamRolesRestricted";
import { PolicyConfigFile, runPolicies } from "../../tools/policy/runPolicies";
import { evaluateStackFile, stackPath } from "../harness/program";
import { FixtureResource, violationsOf } from "../harness/policy";

const rbac = "kubernetes:rbac.authorization.k8s.io/v1";
const vmUserRules = [
    { apiGroups: ["kubevirt.io"], resources: ["virtualmachines"], verbs: ["get", "list", "watch", "create", "update", "patch", "delete"] },
    { apiGroups: ["subresources.kubevirt.io"], resources: ["virtualmachineinstances/console", "virtualmachineinstances/vnc"], verbs: ["get"] },
    { apiGroups: [""], resources: ["pods", "pods/log"], verbs: ["get", "list", "watch"] },
];
const role = (rules: unknown[], name = "alpha-vm-user"): FixtureResource => ({ type: `${rbac}:Role`, name, props: { metadata: { name: "vm-user", namespace: "alpha" }, rules } });
const clusterRole = (rules: unknown[], name = "viewer"): FixtureResource => ({ type: `${rbac}:ClusterRole`, name, props: { metadata: { name }, rules } });
const binding = (kind: "RoleBinding" | "ClusterRoleBinding", roleRef: { kind: string; name: string }, name = "ops"): FixtureResource => ({
    type: `${rbac}:${kind}`, name,
    props: { metadata: { name }, roleRef: { apiGroup: "rbac.authorization.k8s.io", ...roleRef }, subjects: [{ kind: "Group", name: "ops", apiGroup: "rbac.authorization.k8s.io" }] },
});
const service: FixtureResource = { type: "kubernetes:core/v1:Service", name: "web", props: { spec: { type: "ClusterIP" } } };

describe("policies: RBAC", () => {
    it("rbac-no-wildcards: explicit rules pass; \"*\" in verbs, resources or apiGroups fails", async () => {
        assert.deepEqual(await violationsOf(rbacNoWildcards, [role(vmUserRules), clusterRole(vmUserRules)]), []);
        assert.deepEqual(await violationsOf(rbacNoWildcards, [
            role([...vmUserRules, { apiGroups: ["apps"], resources: ["deployments"], verbs: ["*"] }]),
            clusterRole([{ apiGroups: ["*"], resources: ["*"], verbs: ["get"] }, { apiGroups: [""], resources: ["*/scale"], verbs: ["get"] }], "reader"),
        ]), [
            'alpha-vm-user: Role alpha-vm-user rule 4 uses "*" in verbs; list the exact verbs instead.',
            'reader: ClusterRole reader rule 1 uses "*" in resources and apiGroups; list the exact resources and apiGroups instead.',
            'reader: ClusterRole reader rule 2 uses "*" in resources; list the exact resources instead.',
        ]);
    });

    it("rbac-no-cluster-admin: no binding to the cluster-admin ClusterRole", async () => {
        assert.deepEqual(await violationsOf(rbacNoClusterAdmin, [
            binding("RoleBinding", { kind: "Role", name: "vm-user" }),
            binding("ClusterRoleBinding", { kind: "ClusterRole", name: "view" }, "viewers"),
            binding("RoleBinding", { kind: "Role", name: "cluster-admin" }, "local-role"),
        ]), []);
        assert.deepEqual(await violationsOf(rbacNoClusterAdmin, [
            binding("ClusterRoleBinding", { kind: "ClusterRole", name: "cluster-admin" }, "ops-admin"),
            binding("RoleBinding", { kind: "ClusterRole", name: "cluster-admin" }, "alpha-admin"),
        ]), [
            "ops-admin: ClusterRoleBinding ops-admin binds the cluster-admin ClusterRole; bind a least-privilege role instead.",
            "alpha-admin: RoleBinding alpha-admin binds the cluster-admin ClusterRole; bind a least-privilege role instead.",
        ]);
    });

    it("rbac-team-roles-restricted: no secrets, exec, attach or port-forward; no escalate, bind or impersonate", async () => {
        assert.deepEqual(await violationsOf(rbacTeamRolesRestricted, [role(vmUserRules)]), []);
        assert.deepEqual(await violationsOf(rbacTeamRolesRestricted, [role([{ apiGroups: ["example.com"], resources: ["secrets"], verbs: ["get"] }])]), [], "not core Secrets");
        assert.deepEqual(await violationsOf(rbacTeamRolesRestricted, [role([
            ...vmUserRules,
            { apiGroups: [""], resources: ["secrets", "configmaps"], verbs: ["get", "list"] },
            { apiGroups: [""], resources: ["pods/exec", "pods/attach", "pods/portforward"], verbs: ["create"] },
            { apiGroups: ["rbac.authorization.k8s.io"], resources: ["roles", "rolebindings"], verbs: ["escalate", "bind"] },
            { apiGroups: [""], resources: ["users", "groups"], verbs: ["impersonate"] },
            { apiGroups: ["*"], resources: ["*"], verbs: ["*"] },
        ])]), [
            "alpha-vm-user: Role alpha-vm-user rule 4 grants access to secrets; team roles must not read Secrets or exec, attach or port-forward into pods — remove them from the rule.",
            "alpha-vm-user: Role alpha-vm-user rule 5 grants access to pods/exec, pods/attach and pods/portforward; team roles must not read Secrets or exec, attach or port-forward into pods — remove them from the rule.",
            "alpha-vm-user: Role alpha-vm-user rule 6 grants the escalate and bind verbs; remove them so team members cannot raise their own rights.",
            "alpha-vm-user: Role alpha-vm-user rule 7 grants the impersonate verb; remove it so team members cannot raise their own rights.",
            "alpha-vm-user: Role alpha-vm-user rule 8 grants access to secrets, pods/exec, pods/attach and pods/portforward; team roles must not read Secrets or exec, attach or port-forward into pods — remove them from the rule.",
            "alpha-vm-user: Role alpha-vm-user rule 8 grants the escalate, bind and impersonate verbs; remove them so team members cannot raise their own rights.",
        ]);
        assert.deepEqual(await violationsOf(rbacTeamRolesRestricted, [clusterRole([{ apiGroups: [""], resources: ["secrets"], verbs: ["get"] }], "secret-reader")]), [], "ClusterRoles are not team roles");
    });

    it("every RBAC policy is notApplicable to other resource types", async () => {
        const wild = [{ apiGroups: ["*"], resources: ["secrets"], verbs: ["*"] }];
        for (const policy of rbacPolicies) {
            assert.deepEqual(await violationsOf(policy, [service, { type: "kubernetes:core/v1:ConfigMap", name: "cm", props: { rules: wild, roleRef: { kind: "ClusterRole", name: "cluster-admin" } } }]), [], policy.name);
        }
    });

    it("honours named exemptions from the policy config, and only those", async () => {
        const exempt = { exemptions: [{ resource: "break-glass-*", reason: "break-glass admins, reviewed quarterly" }] };
        assert.deepEqual(await violationsOf(rbacNoClusterAdmin, [binding("ClusterRoleBinding", { kind: "ClusterRole", name: "cluster-admin" }, "break-glass-admins")], exempt), []);
        assert.deepEqual(await violationsOf(rbacNoClusterAdmin, [binding("ClusterRoleBinding", { kind: "ClusterRole", name: "cluster-admin" }, "ops-admin")], exempt),
            ["ops-admin: ClusterRoleBinding ops-admin binds the cluster-admin ClusterRole; bind a least-privilege role instead."]);
    });

    for (const stack of ["prod", "dev"]) {
        it(`the program's roles and bindings in stacks/Pulumi.${stack}.yaml pass every RBAC policy`, async () => {
            const evaluation = await evaluateStackFile(stackPath(stack));
            const checked = evaluation.resources.filter((r) => r.type.startsWith(`${rbac}:`));
            assert.ok(checked.some((r) => r.type === `${rbac}:Role` && r.name.endsWith("-vm-user")), "the tenancy Role is among the checked resources");
            assert.ok(checked.some((r) => r.type === `${rbac}:RoleBinding`), "a RoleBinding is among the checked resources");
            const config: PolicyConfigFile = Object.fromEntries(rbacPolicies.map((p) => [p.name, { enforcementLevel: "mandatory", environment: stack }]));
            assert.deepEqual(await runPolicies(evaluation.resources, rbacPolicies, config), []);
        });
    }
});
