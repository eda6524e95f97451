import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Access } from "../access/access";
import { childOptions } from "../platform/namespace";
import { Tenancy } from "../tenancy/tenancy";
import { resolveVms, ResolvedVm, teamNamespace } from "./catalog";
import { TeamVms } from "./teamVms";
import { parseVmServiceArgs, VmServiceArgs, VmServiceSpec } from "./vmServiceArgs";

export type { VmServiceArgs } from "./vmServiceArgs";

/**
 * The VM service: team namespaces, the jump host and host CA, and every team's VMs. VMs wait for
 * `kubevirtReady`, disks for `cdiReady`, both for their namespace; nothing waits for monitoring.
 * Children are named `<name>-…`, so two VM services in one stack do not collide (in one cluster
 * they also need different teams and `accessNamespace`s).
 */
export class VmService extends pulumi.ComponentResource {
    /** `dev`, `staging` or `prod`, as given or defaulted. */
    readonly environment: string;
    /** Every VM, fleets expanded to `<fleet>-<i>`, with OS version, resources, namespace and DNS names resolved. */
    readonly vms: ResolvedVm[];
    /** The teams with their namespaces and quotas (what the team-quota stack policies read). */
    readonly teams: { name: string; namespace: string; quota: VmServiceSpec["teams"][number]["quota"] }[];
    /** The jump host's port and user. */
    readonly jumpHost: { port: number; user: string };
    /** The team namespaces with their quotas, RBAC and network policies. */
    readonly tenancy: Tenancy;
    /** The jump host and host CA; undefined while no VM is declared. */
    readonly access?: Access;
    /** The Kubernetes provider made from `kubeconfig`; undefined when the provider came with `opts`. */
    readonly provider?: k8s.Provider;
    /** Rendered cloud-init by `<team>/<vm>`, secret (it holds the VM's host key); not registered, see TeamVms. */
    readonly cloudInit: Record<string, pulumi.Output<string>> = {};

    constructor(name: string, args: VmServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        const spec = parseVmServiceArgs(name, args, opts);
        const summary = vmServiceSummary(spec);
        super("ironcloud:vms:VmService", name, summary, opts);
        this.environment = summary.environment;
        this.teams = summary.teams;
        this.jumpHost = summary.jumpHost;
        this.vms = resolveVms(spec);
        if (args.kubeconfig !== undefined) {
            this.provider = new k8s.Provider(`${name}-provider`, { kubeconfig: pulumi.secret(args.kubeconfig) }, childOptions(this, opts));
        }
        const children = (): pulumi.ComponentResourceOptions => ({ ...childOptions(this, opts), ...(this.provider ? { providers: [this.provider] } : {}) });

        this.tenancy = new Tenancy(`${name}-tenancy`, { teams: spec.teams, accessNamespace: spec.accessNamespace }, children());
        if (this.vms.length > 0) {
            this.access = new Access(`${name}-access`, {
                access: spec.access,
                teamNamespaces: spec.teams.map((t) => teamNamespace(t.name)),
                dnsDomain: spec.dnsDomain,
                namespace: spec.accessNamespace,
            }, children());
        }
        for (const team of spec.teams) {
            const vms = this.vms.filter((vm) => vm.team === team.name);
            if (vms.length === 0 || !this.access) continue;
            const teamVms = new TeamVms(`${name}-${team.name}`, {
                vms,
                hostCa: this.access.hostCa,
                protectDisks: spec.environment === "prod",
                kubevirtReady: args.kubevirtReady ?? [],
                cdiReady: args.cdiReady ?? [],
                namespace: this.tenancy.namespaces[team.name],
            }, children());
            for (const [vm, userData] of Object.entries(teamVms.cloudInit)) this.cloudInit[`${team.name}/${vm}`] = userData;
        }
        // Stack policies (team-quota-fits, the team namespace checks) read environment, teams and jumpHost.
        this.registerOutputs({
            ...summary,
            vms: this.vms.map(({ name: vm, team, namespace, fqdn, os, version }) => ({ name: vm, team, namespace, fqdn, os, version })),
            ...(this.access ? { access: { endpoint: this.access.endpoint, sshConfig: this.access.sshConfig, knownHosts: this.access.knownHosts } } : {}),
        });
    }
}

/** The teams and their quotas, as the component's inputs and registered outputs, for the policies. */
export function vmServiceSummary(spec: VmServiceSpec) {
    return {
        environment: spec.environment,
        teams: spec.teams.map((t) => ({ name: t.name, namespace: teamNamespace(t.name), quota: t.quota })),
        jumpHost: { port: spec.access.port, user: spec.access.user },
    };
}
