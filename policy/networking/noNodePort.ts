import { resourcePolicy, types } from "../lib/policy";
import { serviceRef, serviceSpecOf } from "./service";

/** A NodePort opens the port on every node's address, past the jump host and the LB allowlist. */
export const noNodePort = resourcePolicy({
    name: "no-nodeport",
    description: "No Service is of type NodePort.",
    severity: "high",
    remediationSteps: "Use a ClusterIP Service (reach it through the jump host), or an allowed LoadBalancer listed in allowedLoadBalancers.",
    validate: (args, report) => {
        if (args.type !== types.service) args.notApplicable("only Services have a type");
        if (serviceSpecOf(args).type === "NodePort") report(`Service ${serviceRef(args)} is of type NodePort, which opens it on every node; use ClusterIP or an allowed LoadBalancer.`);
    },
});
