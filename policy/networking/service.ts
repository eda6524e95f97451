import { ResourceValidationArgs } from "@pulumi/policy";
import { metadataOf, namespaceOf } from "../namespaces/teamNamespaces";

export interface ServiceSpec {
    type?: string;
    externalIPs?: string[];
    ports?: { port?: number; nodePort?: number }[];
}

export const serviceSpecOf = (args: ResourceValidationArgs) => (args.props.spec ?? {}) as ServiceSpec;

/** `namespace/name` of a Service, as the allowlist and messages write it. */
export const serviceRef = (args: ResourceValidationArgs) => `${namespaceOf(args)}/${metadataOf(args).name ?? args.name}`;
