import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { createHash } from "node:crypto";
import { AccessConfig } from "../../infra/config";
import { defaultAccessNamespace, managedBy } from "../labels";
import { childOptions } from "../platform/namespace";
import { knownHostsLines, sshConfigBlock } from "./clientConfig";
import { jumpHostDeployment, jumpHostDisruptionBudget, jumpHostNetworkPolicy, jumpHostService, passwdFiles } from "./jumpHostObjects";
import { serialFor, signSshCertificate } from "./sshCertificates";
import { jumpSshdConfig } from "./sshdConfig";

/** What an Access is declared from; VmService checks and defaults it (keys of `ironcloud:access`). */
export interface AccessArgs {
    /** The jump host, parsed: every default applied and key names replaced by the keys. */
    access: AccessConfig;
    /** Team namespaces, in the jump host's DNS search list so `<vm>.vm` resolves (the first 29). */
    teamNamespaces: string[];
    /** The cluster's DNS domain, e.g. `cluster.local`. */
    dnsDomain: string;
    /** The namespace the jump host runs in, created here; default `ironcloud-access`. */
    namespace?: string;
}

/** Names the jump host's certificate vouches for: the addresses clients dial. */
export function jumpHostNames(access: AccessConfig): string[] {
    return [...(access.loadBalancerIP ? [access.loadBalancerIP] : []), ...access.hostnames];
}

/**
 * The host CA every VM and the jump host present certificates from, and the jump host itself:
 * one `@cert-authority` line trusts them all.
 */
export class Access extends pulumi.ComponentResource {
    /** The host CA's key (in state, secret): VM host certificates are signed with it. */
    readonly hostCa: tls.PrivateKey;
    /** Where clients connect: the jump host's addresses (load balancer IP, then hostnames), port and user. */
    readonly endpoint: { addresses: string[]; port: number; user: string };
    /** An OpenSSH client config block that reaches every VM through the jump host. */
    readonly sshConfig: string;
    /** `@cert-authority` known_hosts lines for the jump host and every VM. */
    readonly knownHosts: pulumi.Output<string[]>;
    /** The namespace the jump host runs in. */
    readonly namespace: string;

    constructor(name: string, { access, teamNamespaces, dnsDomain, namespace: namespaceName = defaultAccessNamespace }: AccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ironcloud:access:Access", name, {}, opts);
        // The keys wait for what the component waits for, like every child (childOptions).
        this.hostCa = new tls.PrivateKey(`${name}-host-ca`, { algorithm: "ED25519" }, childOptions(this, opts));
        const hostKey = new tls.PrivateKey(`${name}-jump-host-key`, { algorithm: "ED25519" }, childOptions(this, opts));
        const names = jumpHostNames(access);
        const certificate = pulumi.all([this.hostCa.privateKeyPem, hostKey.publicKeyOpenssh]).apply(([caPrivateKey, publicKey]) =>
            signSshCertificate({ caPrivateKey, publicKey, kind: "host", principals: names, keyId: "jump-host", serial: serialFor("jump-host") }));

        const namespace = new k8s.core.v1.Namespace(`${name}-namespace`, { metadata: { name: namespaceName, labels: managedBy } }, childOptions(this, opts));
        const inNamespace = childOptions(this, opts, [namespace]);
        const sshdConfig = jumpSshdConfig({ port: access.port, user: access.user });
        const users = {
            authorized_keys: access.authorizedKeys.map((k) => `${k}\n`).join(""),
            trusted_user_ca_keys: access.trustedUserCAKeys.map((k) => `${k}\n`).join(""),
        };
        const config = new k8s.core.v1.ConfigMap(`${name}-jump-config`, {
            metadata: { name: "jump-host", namespace: namespaceName, labels: managedBy },
            data: { sshd_config: sshdConfig, ...passwdFiles(access) },
        }, inNamespace);
        const usersConfig = new k8s.core.v1.ConfigMap(`${name}-jump-users`, {
            metadata: { name: "jump-host-users", namespace: namespaceName, labels: managedBy }, data: users,
        }, inNamespace);
        const keySecret = new k8s.core.v1.Secret(`${name}-jump-host-key`, {
            metadata: { name: "jump-host-key", namespace: namespaceName, labels: managedBy },
            stringData: pulumi.secret(pulumi.all([hostKey.privateKeyOpenssh, certificate]).apply(([key, cert]) => ({
                ssh_host_ed25519_key: key,
                "ssh_host_ed25519_key-cert.pub": `${cert}\n`,
            }))),
        }, inNamespace);
        const checksum = createHash("sha256").update(JSON.stringify([sshdConfig, users, names])).digest("hex").slice(0, 16);
        const deployment = new k8s.apps.v1.Deployment(`${name}-jump-host`, jumpHostDeployment(access, { namespace: namespaceName, teamNamespaces, dnsDomain, configChecksum: checksum }),
            childOptions(this, opts, [config, usersConfig, keySecret]));
        new k8s.core.v1.Service(`${name}-jump-host`, jumpHostService(access, namespaceName), inNamespace);
        new k8s.policy.v1.PodDisruptionBudget(`${name}-jump-host`, jumpHostDisruptionBudget(namespaceName), childOptions(this, opts, [deployment]));
        new k8s.networking.v1.NetworkPolicy(`${name}-jump-host`, jumpHostNetworkPolicy(access, namespaceName), inNamespace);

        this.namespace = namespaceName;
        this.endpoint = { addresses: names, port: access.port, user: access.user };
        this.sshConfig = sshConfigBlock({ address: names[0] ?? "<jump-host-address>", port: access.port, user: access.user });
        this.knownHosts = this.hostCa.publicKeyOpenssh.apply((ca) => knownHostsLines(ca, names, access.port));
        this.registerOutputs({ hostCaPublicKey: this.hostCa.publicKeyOpenssh, endpoint: this.endpoint, sshConfig: this.sshConfig, knownHosts: this.knownHosts, namespace: this.namespace });
    }
}
