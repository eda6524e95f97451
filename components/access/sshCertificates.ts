import { createHash, createPrivateKey, createPublicKey, KeyObject, sign } from "node:crypto";
import * as sshpk from "sshpk";
// sshpk signs Ed25519 in pure JavaScript; its OpenSSH-certificate module takes a signer, so the
// signature itself is made by node:crypto (about fifty times faster at a thousand VMs).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const opensshCertificates = require("sshpk/lib/formats/openssh-cert") as {
    signAsync(cert: sshpk.Certificate, signer: (blob: Buffer, done: (err: Error | null, signature?: sshpk.Signature) => void) => void, done: (err?: Error) => void): void;
};

/**
 * OpenSSH certificates signed with sshpk. A certificate is a pure function of its inputs: the
 * nonce is derived from them and Ed25519 signatures are deterministic, so re-evaluating the
 * program yields the same bytes and the certificate in state changes only when an input does.
 */

export interface SshCertificateRequest {
    /** The CA's private key: PKCS#8 PEM (as @pulumi/tls and node:crypto export Ed25519 keys) or OpenSSH. */
    caPrivateKey: string;
    /** The certified key, as an OpenSSH public key line. */
    publicKey: string;
    kind: "host" | "user";
    principals: string[];
    /** Shown in sshd logs; also the certificate line's comment, so no spaces. */
    keyId: string;
    serial: number;
    /** Defaults: valid from the epoch ("always") until the end of time ("forever"), as `ssh-keygen -V always:forever`. */
    validAfter?: Date;
    validBefore?: Date;
    /**
     * User certificates only. Default: permit-port-forwarding (a jump host forwards nothing for
     * a certificate without it) and permit-pty.
     */
    extensions?: string[];
}

const defaultUserExtensions = ["permit-port-forwarding", "permit-pty"];

const forever = Object.assign(new Date(8640000000000000), { sourceInt64: Buffer.alloc(8, 0xff) });

export function signSshCertificate(request: SshCertificateRequest): string {
    if (/\s/.test(request.keyId)) throw new Error(`certificate key ID "${request.keyId}" must not contain spaces`);
    const ca = certificateAuthority(request.caPrivateKey);
    const subjectKey = sshpk.parseKey(request.publicKey, "ssh");
    const subjects = request.principals.map((p) => (request.kind === "host" ? sshpk.identityForHost(p) : sshpk.identityForUser(p)));
    const validFrom = request.validAfter ?? new Date(0);
    const validUntil = request.validBefore ?? forever;
    const serial = Buffer.alloc(8);
    serial.writeBigUInt64BE(BigInt(request.serial));
    const extensions = request.kind === "user" ? (request.extensions ?? defaultUserExtensions) : [];
    const exts = extensions.map((name) => ({ name, data: Buffer.alloc(0), critical: false }));
    const nonce = createHash("sha256")
        .update(JSON.stringify([subjectKey.toString("ssh"), ca.publicKey.toString("ssh"), request.kind, request.principals, request.keyId, request.serial, validFrom.getTime(), validUntil.getTime(), extensions]))
        .digest();
    // Built directly (not with createCertificate) to set the nonce, key ID and extensions.
    const certificate = new (sshpk as unknown as { Certificate: new (opts: object) => sshpk.Certificate }).Certificate({
        subjects,
        issuer: sshpk.identityForHost("ironcloud-ca"),
        subjectKey,
        issuerKey: ca.publicKey,
        signatures: { openssh: { nonce, keyId: request.keyId, exts } },
        serial,
        validFrom,
        validUntil,
        purposes: request.kind === "host" ? ["signature", "serverAuth"] : ["signature", "clientAuth"],
    });
    let failure: Error | undefined;
    opensshCertificates.signAsync(certificate, (blob, done) => done(null, sshpk.parseSignature(sign(null, blob, ca.privateKey), "ed25519", "raw")), (err) => { failure = err; });
    if (failure) throw failure;
    return `${certificate.toString("openssh")} ${request.keyId}`;
}

interface CertificateAuthority {
    privateKey: KeyObject;
    publicKey: sshpk.Key;
}

function fromOpenssh(text: string): KeyObject {
    const key = sshpk.parsePrivateKey(text, "auto");
    if (key.type !== "ed25519") throw new Error(`the certificate authority key must be Ed25519, not ${key.type}`);
    const part = (name: string) => (key.part as unknown as Record<string, { data: Buffer }>)[name].data.toString("base64url");
    return createPrivateKey({ key: { kty: "OKP", crv: "Ed25519", d: part("k"), x: part("A") }, format: "jwk" });
}

const authorities = new Map<string, CertificateAuthority>();

/** The CA key in both libraries' forms, parsed once per key (parsing derives the public key). */
function certificateAuthority(privateKeyText: string): CertificateAuthority {
    let ca = authorities.get(privateKeyText);
    if (!ca) {
        const privateKey = privateKeyText.includes("BEGIN PRIVATE KEY") ? createPrivateKey(privateKeyText) : fromOpenssh(privateKeyText);
        if (privateKey.asymmetricKeyType !== "ed25519") throw new Error(`the certificate authority key must be Ed25519, not ${privateKey.asymmetricKeyType}`);
        ca = { privateKey, publicKey: sshpk.parseKey(createPublicKey(privateKey).export({ type: "spki", format: "pem" }).toString(), "pem") };
        authorities.set(privateKeyText, ca);
    }
    return ca;
}

/** A stable serial from a name, so each host's certificate is identifiable in logs. */
export function serialFor(name: string): number {
    return createHash("sha256").update(name).digest().readUInt32BE(0);
}
