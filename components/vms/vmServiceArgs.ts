import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { dnsLabel } from "../../infra/validation/fields";
import { Problem } from "../../infra/validation/problem";
import * as sections from "../../infra/validation/sections";
import { resolveKeyNames, vmServiceProblems } from "../../infra/validation/vmServiceRules";
import { checkArgs, ComponentArgsError, parseArgs } from "../componentArgs";
import { defaultAccessNamespace } from "../labels";

/**
 * What a VmService is declared from. The sections have the keys of the stack config key of the
 * same name (`ironcloud:teams`, `ironcloud:vms`, ...), with the same defaults, and are checked
 * with the same rules: every problem at once, as `VmService "<name>": <path>: <why>`.
 */
export interface VmServiceArgs {
    /**
     * Kubeconfig of the cluster the VMs run on. The component makes its own Kubernetes provider
     * from it (kept secret). Leave it out to use `opts.provider` (or a provider inherited from a
     * parent); giving both is an error. Checked when plain: an Output is not checked.
     */
    kubeconfig?: pulumi.Input<string>;
    /** `dev`, `staging` or `prod`; default `dev`. In `prod` every resource of a VM with a persistent disk or volume is protected from deletion. */
    environment?: z.input<typeof sections.environment>;
    /**
     * The teams (keys of `ironcloud:teams`): each gets a namespace named after it with its quota,
     * limits, RBAC and network policies. `inventory` files are read by the ironcloud program only;
     * here VMs come from `vms` and `fleets`. Default: none.
     */
    teams?: z.input<typeof sections.teams>;
    /** The VMs (keys of `ironcloud:vms`); `authorizedKeys` and `trustedUserCAKeys` entries may name keys of `sshKeys`. Default: none. */
    vms?: z.input<typeof sections.vms>;
    /** Fleets of identical VMs `<name>-0` … `<name>-<replicas-1>` (keys of `ironcloud:fleets`). Default: none. */
    fleets?: z.input<typeof sections.fleets>;
    /** Public keys by name (`ironcloud:sshKeys`), for `access`, `vms` and `fleets` to name. Default: none. */
    sshKeys?: z.input<typeof sections.sshKeys>;
    /**
     * The OS catalog (keys of `ironcloud:operatingSystems`) that a VM's `os` names. Default: empty,
     * as in the stack config, which has no built-in catalog: declare every OS the VMs use.
     */
    operatingSystems?: z.input<typeof sections.operatingSystems>;
    /**
     * The jump host (keys of `ironcloud:access`); with VMs it needs `loadBalancerIP` or
     * `hostnames`, and `authorizedKeys` or `trustedUserCAKeys`. Defaults as in the stack config.
     */
    access?: z.input<typeof sections.access>;
    /** The cluster's DNS domain, in VM names `<vm>.vm.<team>.svc.<dnsDomain>`; default `cluster.local`. */
    dnsDomain?: string;
    /**
     * The StorageClass of disks and volumes that name none; default: none set, so the cluster's
     * default StorageClass. The ironcloud program passes its `replicated` or `local` class.
     */
    defaultStorageClass?: string;
    /** What VMs wait for before they are declared, e.g. KubeVirt being Available; default: nothing. */
    kubevirtReady?: pulumi.Input<pulumi.Resource>[];
    /** What disks (DataVolumes) wait for, e.g. CDI being Available; default: nothing. */
    cdiReady?: pulumi.Input<pulumi.Resource>[];
    /** The namespace of the jump host; default `ironcloud-access`. Two VmServices in one cluster need different ones. */
    accessNamespace?: string;
}

/** The args parsed: every default applied, key names resolved, the stack config's rules passed. */
export interface VmServiceSpec {
    environment: sections.Environment;
    teams: sections.TeamConfig[];
    vms: sections.VmConfig[];
    fleets: sections.FleetConfig[];
    operatingSystems: Record<string, sections.OperatingSystemConfig>;
    access: sections.AccessConfig;
    dnsDomain: string;
    defaultStorageClass?: string;
    accessNamespace: string;
}

const component = "VmService";

/** Parses each section on its own, as the stack config does, so one mistake hides no other. */
export function parseVmServiceArgs(name: string, args: VmServiceArgs, opts?: pulumi.ComponentResourceOptions): VmServiceSpec {
    const problems: Problem[] = [];
    const parse = <T>(schema: z.ZodType<T>, value: unknown, path: string): T | undefined => {
        try {
            return parseArgs(component, name, schema, value, path);
        } catch (error) {
            if (!(error instanceof ComponentArgsError)) throw error;
            problems.push(...error.problems);
            return undefined;
        }
    };
    const spec = {
        environment: parse(sections.environment.default("dev"), args.environment, "environment"),
        teams: parse(sections.teams, args.teams ?? [], "teams"),
        vms: parse(sections.vms, args.vms ?? [], "vms"),
        fleets: parse(sections.fleets, args.fleets ?? [], "fleets"),
        operatingSystems: parse(sections.operatingSystems, args.operatingSystems ?? {}, "operatingSystems"),
        access: parse(sections.access, args.access ?? {}, "access"),
        dnsDomain: parse(sections.dnsDomain.default("cluster.local"), args.dnsDomain, "dnsDomain"),
        defaultStorageClass: parse(dnsLabel.optional(), args.defaultStorageClass, "defaultStorageClass"),
        accessNamespace: parse(dnsLabel.default(defaultAccessNamespace), args.accessNamespace, "accessNamespace"),
    };
    if (typeof args.kubeconfig === "string") parse(z.string().min(1), args.kubeconfig, "kubeconfig");
    if (args.kubeconfig !== undefined && opts?.provider !== undefined) {
        problems.push({ path: "kubeconfig", message: "excludes opts.provider: give the cluster by one of them" });
    }
    const sshKeys = parse(sections.sshKeys, args.sshKeys ?? {}, "sshKeys");
    if (sshKeys) problems.push(...resolveKeyNames(spec, sshKeys));
    problems.push(...vmServiceProblems(spec, spec.accessNamespace));
    checkArgs(component, name, problems);
    return spec as VmServiceSpec;
}
