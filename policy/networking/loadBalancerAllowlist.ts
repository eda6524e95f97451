import * as k8s from "@pulumi/kubernetes";
import { configSchema, resourcePolicyOfType } from "../lib/policy";
import { namespacedName } from "../namespaces/teamNamespaces";

/** The jump host is the one way in; it is always allowed (components/access/jumpHostObjects.ts). */
export const jumpHostService = "ironcloud-access/jump-host";

export interface LoadBalancerAllowlistConfig {
    /** Further Services allowed a LoadBalancer address, as "namespace/name". */
    allowedLoadBalancers?: string[];
}

/** Addresses from the LB pool are reachable from outside the cluster: each one is a decision. */
export const loadBalancerAllowlist = resourcePolicyOfType(k8s.core.v1.Service, {
    name: "loadbalancer-allowlist",
    description: "Only the jump host and the Services listed in allowedLoadBalancers are of type LoadBalancer.",
    severity: "high",
    remediationSteps: "Make the Service ClusterIP, or add \"namespace/name\" to this policy's allowedLoadBalancers in policy/config.<environment>.json.",
    configSchema: configSchema({
        allowedLoadBalancers: { type: "array", items: { type: "string", pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$" } },
    }),
    validate: (service, args, report) => {
        if (service.spec?.type !== "LoadBalancer") return;
        const ref = namespacedName(service.metadata, args.name);
        const allowed = [jumpHostService, ...(args.getConfig<LoadBalancerAllowlistConfig>().allowedLoadBalancers ?? [])];
        if (!allowed.includes(ref)) report(`Service ${ref} is of type LoadBalancer but is not the jump host or in allowedLoadBalancers; make it ClusterIP or add "${ref}" to allowedLoadBalancers.`);
    },
});
