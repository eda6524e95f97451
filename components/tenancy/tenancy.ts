import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { TeamConfig } from "../../infra/config";
import { childOptions } from "../platform/namespace";
import { limitRange, networkPolicies, resourceQuota, teamNamespaceObject, vmService, vmUserBinding, vmUserRole } from "./teamObjects";

export interface TenancyArgs {
    teams: TeamConfig[];
}

/** A namespace per team with its RBAC, quota, limits, network policies and VM DNS. */
export class Tenancy extends pulumi.ComponentResource {
    /** The team namespaces, by team name: VMs are declared after them. */
    readonly namespaces: Record<string, k8s.core.v1.Namespace> = {};

    constructor(name: string, args: TenancyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ironcloud:tenancy:Tenancy", name, {}, opts);
        for (const team of args.teams) {
            const namespace = new k8s.core.v1.Namespace(`${name}-${team.name}`, teamNamespaceObject(team), childOptions(this, opts));
            this.namespaces[team.name] = namespace;
            const inTeam = childOptions(this, opts, [namespace]);
            const role = new k8s.rbac.v1.Role(`${name}-${team.name}-vm-user`, vmUserRole(team), inTeam);
            if (team.users.length + team.groups.length > 0) {
                new k8s.rbac.v1.RoleBinding(`${name}-${team.name}-vm-users`, vmUserBinding(team), childOptions(this, opts, [role]));
            }
            new k8s.core.v1.ResourceQuota(`${name}-${team.name}-quota`, resourceQuota(team), inTeam);
            new k8s.core.v1.LimitRange(`${name}-${team.name}-defaults`, limitRange(team), inTeam);
            for (const policy of networkPolicies(team)) {
                new k8s.networking.v1.NetworkPolicy(`${name}-${team.name}-${policy.metadata.name}`, policy, inTeam);
            }
            new k8s.core.v1.Service(`${name}-${team.name}-vm`, vmService(team), inTeam);
        }
        this.registerOutputs({});
    }
}
