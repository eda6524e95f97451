import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { unknownCheckingProxy } from "./policyInternals";
import { reveal } from "../offline/evaluate";
import { RecordedResource } from "../offline/recordingMonitor";

/**
 * What CrossGuard shows the policies at `pulumi preview` of a new stack, rebuilt from an offline
 * evaluation (measured with the CLI 3.248.0 on test/fixtures/Pulumi.bad.yaml; see
 * test/engine/preview.engine.ts):
 * - a resource policy sees a resource's inputs; an input whose value comes from another resource
 *   of the run is unknown (that resource is only being created). Offline every value is known,
 *   so the inputs with property dependencies are made unknown again — for every resource of the
 *   bad fixture exactly the inputs the CLI showed unknown;
 * - a stack policy sees outputs: for a component, what it passed to `registerOutputs` and nothing
 *   of its constructor inputs; for a custom resource its known inputs, or nothing at all when
 *   its provider's configuration is unknown, as the Kubernetes provider's is while its kubeconfig
 *   comes from the PKI the same run creates.
 * Left out: provider-computed outputs and defaults (unknown or absent at preview anyway), and
 * component outputs built from other resources, which are known here but unknown under the CLI.
 */

/** Inputs as a resource policy sees them at preview, unknowns included (reading one throws). */
export function previewInputs(resource: RecordedResource): Record<string, unknown> {
    const unknown = unknownKeys(resource);
    const props = Object.fromEntries(Object.entries(reveal(resource.inputs) as Record<string, unknown>).map(([key, value]) => [key, unknown.has(key) ? unknownValue : value]));
    return unknownCheckingProxy(props) as Record<string, unknown>;
}

/** Outputs as a stack policy sees them at preview. */
export function stackPolicyProps(resource: RecordedResource, byUrn: Map<string, RecordedResource>): Record<string, unknown> {
    if (!resource.custom) return reveal(resource.outputs ?? {}) as Record<string, unknown>;
    const provider = byUrn.get(providerUrn(resource.provider));
    if (provider && unknownKeys(provider).size > 0) return {};
    return previewInputs(resource);
}

/** A provider reference is "<urn>::<id>". */
export const providerUrn = (reference: string) => reference.split("::").slice(0, -1).join("::");

const unknownKeys = (resource: RecordedResource) =>
    new Set(Object.entries(resource.propertyDependencies).filter(([, deps]) => deps.length > 0).map(([key]) => key));
