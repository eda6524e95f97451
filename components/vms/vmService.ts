import * as pulumi from "@pulumi/pulumi";
import { CloudSpec } from "../../infra/config";
import { Access } from "../access/access";
import { childOptions } from "../platform/namespace";
import { Virtualization } from "../platform/virtualization";
import { Tenancy } from "../tenancy/tenancy";
import { resolveVms, ResolvedVm, teamNamespace } from "./catalog";
import { TeamVms } from "./teamVms";

export interface VmServiceArgs {
    spec: CloudSpec;
    virtualization?: Virtualization;
}

/**
 * The VM service: team namespaces, the jump host and host CA, and every team's VMs. VMs wait for
 * KubeVirt and CDI to be Available and for their namespace; nothing waits for monitoring.
 */
export class VmService extends pulumi.ComponentResource {
    readonly vms: ResolvedVm[];
    readonly access?: Access;
    readonly cloudInit: Record<string, pulumi.Output<string>> = {};

    constructor(name: string, { spec, virtualization }: VmServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        const summary = vmServiceSummary(spec);
        super("ironcloud:vms:VmService", name, summary, opts);
        this.vms = resolveVms(spec);
        const tenancy = new Tenancy(`${name}-tenancy`, { teams: spec.teams }, childOptions(this, opts));
        if (this.vms.length > 0) {
            this.access = new Access(`${name}-access`, {
                access: spec.access,
                teamNamespaces: spec.teams.map((t) => teamNamespace(t.name)),
                dnsDomain: spec.cluster.network.dnsDomain,
            }, childOptions(this, opts));
        }
        for (const team of spec.teams) {
            const vms = this.vms.filter((vm) => vm.team === team.name);
            if (vms.length === 0 || !this.access) continue;
            const teamVms = new TeamVms(`${name}-${team.name}`, {
                vms,
                hostCa: this.access.hostCa,
                protectDisks: spec.environment === "prod",
                kubevirtReady: virtualization ? [virtualization.kubevirt] : [],
                cdiReady: virtualization ? [virtualization.cdi] : [],
                namespace: tenancy.namespaces[team.name],
            }, childOptions(this, opts));
            for (const [vm, userData] of Object.entries(teamVms.cloudInit)) this.cloudInit[`${team.name}/${vm}`] = userData;
        }
        // Stack policies (team-quota-fits, the team namespace checks) see registered outputs only.
        this.registerOutputs(summary);
    }
}

/** The teams and their quotas, as the component's inputs and registered outputs, for the policies. */
export function vmServiceSummary(spec: CloudSpec) {
    return {
        environment: spec.environment,
        teams: spec.teams.map((t) => ({ name: t.name, namespace: teamNamespace(t.name), quota: t.quota })),
        jumpHost: { port: spec.access.port, user: spec.access.user },
    };
}
