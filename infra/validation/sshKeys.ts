import * as sshpk from "sshpk";

export const notAnSshPublicKey = "is not an OpenSSH public key (expected e.g. \"ssh-ed25519 AAAAC3Nz… comment\")";

/** Why an OpenSSH public key line cannot be used, or undefined when it parses. */
export function sshPublicKeyProblem(line: string): string | undefined {
    try {
        const key = sshpk.parseKey(line, "ssh");
        if (key.type === "dsa") return "DSA keys are refused by OpenSSH 9; use ed25519, ecdsa or rsa";
        if (key.type === "rsa" && key.size < 2048) return `RSA key of ${key.size} bits is too short; use at least 2048 bits (3072 or more recommended), or ed25519`;
        return undefined;
    } catch {
        return notAnSshPublicKey;
    }
}
