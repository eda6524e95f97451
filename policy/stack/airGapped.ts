import { airGapViolations, AirGapViolation, DeclaredSources, Reference, referencesIn } from "../lib/rules/airGapRules";
import { UnknownValueError } from "@pulumi/policy";
import { stackPolicy } from "../lib/policy";

export const airGapType = "ironcloud:cloud:AirGap";

interface AirGapProps {
    declared: DeclaredSources;
    fetches: Reference[];
}

/** A resource as stack policies and the offline plan see it. */
interface SeenResource {
    type: string;
    name: string;
    props: Record<string, unknown>;
}

/**
 * What an air-gapped stack would fetch from outside its declared mirrors, one finding per host
 * (a host that serves a thousand VM images is one decision). Undefined when the stack does not
 * declare itself air-gapped. Shared by the policy and the plan's summary.
 */
export function airGapFindings(resources: SeenResource[], isUnknown?: (error: unknown) => boolean): { checked: number; byHost: Map<string, AirGapViolation[]> } | undefined {
    const record = resources.find((r) => r.type === airGapType);
    if (record === undefined) return undefined;
    const { declared, fetches } = record.props as unknown as AirGapProps;
    const references = [
        ...fetches,
        ...resources.filter((r) => r !== record).flatMap((r) => referencesIn(r.props, `${r.type.split(":").pop()} ${r.name}`, isUnknown)),
    ];
    const byHost = new Map<string, AirGapViolation[]>();
    for (const violation of airGapViolations(references, declared)) byHost.set(violation.host, [...(byHost.get(violation.host) ?? []), violation]);
    return { checked: references.length, byHost };
}

/** One line per host: how many references, and the first few with where they are. */
export function describeHost(host: string, violations: AirGapViolation[]): string {
    const shown = violations.slice(0, 3).map((v) => `${v.where}: ${v.reference}`).join("; ");
    const more = violations.length > 3 ? `; and ${violations.length - 3} more` : "";
    return `${host} is not a declared mirror, yet ${violations.length} reference${violations.length === 1 ? "" : "s"} fetch from it (${shown}${more}).`;
}

/** An air-gapped site has no route out: what is not mirrored fails at install time, not at review. */
export const airGapped = stackPolicy({
    name: "air-gapped",
    description: "A stack that declares itself air-gapped (ironcloud:mirrors.airGapped) fetches every chart, manifest, image, boot asset and time source from its declared mirrors or from inside the site.",
    severity: "critical",
    remediationSteps: "Mirror the host's artifacts and declare the mirror (ironcloud:mirrors charts/manifests, cluster.registryMirrors for images, cluster.imageFactory for Talos assets), name the site's own time servers in a patch (machine.time.servers), or list an internal domain in ironcloud:mirrors.siteDomains. `npm run plan` lists every artifact in artifacts.json.",
    validate: (args, report) => {
        const findings = airGapFindings(args.resources, (error) => error instanceof UnknownValueError);
        for (const [host, violations] of findings?.byHost ?? []) report(describeHost(host, violations));
    },
});
