import { ResourceValidationArgs } from "@pulumi/policy";
import { metadataOf, namespacedName } from "../namespaces/teamNamespaces";

export interface VirtualMachineSpec {
    running?: unknown;
    runStrategy?: string;
    dataVolumeTemplates?: unknown[];
    template?: { spec?: { domain?: { resources?: { requests?: { cpu?: string | number; memory?: string | number } } } } };
}

export const vmSpecOf = (r: { props: Record<string, unknown> }) => (r.props.spec ?? {}) as VirtualMachineSpec;
export const vmRequestsOf = (r: { props: Record<string, unknown> }) => vmSpecOf(r).template?.spec?.domain?.resources?.requests ?? {};

/** `namespace/name` of a namespaced object, for messages. */
export const objectRef = (args: Pick<ResourceValidationArgs, "props" | "name">) => namespacedName(metadataOf(args), args.name);
