/**
 * The jump host's sshd_config. It does one thing: forward a TCP connection to port 22 of a VM
 * for a user who proved a key or a user certificate. No passwords, no shell, no TTY, no other
 * forwarding. sshd cannot match host patterns in PermitOpen, so "VMs only" is enforced by the
 * jump host's NetworkPolicy; PermitOpen pins the port.
 */

export interface JumpSshdPaths {
    hostKey: string;
    hostCertificate: string;
    authorizedKeys: string;
    trustedUserCaKeys: string;
    /** A command that exits at once; ForceCommand replaces any shell or command request with it. */
    noopCommand: string;
}

export const containerPaths: JumpSshdPaths = {
    hostKey: "/etc/ironcloud/host/ssh_host_ed25519_key",
    hostCertificate: "/etc/ironcloud/host/ssh_host_ed25519_key-cert.pub",
    authorizedKeys: "/etc/ironcloud/users/authorized_keys",
    trustedUserCaKeys: "/etc/ironcloud/users/trusted_user_ca_keys",
    noopCommand: "/bin/false",
};

export interface JumpSshdInput {
    port: number;
    user: string;
    listenAddress?: string;
    paths?: JumpSshdPaths;
}

export function jumpSshdConfig({ port, user, listenAddress = "0.0.0.0", paths = containerPaths }: JumpSshdInput): string {
    return [
        "# ironcloud jump host: key or certificate in, TCP to port 22 of a VM out, nothing else.",
        `Port ${port}`,
        `ListenAddress ${listenAddress}`,
        `HostKey ${paths.hostKey}`,
        `HostCertificate ${paths.hostCertificate}`,
        "PidFile none",
        "UsePAM no",
        // Keys are mounted read-only from a Secret owned by root; sshd runs as the jump user.
        "StrictModes no",
        `AllowUsers ${user}`,
        "PermitRootLogin no",
        "AuthenticationMethods publickey",
        "PubkeyAuthentication yes",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "HostbasedAuthentication no",
        "PermitEmptyPasswords no",
        `AuthorizedKeysFile ${paths.authorizedKeys}`,
        `TrustedUserCAKeys ${paths.trustedUserCaKeys}`,
        "PermitTTY no",
        `ForceCommand ${paths.noopCommand}`,
        "X11Forwarding no",
        "AllowAgentForwarding no",
        "AllowStreamLocalForwarding no",
        "PermitTunnel no",
        "GatewayPorts no",
        "PermitListen none",
        "AllowTcpForwarding local",
        "PermitOpen *:22",
        "PermitUserEnvironment no",
        "PermitUserRC no",
        "MaxAuthTries 3",
        "LoginGraceTime 30",
        "MaxStartups 50:30:200",
        "ClientAliveInterval 30",
        "ClientAliveCountMax 4",
        "LogLevel VERBOSE",
        "",
    ].join("\n");
}
