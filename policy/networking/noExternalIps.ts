import * as k8s from "@pulumi/kubernetes";
import { resourcePolicyOfType } from "../lib/policy";
import { namespacedName } from "../namespaces/teamNamespaces";

/** externalIPs lets a Service claim any address on the nodes (CVE-2020-8554); LB-IPAM hands out addresses instead. */
export const noExternalIps = resourcePolicyOfType(k8s.core.v1.Service, {
    name: "no-external-ips",
    description: "No Service sets spec.externalIPs.",
    severity: "high",
    remediationSteps: "Remove spec.externalIPs; expose the Service as an allowed LoadBalancer with an address from the Cilium LB pool.",
    validate: (service, args, report) => {
        const count = (service.spec?.externalIPs ?? []).length;
        if (count > 0) report(`Service ${namespacedName(service.metadata, args.name)} sets ${count} externalIPs; remove spec.externalIPs and use an allowed LoadBalancer instead.`);
    },
});
