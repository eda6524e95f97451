import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as sshpk from "sshpk";
import { SshCertificateRequest, signSshCertificate } from "../components/access/sshCertificates";
import { requireTools } from "./harness/tools";

function ed25519() {
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    return {
        pkcs8: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
        openssh: sshpk.parseKey(publicKey.export({ type: "spki", format: "pem" }).toString(), "pem").toString("ssh"),
    };
}

describe("SSH certificates", () => {
    const ca = ed25519();
    const host = ed25519();
    const request: SshCertificateRequest = {
        caPrivateKey: ca.pkcs8, publicKey: host.openssh, kind: "host", principals: ["build.vm", "build.vm.alpha.svc.cluster.local"], keyId: "vm/alpha/build", serial: 42,
    };
    let dir: string;
    before(() => {
        requireTools("ssh-keygen");
        dir = mkdtempSync(join(tmpdir(), "ironcloud-certs-"));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    /** What `ssh-keygen -L` (OpenSSH itself) reads from a certificate. */
    function inspect(certificate: string): string {
        const file = join(dir, "cert.pub");
        writeFileSync(file, `${certificate}\n`);
        return execFileSync("ssh-keygen", ["-L", "-f", file], { encoding: "utf8" });
    }

    it("signs host certificates OpenSSH reads, valid forever, for exactly the given principals", () => {
        const text = inspect(signSshCertificate(request));
        assert.match(text, /Type: ssh-ed25519-cert-v01@openssh\.com host certificate/);
        assert.match(text, /Key ID: "vm\/alpha\/build"/);
        assert.match(text, /Serial: 42/);
        assert.match(text, /Valid: forever/);
        assert.match(text, /Principals: \n\s+build\.vm\n\s+build\.vm\.alpha\.svc\.cluster\.local\n/);
        assert.match(text, /Critical Options: \(none\)\n\s+Extensions: \(none\)/);
        assert.ok(sshpk.parseCertificate(`${signSshCertificate(request)}\n`, "openssh").isSignedByKey(sshpk.parsePrivateKey(ca.pkcs8, "pem").toPublic()));
    });

    it("is a pure function of its inputs, so state changes only when an input does", () => {
        assert.equal(signSshCertificate(request), signSshCertificate({ ...request }));
        assert.notEqual(signSshCertificate(request), signSshCertificate({ ...request, principals: ["other.vm"] }));
        assert.notEqual(signSshCertificate(request), signSshCertificate({ ...request, publicKey: ed25519().openssh }));
        assert.notEqual(signSshCertificate(request), signSshCertificate({ ...request, caPrivateKey: ed25519().pkcs8 }));
    });

    it("signs user certificates with a validity window and extensions", () => {
        const text = inspect(signSshCertificate({
            ...request, kind: "user", principals: ["jump", "ubuntu"], keyId: "alice", validAfter: new Date("2026-01-01T00:00:00Z"), validBefore: new Date("2027-01-01T00:00:00Z"),
            extensions: ["permit-pty"],
        }));
        assert.match(text, /user certificate/);
        assert.match(text, /Valid: from 2026-01-01T\d\d:00:00 to 2027-01-01T\d\d:00:00/);
        assert.match(text, /Extensions: \n\s+permit-pty/);
    });

    it("accepts the CA key in OpenSSH format too, and refuses key IDs with spaces", () => {
        const opensshCa = sshpk.parsePrivateKey(ca.pkcs8, "pem").toString("ssh");
        assert.equal(signSshCertificate({ ...request, caPrivateKey: opensshCa }), signSshCertificate(request));
        assert.throws(() => signSshCertificate({ ...request, keyId: "vm alpha" }), /must not contain spaces/);
    });
});
