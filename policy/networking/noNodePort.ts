import * as k8s from "@pulumi/kubernetes";
import { resourcePolicyOfType } from "../lib/policy";
import { namespacedName } from "../namespaces/teamNamespaces";

/** A NodePort opens the port on every node's address, past the jump host and the LB allowlist. */
export const noNodePort = resourcePolicyOfType(k8s.core.v1.Service, {
    name: "no-nodeport",
    description: "No Service is of type NodePort.",
    severity: "high",
    remediationSteps: "Use a ClusterIP Service (reach it through the jump host), or an allowed LoadBalancer listed in allowedLoadBalancers.",
    validate: (service, args, report) => {
        if (service.spec?.type === "NodePort") report(`Service ${namespacedName(service.metadata, args.name)} is of type NodePort, which opens it on every node; use ClusterIP or an allowed LoadBalancer.`);
    },
});
