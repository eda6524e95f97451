import { join } from "node:path";
import { repoRoot } from "../harness/program";
import { PulumiProject, PulumiResult, urnName } from "./harness/pulumi";

/**
 * `pulumi preview` with ironcloud's policy pack, read from the CLI's engine events.
 * `preview --json` alone carries no policy results in 3.248.0 (only steps and diagnostics); with
 * PULUMI_ENABLE_STREAMING_JSON_PREVIEW it prints one engine event per line instead, among them
 * `policyEvent` (a violation, or "can't run … during preview", with policy, level and URN) and
 * `policyAnalyzeSummaryEvent` (per resource: the policies that passed and failed).
 */

export interface EngineEvent {
    resourcePreEvent?: { metadata: { op: string; urn: string; type: string } };
    policyEvent?: { policyName: string; enforcementLevel: string; resourceUrn?: string; message: string };
    policyAnalyzeSummaryEvent?: { resourceUrn: string; policyPackName: string; passed?: string[]; failed?: string[] };
    summaryEvent?: { resourceChanges: Record<string, number>; result?: string };
}

export interface PolicyPreview extends PulumiResult {
    events: EngineEvent[];
}

export interface PolicyFinding {
    policy: string;
    level: string;
    /** The resource's name (the end of its URN); undefined for a stack-wide finding. */
    resource?: string;
    message: string;
}

/** Preview with the pack and policy/config.<environment>.json; the exit code is the caller's to judge. */
export async function previewWithPolicies(project: PulumiProject, environment: string): Promise<PolicyPreview> {
    const policyDir = join(repoRoot, "policy");
    const result = await project.run(
        ["preview", "--json", "--policy-pack", policyDir, "--policy-pack-config", join(policyDir, `config.${environment}.json`)],
        { env: { PULUMI_ENABLE_STREAMING_JSON_PREVIEW: "true" } },
    );
    return { ...result, events: parseEvents(result.stdout) };
}

/** One JSON event per line; anything else on stdout is a broken contract, not something to skip. */
export function parseEvents(stdout: string): EngineEvent[] {
    return stdout.split("\n").filter((line) => line.trim() !== "").map((line, index) => {
        try {
            return JSON.parse(line) as EngineEvent;
        } catch {
            throw new Error(`line ${index + 1} of pulumi preview --json is not an event: ${line.slice(0, 200)}`);
        }
    });
}

export function policyFindings(events: EngineEvent[]): PolicyFinding[] {
    return events.flatMap((e) => (e.policyEvent ? [{
        policy: e.policyEvent.policyName,
        level: e.policyEvent.enforcementLevel,
        resource: e.policyEvent.resourceUrn ? urnName(e.policyEvent.resourceUrn) : undefined,
        message: e.policyEvent.message,
    }] : []));
}

/** The URNs of the resources the preview plans, each once. */
export function plannedUrns(events: EngineEvent[]): string[] {
    return [...new Set(events.flatMap((e) => (e.resourcePreEvent ? [e.resourcePreEvent.metadata.urn] : [])))];
}

/** Per resource name, the ironcloud policies that ran on it and passed, and those that failed. */
export function analyzedPolicies(events: EngineEvent[]): Map<string, { passed: string[]; failed: string[] }> {
    const found = new Map<string, { passed: string[]; failed: string[] }>();
    for (const e of events) {
        const s = e.policyAnalyzeSummaryEvent;
        if (s?.policyPackName !== "ironcloud") continue;
        found.set(urnName(s.resourceUrn), { passed: s.passed ?? [], failed: s.failed ?? [] });
    }
    return found;
}

/** "policy resource" keys of mandatory findings, sorted, for comparing sets. */
export const mandatoryKeys = (findings: { policy: string; level: string; resource?: string }[]) =>
    [...new Set(findings.filter((f) => f.level === "mandatory").map((f) => `${f.policy} ${f.resource ?? "(stack)"}`))].sort();
