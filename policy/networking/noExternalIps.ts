import { resourcePolicy, types } from "../lib/policy";
import { serviceRef, serviceSpecOf } from "./service";

/** externalIPs lets a Service claim any address on the nodes (CVE-2020-8554); LB-IPAM hands out addresses instead. */
export const noExternalIps = resourcePolicy({
    name: "no-external-ips",
    description: "No Service sets spec.externalIPs.",
    severity: "high",
    remediationSteps: "Remove spec.externalIPs; expose the Service as an allowed LoadBalancer with an address from the Cilium LB pool.",
    validate: (args, report) => {
        if (args.type !== types.service) args.notApplicable("only Services have externalIPs");
        const count = (serviceSpecOf(args).externalIPs ?? []).length;
        if (count > 0) report(`Service ${serviceRef(args)} sets ${count} externalIPs; remove spec.externalIPs and use an allowed LoadBalancer instead.`);
    },
});
