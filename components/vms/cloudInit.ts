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
    const { users, write_files, ...settings } = publicCloudConfig(vm);
    return {
        ...settings,
        ssh_keys: {
            ed25519_private: host.privateKey,
            ed25519_public: host.publicKey.trim(),
            ed25519_certificate: host.certificate.trim(),
        },
        users,
        write_files,
    };
}

/**
 * The user-data without `ssh_keys`: logins, password settings and the sshd drop-in, nothing
 * secret, and known before any key exists. It travels beside the user-data as an annotation of
 * the Secret, so the VM policies can judge it at `pulumi preview`, when the user-data itself is
 * unknown (it embeds the host key the same run creates).
 */
export function publicCloudConfig(vm: ResolvedVm): Record<string, unknown> {
    const hasUserCas = vm.trustedUserCAKeys.length > 0;
    return {
        hostname: vm.name,
        fqdn: vm.fqdn,
        prefer_fqdn_over_hostname: false,
        ssh_pwauth: false,
        disable_root: true,
        // Image keys are deleted; with ssh_keys given, cloud-init generates none of its own.
        ssh_deletekeys: true,
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

const render = (config: Record<string, unknown>) => `#cloud-config\n${stringify(config, { lineWidth: 0 })}`;

export function renderCloudInit(vm: ResolvedVm, host: VmHostIdentity): string {
    return render(cloudConfig(vm, host));
}

/** The annotation of the cloud-init Secret that carries publicCloudConfig (policy/vms/cloudInit.ts reads it). */
export const publicCloudConfigAnnotation = "ironcloud.dev/public-cloud-config";

export const renderPublicCloudInit = (vm: ResolvedVm): string => render(publicCloudConfig(vm));
