/**
 * What a person puts in ~/.ssh: one block that sends every `*.vm` name through the jump host,
 * and `@cert-authority` lines so the jump host and every VM are trusted without a prompt.
 */

export interface JumpEndpoint {
    address: string;
    port: number;
    user: string;
}

export function sshConfigBlock({ address, port, user }: JumpEndpoint): string {
    return [
        "Host *.vm *.vm.*.svc.cluster.local",
        `    ProxyJump ${user}@${address}:${port}`,
        "    StrictHostKeyChecking yes",
        "",
    ].join("\n");
}

/** Host patterns the host CA vouches for: the jump host's names and every VM name. */
export function knownHostsLines(hostCaPublicKey: string, jumpNames: string[], port: number): string[] {
    const key = hostCaPublicKey.trim().split(/\s+/).slice(0, 2).join(" ");
    const jumpPatterns = jumpNames.map((name) => (port === 22 ? name : `[${name}]:${port}`));
    return [`@cert-authority ${jumpPatterns.join(",")} ${key}`, `@cert-authority *.vm,*.vm.*.svc.cluster.local ${key}`];
}
