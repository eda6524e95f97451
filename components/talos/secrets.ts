import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as tls from "@pulumi/tls";
import { childOptions } from "../platform/namespace";
import { CertificateAuthority, TalosSecretsBundle } from "./secretsBundle";

/** Ten years, as Talos issues its own CAs. */
const caValidityHours = 87600;
// Key usages as Talos sets them on its CAs.
const caUses = ["cert_signing", "digital_signature", "server_auth", "client_auth"];

/**
 * The cluster PKI and shared secrets, generated as Talos itself does (machinery
 * `config/generate/secrets`) but held in Pulumi state: random values come from @pulumi/random
 * so they never change between runs, and every key is a Pulumi secret.
 */
export class TalosSecrets extends pulumi.ComponentResource {
    /** Everything the machine configs need, as one secret value. */
    readonly bundle: pulumi.Output<TalosSecretsBundle>;
    /** The Talos API CA, which signs the admin talosconfig's client certificate. */
    readonly osCa: SigningCa;
    /** The Kubernetes CA, which signs the admin kubeconfig's client certificate. */
    readonly kubernetesCa: SigningCa;

    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("ironcloud:talos:TalosSecrets", name, {}, opts);
        // Keys and random values wait for what the component waits for (opts.dependsOn).
        const parent = childOptions(this, opts);

        this.osCa = selfSignedCa(`${name}-os-ca`, { algorithm: "ED25519" }, { organization: "talos" }, parent);
        this.kubernetesCa = selfSignedCa(`${name}-kubernetes-ca`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, { organization: "kubernetes" }, parent);
        const aggregatorCa = selfSignedCa(`${name}-aggregator-ca`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, { commonName: "front-proxy" }, parent);
        const etcdCa = selfSignedCa(`${name}-etcd-ca`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, { organization: "etcd" }, parent);
        const serviceAccountKey = new tls.PrivateKey(`${name}-service-account`, { algorithm: "RSA", rsaBits: 4096 }, parent);

        const bootstrapToken = talosToken(`${name}-bootstrap-token`, parent);
        const trustdToken = talosToken(`${name}-trustd-token`, parent);
        const clusterId = new random.RandomBytes(`${name}-cluster-id`, { length: 32 }, parent);
        const clusterSecret = new random.RandomBytes(`${name}-cluster-secret`, { length: 32 }, parent);
        const secretbox = new random.RandomBytes(`${name}-secretbox`, { length: 32 }, parent);

        const bundle = pulumi.output({
            osCa: pemPair(this.osCa),
            kubernetesCa: pemPair(this.kubernetesCa),
            aggregatorCa: pemPair(aggregatorCa),
            etcdCa: pemPair(etcdCa),
            serviceAccountKey: serviceAccountKey.privateKeyPem,
            bootstrapToken,
            trustdToken,
            clusterId: clusterId.base64.apply(toBase64Url),
            clusterSecret: clusterSecret.base64,
            secretboxEncryptionSecret: secretbox.base64,
        }).apply((plain): TalosSecretsBundle => plain);
        this.bundle = pulumi.secret(bundle);
        this.registerOutputs({ bundle: this.bundle, osCa: this.osCa, kubernetesCa: this.kubernetesCa });
    }
}

export interface SigningCa {
    key: tls.PrivateKey;
    cert: tls.SelfSignedCert;
}

function selfSignedCa(
    name: string,
    keyArgs: tls.PrivateKeyArgs,
    subject: tls.types.input.SelfSignedCertSubject,
    opts: pulumi.CustomResourceOptions,
): SigningCa {
    const key = new tls.PrivateKey(name, keyArgs, opts);
    const cert = new tls.SelfSignedCert(name, {
        privateKeyPem: key.privateKeyPem,
        subject,
        isCaCertificate: true,
        validityPeriodHours: caValidityHours,
        allowedUses: caUses,
    }, opts);
    return { key, cert };
}

function pemPair(ca: SigningCa): pulumi.Output<CertificateAuthority> {
    return pulumi.all([ca.cert.certPem, ca.key.privateKeyPem]).apply(([crt, key]) => ({ crt, key }));
}

/** A token in the `[0-9a-z]{6}.[0-9a-z]{16}` form Kubernetes bootstrap tokens and trustd use. */
function talosToken(name: string, opts: pulumi.CustomResourceOptions): pulumi.Output<string> {
    const part = (suffix: string, length: number) =>
        // RandomString does not mark its result secret by itself; a join token must be.
        new random.RandomString(`${name}-${suffix}`, { length, upper: false, special: false, lower: true, numeric: true }, { ...opts, additionalSecretOutputs: ["result"] }).result;
    return pulumi.interpolate`${part("id", 6)}.${part("secret", 16)}`;
}

/** Go's padded base64.URLEncoding, as Talos writes cluster.id. */
function toBase64Url(base64: string): string {
    return base64.replace(/\+/g, "-").replace(/\//g, "_");
}
