import { stringify } from "yaml";
import { ResolvedVm } from "./catalog";

/**
 * The VM's cloud-init user-data: the login user with its keys, the host key and the host
 * certificate signed by the ironcloud host CA, a sshd drop-in that trusts the user CAs and
 * presents the certificate, and no password login anywhere. It holds a private key, so it only
 * ever travels as a Kubernetes Secret and a Pulumi secret.
 */

export interface VmHostIdentity {
    privateKey: string;
    publicKey: string;
    certificate: string;
}

export const sshdDropInPath = "/etc/ssh/sshd_config.d/10-ironcloud.conf";
export const userCaKeysPath = "/etc/ssh/ironcloud_user_ca_keys.pub";
export const hostCertificatePath = "/etc/ssh/ssh_host_ed25519_key-cert.pub";

/**
 * The sshd settings the drop-in carries (first match wins in sshd, hence the low number).
 * cloud-init writes the certificate from `ssh_keys` to hostCertificatePath and may add its own
 * HostCertificate line; a repeated line is harmless, a missing one would lose the certificate.
 */
export function vmSshdDropIn(hasUserCas: boolean): string {
    return [
        `HostCertificate ${hostCertificatePath}`,
        ...(hasUserCas ? [`TrustedUserCAKeys ${userCaKeysPath}`] : []),
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "PermitRootLogin no",
        "",
    ].join("\n");
}

export function cloudConfig(vm: ResolvedVm, host: VmHostIdentity): Record<string, unknown> {
    const hasUserCas = vm.trustedUserCAKeys.length > 0;
    return {
        hostname: vm.name,
        fqdn: vm.fqdn,
        prefer_fqdn_over_hostname: false,
        ssh_pwauth: false,
        disable_root: true,
        // Image keys are deleted; with ssh_keys given, cloud-init generates none of its own.
        ssh_deletekeys: true,
        ssh_keys: {
            ed25519_private: host.privateKey,
            ed25519_public: host.publicKey.trim(),
            ed25519_certificate: host.certificate.trim(),
        },
        users: [{
            name: vm.user,
            lock_passwd: true,
            shell: "/bin/bash",
            sudo: "ALL=(ALL) NOPASSWD:ALL",
            ...(vm.authorizedKeys.length > 0 ? { ssh_authorized_keys: vm.authorizedKeys } : {}),
        }],
        write_files: [
            ...(hasUserCas ? [{ path: userCaKeysPath, permissions: "0644", content: `${vm.trustedUserCAKeys.join("\n")}\n` }] : []),
            { path: sshdDropInPath, permissions: "0644", content: vmSshdDropIn(hasUserCas) },
            ...(vm.hostAliases.length > 0
                ? [{ path: "/etc/hosts", append: true, content: vm.hostAliases.map((a) => `${a.ip} ${a.hostnames.join(" ")}`).join("\n") + "\n" }]
                : []),
        ],
    };
}

export function renderCloudInit(vm: ResolvedVm, host: VmHostIdentity): string {
    return `#cloud-config\n${stringify(cloudConfig(vm, host), { lineWidth: 0 })}`;
}
