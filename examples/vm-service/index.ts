import * as pulumi from "@pulumi/pulumi";
import { VmService } from "ironcloud";

/*
 * ironcloud as a library: only the VM service, on a cluster that another stack built (the
 * ironcloud program itself, or any Kubernetes with KubeVirt and CDI). Its kubeconfig is that
 * stack's secret output, so it is an Output here, never plaintext in this stack's config.
 */
const config = new pulumi.Config();
const cluster = new pulumi.StackReference(config.get("clusterStack") ?? "acme/ironcloud/prod");

const service = new VmService("team-vms", {
    kubeconfig: cluster.requireOutput("kubeconfig") as pulumi.Output<string>,
    environment: "prod",
    sshKeys: { alice: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILLuwUeXRVf6CUEec3er5nKYLXfF8Pc22jL4zzdANJoY alice@acme" },
    access: { loadBalancerIP: "10.20.0.240", authorizedKeys: ["alice"] },
    operatingSystems: {
        debian: {
            image: "quay.io/containerdisks/debian", versions: ["12"], user: "debian",
            resources: { cpu: 2, memory: "4Gi" },
        },
    },
    teams: [{ name: "lab", quota: { cpu: "16", memory: "64Gi", storage: "500Gi" } }],
    vms: [
        { name: "build", team: "lab", os: "debian", cpu: 4, memory: "8Gi", disk: "100Gi", authorizedKeys: ["alice"] },
        { name: "sandbox", team: "lab", os: "debian", authorizedKeys: ["alice"] },
    ],
});

export const vms = service.vms.map((vm) => vm.fqdn);
export const jumpHost = service.access?.endpoint;
export const knownHosts = service.access?.knownHosts;
