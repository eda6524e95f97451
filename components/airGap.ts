import * as pulumi from "@pulumi/pulumi";
import { DeclaredSources, Reference } from "../policy/lib/rules/airGapRules";

export interface AirGapArgs {
    /** The mirrors the stack declares, and the DNS domains inside the site. */
    declared: DeclaredSources;
    /**
     * What the stack fetches that no resource shows: every pinned artifact with the location it
     * comes from (the images inside Helm charts and release manifests among them), and hosts the
     * nodes reach by default (time servers).
     */
    fetches: Reference[];
}

/**
 * The record of a stack that declares itself air-gapped: no cloud object, only what the
 * `air-gapped` stack policy needs besides the resources themselves. Its presence is the
 * declaration; the policy checks every resource and every fetch against `declared`.
 */
export class AirGap extends pulumi.ComponentResource {
    /** The declared mirrors and site domains. */
    readonly declared: DeclaredSources;
    /** The fetches no resource shows. */
    readonly fetches: Reference[];

    constructor(name: string, args: AirGapArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ironcloud:cloud:AirGap", name, {}, opts);
        this.declared = args.declared;
        this.fetches = args.fetches;
        this.registerOutputs({ declared: this.declared, fetches: this.fetches });
    }
}
