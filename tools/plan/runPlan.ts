import { loadStack, StackSelection } from "../offline/loadStack";
import { planWarnings } from "./warnings";
import { writeArtifacts, writeImagerProfiles } from "./writeBuildInputs";
import { artifactSummary } from "../../infra/artifacts";
import { unresolvedExtensions } from "../../components/talos/imagerProfile";
import * as versions from "../../infra/versions";
import { resourceCounts, writePlan } from "./writePlan";
import { UnknownValueError } from "@pulumi/policy";
import { airGapFindings, describeHost } from "../../policy/stack/airGapped";
import { RecordedResource } from "../offline/recordingMonitor";
import { stackPolicyProps } from "../policy/stackView";

/** For a stack that declares itself air-gapped: what the air-gapped policy will say, as stack policies see the resources. */
function airGapSummary(resources: RecordedResource[]): string[] {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const findings = airGapFindings(resources.map((r) => ({ type: r.type, name: r.name, props: stackPolicyProps(r, byUrn) })), (error) => error instanceof UnknownValueError);
    if (findings === undefined) return [];
    if (findings.byHost.size === 0) return [`air-gapped: all ${findings.checked} references come from declared mirrors or the site`];
    return [`air-gapped: ${findings.byHost.size} undeclared host${findings.byHost.size === 1 ? "" : "s"} (the air-gapped policy fails):`, ...[...findings.byHost].map(([host, v]) => `  ${describeHost(host, v)}`)];
}

export interface PlanOptions extends StackSelection {
    outDir: string;
}

/** `npm run plan`: evaluate one stack offline, write out/<stack>/, print a summary. Returns the exit code. */
export async function runPlan(options: PlanOptions, print: (line: string) => void): Promise<number> {
    const loaded = await loadStack(options, print);
    if (!loaded) return 1;
    const { spec, evaluation } = loaded;
    const stack = evaluation.stack;
    const dir = writePlan(evaluation, options.outDir);

    print(`stack ${stack} (${spec.environment}): ${evaluation.resources.length} resources, written to ${dir}`);
    for (const [type, count] of resourceCounts(evaluation)) print(`  ${String(count).padStart(4)}  ${type}`);
    for (const node of spec.cluster.nodes ?? []) print(`  node ${node.name} ${node.address} ${node.role}`);
    const talos = evaluation.outputs.talos as { installerImage: string; pxeScript: string } | undefined;
    if (talos) print(`  installer ${talos.installerImage}\n  netboot   ${talos.pxeScript}`);
    if (writeImagerProfiles(spec, dir).length > 0) {
        const missing = unresolvedExtensions({ extensions: spec.cluster.extensions, extensionImages: versions.extensionImages[spec.cluster.talosVersion] ?? {} });
        print(`  imager profiles in talos/imager-*.yaml${missing.length > 0 ? ` (fill in the image of ${missing.join(", ")})` : ""}`);
    }
    print(`  ${artifactSummary(writeArtifacts(spec, dir))}`);
    for (const line of airGapSummary(evaluation.resources)) print(`  ${line}`);
    for (const warning of planWarnings(spec)) print(`  warning: ${warning}`);
    return 0;
}
