/** Stack configs of a chosen size, for benchmarks. */

const benchKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIuOSaZXyw0ciifvRRsAnAKYzOihu0M9k6pcpBEjLw49 bench@example.com";

export function generatedClusterConfig(controlPlanes: number, workers: number): Record<string, unknown> {
    const node = (role: string, i: number, base: number) => ({ name: `${role === "controlplane" ? "cp" : "w"}-${i + 1}`, address: `10.1.${Math.floor((base + i) / 250)}.${((base + i) % 250) + 2}`, role });
    return {
        "ironcloud:environment": "prod",
        "ironcloud:cluster": {
            name: "bench",
            endpoint: "https://10.1.255.10:6443",
            vip: "10.1.255.10",
            installDisk: "/dev/nvme0n1",
            extensions: ["siderolabs/drbd"],
            diskEncryption: "tpm",
            network: { nodeSubnet: "10.1.0.0/16" },
            nodes: [
                ...Array.from({ length: controlPlanes }, (_, i) => node("controlplane", i, 0)),
                ...Array.from({ length: workers }, (_, i) => node("worker", i, controlPlanes)),
            ],
        },
        "ironcloud:platform": { loadBalancerIPs: ["10.1.254.0/28"], storage: { devices: ["/dev/nvme1n1"], replicas: Math.min(3, workers) } },
        "ironcloud:access": { loadBalancerIP: "10.1.254.1", authorizedKeys: [benchKey] },
    };
}

/**
 * `vmCount` VMs spread over `teamCount` teams: half single VMs (every fourth with a persistent
 * disk), half in fleets of ten.
 */
export function generatedVmConfig(vmCount: number, teamCount: number): Record<string, unknown> {
    const teams = Array.from({ length: teamCount }, (_, i) => ({ name: `team-${i}`, quota: { cpu: 4000, memory: "16Ti" }, users: [`user-${i}`] }));
    const singles = Math.floor(vmCount / 2);
    const fleetCount = Math.ceil((vmCount - singles) / 10);
    return {
        ...generatedClusterConfig(3, 50),
        "ironcloud:operatingSystems": { ubuntu: { image: "quay.io/containerdisks/ubuntu", versions: ["24.04"], user: "ubuntu", resources: { cpu: 2, memory: "4Gi" } } },
        "ironcloud:teams": teams,
        "ironcloud:vms": Array.from({ length: singles }, (_, i) => ({
            name: `vm-${i}`, team: teams[i % teamCount].name, os: "ubuntu", authorizedKeys: [benchKey], ...(i % 4 === 0 ? { disk: "40Gi" } : {}),
        })),
        "ironcloud:fleets": Array.from({ length: fleetCount }, (_, i) => ({
            name: `fleet-${i}`, team: teams[i % teamCount].name, os: "ubuntu", replicas: Math.min(10, vmCount - singles - i * 10), authorizedKeys: [benchKey],
        })),
    };
}
