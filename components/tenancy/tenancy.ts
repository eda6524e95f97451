import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { TeamConfig } from "../../infra/config";
import { DeclaredObject, declaredObject } from "../declaredObjects";
import { defaultAccessNamespace } from "../labels";
import { childOptions } from "../platform/namespace";
import { limitRange, networkPolicies, resourceQuota, teamNamespaceObject, vmService, vmUserBinding, vmUserRole } from "./teamObjects";

/** What a Tenancy is declared from; VmService checks and defaults it (keys of `ironcloud:teams`). */
export interface TenancyArgs {
    /** The teams, parsed: each gets a namespace named after it. */
    teams: TeamConfig[];
    /** The jump host's namespace, the one peer allowed to reach the VMs' SSH port; default `ironcloud-access`. */
    accessNamespace?: string;
}

/** A namespace per team with its RBAC, quota, limits, network policies and VM DNS. */
export class Tenancy extends pulumi.ComponentResource {
    /** The team namespaces, by team name: VMs are declared after them. */
    readonly namespaces: Record<string, k8s.core.v1.Namespace> = {};
    /** The namespaces, quotas, limits and network policies as declared (for the stack policies). */
    readonly kubernetesObjects: DeclaredObject[] = [];

    constructor(name: string, args: TenancyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ironcloud:tenancy:Tenancy", name, {}, opts);
        // The namespaces, quotas, limits and network policies, registered as outputs for the
        // guardrail and default-deny stack policies (components/declaredObjects.ts).
        const declared = <T extends { metadata: object }>(objectName: string, apiVersion: string, kind: string, props: T): T => {
            this.kubernetesObjects.push(declaredObject(objectName, apiVersion, kind, props));
            return props;
        };
        for (const team of args.teams) {
            const namespaceName = `${name}-${team.name}`;
            const namespace = new k8s.core.v1.Namespace(namespaceName, declared(namespaceName, "v1", "Namespace", teamNamespaceObject(team)), childOptions(this, opts));
            this.namespaces[team.name] = namespace;
            const inTeam = childOptions(this, opts, [namespace]);
            const role = new k8s.rbac.v1.Role(`${name}-${team.name}-vm-user`, vmUserRole(team), inTeam);
            if (team.users.length + team.groups.length > 0) {
                new k8s.rbac.v1.RoleBinding(`${name}-${team.name}-vm-users`, vmUserBinding(team), childOptions(this, opts, [role]));
            }
            const quotaName = `${name}-${team.name}-quota`;
            new k8s.core.v1.ResourceQuota(quotaName, declared(quotaName, "v1", "ResourceQuota", resourceQuota(team)), inTeam);
            const limitsName = `${name}-${team.name}-defaults`;
            new k8s.core.v1.LimitRange(limitsName, declared(limitsName, "v1", "LimitRange", limitRange(team)), inTeam);
            for (const policy of networkPolicies(team, args.accessNamespace ?? defaultAccessNamespace)) {
                const policyName = `${name}-${team.name}-${policy.metadata.name}`;
                new k8s.networking.v1.NetworkPolicy(policyName, declared(policyName, "networking.k8s.io/v1", "NetworkPolicy", policy), inTeam);
            }
            new k8s.core.v1.Service(`${name}-${team.name}-vm`, vmService(team), inTeam);
        }
        this.registerOutputs({
            kubernetesObjects: this.kubernetesObjects,
            namespaces: Object.fromEntries(Object.entries(this.namespaces).map(([team, namespace]) => [team, namespace.metadata.name])),
        });
    }
}
