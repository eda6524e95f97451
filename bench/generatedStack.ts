/** Stack configs of a chosen size, for benchmarks: a Talos cluster of N nodes. */
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
        "ironcloud:platform": { storage: { devices: ["/dev/nvme1n1"], replicas: Math.min(3, workers) } },
    };
}
