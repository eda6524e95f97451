import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, randomBytes, webcrypto } from "node:crypto";
import * as sshpk from "sshpk";

/**
 * Real key generation and signing with the semantics of the @pulumi/tls provider, so offline
 * evaluations carry a genuine, internally consistent PKI that openssl and Talos can check.
 * Each function takes plain inputs and returns the outputs the provider computes.
 * Key material made here is for tests and reviews only.
 */

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

type Inputs = Record<string, unknown>;

const curves: Record<string, string> = { P224: "P-224", P256: "P-256", P384: "P-384", P521: "P-521" };

export function privateKey(inputs: Inputs): Inputs {
    const algorithm = String(inputs.algorithm);
    const ecdsaCurve = String(inputs.ecdsaCurve ?? "P224");
    const rsaBits = Number(inputs.rsaBits ?? 2048);
    const { privateKey: key } =
        algorithm === "ED25519" ? generateKeyPairSync("ed25519")
            : algorithm === "ECDSA" ? generateKeyPairSync("ec", { namedCurve: curves[ecdsaCurve] })
                : algorithm === "RSA" ? generateKeyPairSync("rsa", { modulusLength: rsaBits })
                    : unsupported(`tls PrivateKey algorithm ${algorithm}`);
    const publicKey = createPublicKey(key);
    const pkcs8 = key.export({ type: "pkcs8", format: "pem" }).toString();
    // The provider writes ECDSA keys as SEC1 and RSA keys as PKCS#1; Ed25519 only has PKCS#8.
    const privateKeyPem = algorithm === "ECDSA" ? key.export({ type: "sec1", format: "pem" }).toString()
        : algorithm === "RSA" ? key.export({ type: "pkcs1", format: "pem" }).toString()
            : pkcs8;
    const publicKeyPem = publicKey.export({ type: "spki", format: "pem" }).toString();
    const ssh = algorithm === "ECDSA" && ecdsaCurve === "P224" ? undefined : sshpk.parseKey(publicKeyPem, "pem");
    return {
        ...(algorithm === "ECDSA" ? { ecdsaCurve } : {}),
        privateKeyPem,
        privateKeyPemPkcs8: pkcs8,
        privateKeyOpenssh: ssh ? opensshPrivateKey(key, ssh) : "",
        publicKeyPem,
        // The provider writes OpenSSH public keys without a comment.
        publicKeyOpenssh: ssh ? `${ssh.toString("ssh").split(" ").slice(0, 2).join(" ")}\n` : "",
        publicKeyFingerprintSha256: ssh ? ssh.fingerprint("sha256").toString() : "",
        publicKeyFingerprintMd5: ssh ? ssh.fingerprint("md5").toString("hex") : "",
    };
}

/**
 * The OpenSSH form of a private key. For Ed25519 it is assembled from node's JWK (seed and
 * public key), because sshpk would re-derive the public key in pure JavaScript.
 */
function opensshPrivateKey(key: KeyObject, publicKey: sshpk.Key): string {
    if (key.asymmetricKeyType !== "ed25519") return sshpk.parsePrivateKey(key.export({ type: "pkcs8", format: "pem" }).toString(), "pem").toString("ssh");
    const jwk = key.export({ format: "jwk" });
    const seed = Buffer.from(jwk.d as string, "base64url");
    const part = (name: string, data: Buffer) => ({ name, data });
    const PrivateKey = (sshpk as unknown as { PrivateKey: new (opts: object) => sshpk.PrivateKey }).PrivateKey;
    const A = (publicKey.part as unknown as Record<string, { data: Buffer }>).A.data;
    return new PrivateKey({ type: "ed25519", parts: [part("A", A), part("k", seed)] }).toString("ssh");
}

export async function selfSignedCert(inputs: Inputs): Promise<Inputs> {
    const key = createPrivateKey(String(inputs.privateKeyPem));
    const keys = await cryptoKeyPair(key);
    const validity = validityWindow(inputs);
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
        serialNumber: serialNumber(),
        name: subjectName(inputs.subject),
        notBefore: validity.notBefore,
        notAfter: validity.notAfter,
        keys,
        signingAlgorithm: signingAlgorithm(key),
        extensions: [
            ...certificateExtensions(inputs),
            await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
        ],
    });
    return { certPem: `${cert.toString("pem")}\n`, ...validity.outputs };
}

export async function certRequest(inputs: Inputs): Promise<Inputs> {
    const key = createPrivateKey(String(inputs.privateKeyPem));
    const request = await x509.Pkcs10CertificateRequestGenerator.create({
        name: subjectName(inputs.subject),
        keys: await cryptoKeyPair(key),
        signingAlgorithm: signingAlgorithm(key),
    });
    return { certRequestPem: `${request.toString("pem")}\n` };
}

export async function locallySignedCert(inputs: Inputs): Promise<Inputs> {
    const request = new x509.Pkcs10CertificateRequest(String(inputs.certRequestPem));
    const caCert = new x509.X509Certificate(String(inputs.caCertPem));
    const caKey = createPrivateKey(String(inputs.caPrivateKeyPem));
    const caKeys = await cryptoKeyPair(caKey);
    const validity = validityWindow(inputs);
    const cert = await x509.X509CertificateGenerator.create({
        serialNumber: serialNumber(),
        subject: request.subject,
        issuer: caCert.subject,
        notBefore: validity.notBefore,
        notAfter: validity.notAfter,
        publicKey: await request.publicKey.export(),
        signingKey: caKeys.privateKey,
        signingAlgorithm: signingAlgorithm(caKey),
        extensions: [
            ...certificateExtensions(inputs),
            await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
        ],
    });
    return { certPem: `${cert.toString("pem")}\n`, readyForRenewal: false, ...validity.outputs };
}

function validityWindow(inputs: Inputs) {
    const notBefore = new Date();
    const notAfter = new Date(notBefore.getTime() + Number(inputs.validityPeriodHours) * 3600_000);
    return { notBefore, notAfter, outputs: { validityStartTime: notBefore.toISOString(), validityEndTime: notAfter.toISOString() } };
}

const keyUsageFlags: Record<string, x509.KeyUsageFlags> = {
    digital_signature: x509.KeyUsageFlags.digitalSignature,
    content_commitment: x509.KeyUsageFlags.nonRepudiation,
    key_encipherment: x509.KeyUsageFlags.keyEncipherment,
    data_encipherment: x509.KeyUsageFlags.dataEncipherment,
    key_agreement: x509.KeyUsageFlags.keyAgreement,
    cert_signing: x509.KeyUsageFlags.keyCertSign,
    crl_signing: x509.KeyUsageFlags.cRLSign,
};
const extendedKeyUsages: Record<string, string> = {
    server_auth: x509.ExtendedKeyUsage.serverAuth,
    client_auth: x509.ExtendedKeyUsage.clientAuth,
    code_signing: x509.ExtendedKeyUsage.codeSigning,
};

function certificateExtensions(inputs: Inputs): x509.Extension[] {
    const uses = (inputs.allowedUses as string[] | undefined) ?? [];
    const flags = uses.reduce((acc, use) => acc | (keyUsageFlags[use] ?? 0), 0);
    const extended = uses.map((use) => extendedKeyUsages[use]).filter((oid): oid is string => oid !== undefined);
    const dnsNames = (inputs.dnsNames as string[] | undefined) ?? [];
    const ipAddresses = (inputs.ipAddresses as string[] | undefined) ?? [];
    return [
        new x509.BasicConstraintsExtension(inputs.isCaCertificate === true, undefined, true),
        ...(flags ? [new x509.KeyUsagesExtension(flags, true)] : []),
        ...(extended.length ? [new x509.ExtendedKeyUsageExtension(extended)] : []),
        ...(dnsNames.length + ipAddresses.length
            ? [new x509.SubjectAlternativeNameExtension([...dnsNames.map((value) => ({ type: "dns" as const, value })), ...ipAddresses.map((value) => ({ type: "ip" as const, value }))])]
            : []),
    ];
}

const subjectFields: [string, string][] = [
    ["country", "C"], ["province", "ST"], ["locality", "L"], ["organization", "O"], ["organizationalUnit", "OU"], ["commonName", "CN"], ["serialNumber", "serialNumber"],
];

function subjectName(subject: unknown): x509.JsonName {
    const fields = (subject ?? {}) as Record<string, unknown>;
    return subjectFields.filter(([field]) => typeof fields[field] === "string" && fields[field] !== "").map(([field, attr]) => ({ [attr]: [String(fields[field])] }));
}

function signingAlgorithm(key: KeyObject): Algorithm | EcdsaParams | RsaHashedImportParams {
    switch (key.asymmetricKeyType) {
        case "ed25519": return { name: "Ed25519" };
        case "ec": return { name: "ECDSA", hash: "SHA-256" } as EcdsaParams;
        case "rsa": return { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as RsaHashedImportParams;
        default: return unsupported(`signing with ${key.asymmetricKeyType} keys`);
    }
}

async function cryptoKeyPair(key: KeyObject): Promise<CryptoKeyPair> {
    const spki = createPublicKey(key).export({ type: "spki", format: "der" });
    const pkcs8 = key.export({ type: "pkcs8", format: "der" });
    const algorithm = importAlgorithm(key);
    return {
        privateKey: await webcrypto.subtle.importKey("pkcs8", pkcs8, algorithm, true, ["sign"]) as CryptoKey,
        publicKey: await webcrypto.subtle.importKey("spki", spki, algorithm, true, ["verify"]) as CryptoKey,
    };
}

function importAlgorithm(key: KeyObject): Algorithm | EcKeyImportParams | RsaHashedImportParams {
    switch (key.asymmetricKeyType) {
        case "ed25519": return { name: "Ed25519" };
        case "ec": {
            const curve = key.asymmetricKeyDetails?.namedCurve;
            const webCurve = curve === "prime256v1" ? "P-256" : curve === "secp384r1" ? "P-384" : curve === "secp521r1" ? "P-521" : undefined;
            if (!webCurve) return unsupported(`ECDSA curve ${curve} (webcrypto signs only P-256, P-384 and P-521)`);
            return { name: "ECDSA", namedCurve: webCurve } as EcKeyImportParams;
        }
        case "rsa": return { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as RsaHashedImportParams;
        default: return unsupported(`${key.asymmetricKeyType} keys`);
    }
}

function serialNumber(): string {
    const bytes = randomBytes(16);
    bytes[0] &= 0x7f;
    return bytes.toString("hex");
}

function unsupported(what: string): never {
    throw new Error(`offline mocks: ${what} is not supported`);
}

/** A short, stable fingerprint of PEM text for summaries. */
export function pemFingerprint(pem: string): string {
    return createHash("sha256").update(pem).digest("hex").slice(0, 16);
}
