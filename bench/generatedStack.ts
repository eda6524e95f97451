import { createHash, createPrivateKey, createPublicKey } from "node:crypto";

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

/** A stack config and the team inventory files it names, by path relative to the project directory. */
export interface GeneratedStack {
    config: Record<string, unknown>;
    files: Record<string, { vms: Record<string, unknown>[]; fleets: Record<string, unknown>[] }>;
}

/**
 * `vmCount` VMs over `teamCount` teams on a 3 + 50 node cluster, laid out as a large site would:
 * each team's VMs in its own inventory file (`stacks/<stack>/<team>.yaml`), one Ed25519 key per
 * team declared once in `ironcloud:sshKeys` and named by its VMs. Half the VMs are single VMs
 * (every fourth with a persistent disk), half in fleets of ten.
 */
export function generatedVmStack(vmCount: number, teamCount: number, stack = "bench"): GeneratedStack {
    const teamNames = Array.from({ length: teamCount }, (_, i) => `team-${i}`);
    const singles = Math.floor(vmCount / 2);
    const fleetCount = Math.ceil((vmCount - singles) / 10);
    const inventoryOf = (team: string) => `stacks/${stack}/${team}.yaml`;
    const files: GeneratedStack["files"] = Object.fromEntries(teamNames.map((team) => [inventoryOf(team), { vms: [], fleets: [] }]));
    for (let i = 0; i < singles; i++) {
        const team = teamNames[i % teamCount];
        files[inventoryOf(team)].vms.push({ name: `vm-${i}`, os: "ubuntu", authorizedKeys: [team], ...(i % 4 === 0 ? { disk: "40Gi" } : {}) });
    }
    for (let i = 0; i < fleetCount; i++) {
        const team = teamNames[i % teamCount];
        files[inventoryOf(team)].fleets.push({ name: `fleet-${i}`, os: "ubuntu", replicas: Math.min(10, vmCount - singles - i * 10), authorizedKeys: [team] });
    }
    return {
        config: {
            ...generatedClusterConfig(3, 50),
            "ironcloud:sshKeys": Object.fromEntries(teamNames.map((team) => [team, teamKey(team)])),
            "ironcloud:operatingSystems": { ubuntu: { image: "quay.io/containerdisks/ubuntu", versions: ["24.04"], user: "ubuntu", resources: { cpu: 2, memory: "4Gi" } } },
            "ironcloud:teams": teamNames.map((team, i) => ({ name: team, quota: { cpu: 4000, memory: "16Ti" }, users: [`user-${i}`], inventory: inventoryOf(team) })),
        },
        files,
    };
}

/** A fixed Ed25519 public key per team (derived from its name), as an OpenSSH key line. */
function teamKey(team: string): string {
    const seed = createHash("sha256").update(`ironcloud-bench-${team}`).digest();
    const pkcs8 = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]);
    const raw = Buffer.from(createPublicKey(createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" })).export({ format: "jwk" }).x as string, "base64url");
    const field = (data: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, data.length]), data]);
    return `ssh-ed25519 ${Buffer.concat([field(Buffer.from("ssh-ed25519")), field(raw)]).toString("base64")} ${team}@bench.example.com`;
}
