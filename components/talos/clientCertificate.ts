import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { ClientCredentials } from "./clientConfigs";
import { SigningCa } from "./secrets";

/**
 * Client certificates live one year and are renewed in the last `renewalDays`: `pulumi up`
 * inside that window replaces the certificate (and every config built from it) without
 * touching a CA.
 */
export const clientCertificateValidityHours = 8760;

export interface ClientCertificateArgs {
    /** The CA (key and self-signed certificate) that signs the client certificate. */
    ca: SigningCa;
    /** The client's key: ECDSA P-256 for Kubernetes admins, Ed25519 for Talos (what each accepts). */
    key: tls.PrivateKeyArgs;
    /** Who the certificate names: Kubernetes reads the organization as the group (`system:masters`), Talos as the role (`os:admin`). */
    subject: tls.types.input.CertRequestSubject;
    /** Days before expiry from which `pulumi up` renews the certificate. */
    renewalDays: number;
}

/** A client key and certificate signed by `ca`, as a secret: the CA, certificate and key PEMs. */

export function clientCertificate(name: string, args: ClientCertificateArgs, opts: pulumi.CustomResourceOptions): pulumi.Output<ClientCredentials> {
    const key = new tls.PrivateKey(name, args.key, opts);
    const request = new tls.CertRequest(name, { privateKeyPem: key.privateKeyPem, subject: args.subject }, opts);
    const cert = new tls.LocallySignedCert(name, {
        certRequestPem: request.certRequestPem,
        caPrivateKeyPem: args.ca.key.privateKeyPem,
        caCertPem: args.ca.cert.certPem,
        validityPeriodHours: clientCertificateValidityHours,
        earlyRenewalHours: args.renewalDays * 24,
        allowedUses: ["digital_signature", "client_auth"],
    }, opts);
    return pulumi.secret(pulumi.all([args.ca.cert.certPem, cert.certPem, key.privateKeyPem])
        .apply(([caPem, certPem, keyPem]) => ({ caPem, certPem, keyPem })));
}
