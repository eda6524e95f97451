import { createHash } from "node:crypto";
import * as sshpk from "sshpk";

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
    /** User certificates only: e.g. permit-pty, permit-port-forwarding. */
    extensions?: string[];
}

const forever = Object.assign(new Date(8640000000000000), { sourceInt64: Buffer.alloc(8, 0xff) });

export function signSshCertificate(request: SshCertificateRequest): string {
    if (/\s/.test(request.keyId)) throw new Error(`certificate key ID "${request.keyId}" must not contain spaces`);
    const caKey = sshpk.parsePrivateKey(request.caPrivateKey, "auto");
    const subjectKey = sshpk.parseKey(request.publicKey, "ssh");
    const subjects = request.principals.map((p) => (request.kind === "host" ? sshpk.identityForHost(p) : sshpk.identityForUser(p)));
    const validFrom = request.validAfter ?? new Date(0);
    const validUntil = request.validBefore ?? forever;
    const serial = Buffer.alloc(8);
    serial.writeBigUInt64BE(BigInt(request.serial));
    const exts = (request.extensions ?? []).map((name) => ({ name, data: Buffer.alloc(0), critical: false }));
    const nonce = createHash("sha256")
        .update(JSON.stringify([subjectKey.toString("ssh"), caKey.toPublic().toString("ssh"), request.kind, request.principals, request.keyId, request.serial, validFrom.getTime(), validUntil.getTime(), request.extensions ?? []]))
        .digest();
    // Built directly (not with createCertificate) to set the nonce, key ID and extensions.
    const certificate = new (sshpk as unknown as { Certificate: new (opts: object) => sshpk.Certificate }).Certificate({
        subjects,
        issuer: sshpk.identityForHost("ironcloud-ca"),
        subjectKey,
        issuerKey: caKey.toPublic(),
        signatures: { openssh: { nonce, keyId: request.keyId, exts } },
        serial,
        validFrom,
        validUntil,
        purposes: request.kind === "host" ? ["signature", "serverAuth"] : ["signature", "clientAuth"],
    });
    (certificate as unknown as { signWith(key: sshpk.PrivateKey): void }).signWith(caKey);
    return `${certificate.toString("openssh")} ${request.keyId}`;
}

/** A stable serial from a name, so each host's certificate is identifiable in logs. */
export function serialFor(name: string): number {
    return createHash("sha256").update(name).digest().readUInt32BE(0);
}
