import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { createPrivateKey, createPublicKey, KeyObject, X509Certificate } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, parseAllDocuments } from "yaml";
import { Evaluation, redact } from "../tools/offline/evaluate";
import { RecordedResource, SecretValue } from "../tools/offline/recordingMonitor";
import { evaluateStackFile, repoRoot, resource, resourcesOfType, stackPath } from "./harness/program";
import { requireTools } from "./harness/tools";

/*
 * The Talos PKI end to end: what the program asks @pulumi/tls and @pulumi/random for, what the
 * offline provider emulation makes of it (real keys and certificates), and what lands in machine
 * configs, kubeconfig and talosconfig — checked with node:crypto and with the openssl binary —
 * plus the promise that none of it leaks outside a secret, including in `npm run plan` output.
 */

const privateKeyType = "tls:index/privateKey:PrivateKey";
const selfSignedType = "tls:index/selfSignedCert:SelfSignedCert";
const certRequestType = "tls:index/certRequest:CertRequest";
const locallySignedType = "tls:index/locallySignedCert:LocallySignedCert";
const randomStringType = "random:index/randomString:RandomString";
const randomBytesType = "random:index/randomBytes:RandomBytes";
const commandType = "command:local:Command";

const hour = 3600_000;
const clientAuthOid = "1.3.6.1.5.5.7.3.2";
const serverAuthOid = "1.3.6.1.5.5.7.3.1";
const tokenFormat = /^[0-9a-z]{6}\.[0-9a-z]{16}$/;

interface PemPair { crt: string; key?: string }

/** The parts of the Talos v1alpha1 document this file checks. */
interface V1Alpha1 {
    version: string;
    machine: { type: string; token: string; ca: PemPair };
    cluster: {
        id: string;
        secret: string;
        token: string;
        secretboxEncryptionSecret?: string;
        ca: PemPair;
        aggregatorCA?: PemPair;
        serviceAccount?: { key: string };
        etcd?: { ca: PemPair };
    };
}

interface Kubeconfig {
    clusters: { name: string; cluster: { server: string; "certificate-authority-data": string } }[];
    users: { name: string; user: { "client-certificate-data": string; "client-key-data": string } }[];
}

interface Talosconfig {
    context: string;
    contexts: Record<string, { endpoints: string[]; nodes: string[]; ca: string; crt: string; key: string }>;
}

interface Stack {
    name: string;
    /** The cluster name, which prefixes every PKI resource. */
    prefix: string;
    evaluation: Evaluation;
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** The resources of `type` that the Talos cluster component `name` declares (anywhere below it). */
function talosResourcesOfType(evaluation: Evaluation, name: string, type: string): RecordedResource[] {
    const inside = new Set([resource(evaluation, "ironcloud:talos:TalosCluster", name).urn]);
    for (let grew = true; grew;) {
        grew = false;
        for (const r of evaluation.resources) {
            if (!inside.has(r.urn) && inside.has(r.parent)) { inside.add(r.urn); grew = true; }
        }
    }
    return resourcesOfType(evaluation, type).filter((r) => inside.has(r.urn));
}

function revealSecret(value: unknown, what: string): unknown {
    assert.ok(value instanceof SecretValue, `${what} is a secret`);
    return value.value;
}

function kubeconfigText(evaluation: Evaluation): string {
    return String(revealSecret(evaluation.outputs.kubeconfig, "kubeconfig"));
}

function talosOutputs(evaluation: Evaluation): Record<string, unknown> {
    const talos = evaluation.outputs.talos;
    assert.ok(talos !== null && typeof talos === "object", "the stack exports talos outputs");
    return talos as Record<string, unknown>;
}

function talosconfigText(evaluation: Evaluation): string {
    return String(revealSecret(talosOutputs(evaluation).talosconfig, "talosconfig"));
}

function machineConfigTexts(evaluation: Evaluation): Record<string, string> {
    return revealSecret(talosOutputs(evaluation).machineConfigs, "machineConfigs") as Record<string, string>;
}

/** The v1alpha1 document of a node's multi-document machine config. */
function v1alpha1(yamlText: string): V1Alpha1 {
    const docs = parseAllDocuments(yamlText).map((d) => d.toJS() as Record<string, unknown>);
    const found = docs.filter((d) => d.version === "v1alpha1");
    assert.equal(found.length, 1, "one v1alpha1 document per machine config");
    return found[0] as unknown as V1Alpha1;
}

function machineConfig(evaluation: Evaluation, node: string): V1Alpha1 {
    const text = machineConfigTexts(evaluation)[node];
    assert.ok(text, `a machine config for ${node}`);
    return v1alpha1(text);
}

function nodesByRole(evaluation: Evaluation, role: string): string[] {
    const nodes = talosOutputs(evaluation).nodes as { name: string; role: string }[];
    return nodes.filter((n) => n.role === role).map((n) => n.name);
}

function kubeconfig(evaluation: Evaluation): Kubeconfig {
    return parse(kubeconfigText(evaluation)) as Kubeconfig;
}

function talosconfig(evaluation: Evaluation): Talosconfig {
    return parse(talosconfigText(evaluation)) as Talosconfig;
}

function fromBase64(text: string | undefined, what: string): string {
    assert.equal(typeof text, "string", `${what} is present`);
    assert.match(text as string, /^[A-Za-z0-9+/]+={0,2}$/, `${what} is standard base64`);
    return Buffer.from(text as string, "base64").toString("utf8");
}

function certificate(pem: string): X509Certificate {
    assert.match(pem, /^-----BEGIN CERTIFICATE-----\n/);
    return new X509Certificate(pem);
}

function spki(key: KeyObject): Buffer {
    return key.export({ type: "spki", format: "der" });
}

/** `O=talos` / `CN=admin\nO=system:masters` as an order-independent record. */
function subjectOf(cert: X509Certificate): Record<string, string> {
    return Object.fromEntries(cert.subject.split("\n").map((line) => {
        const at = line.indexOf("=");
        return [line.slice(0, at), line.slice(at + 1)];
    }));
}

function validityHours(cert: X509Certificate): number {
    return (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / hour;
}

function assertValidNow(cert: X509Certificate, what: string): void {
    const now = Date.now();
    assert.ok(Date.parse(cert.validFrom) <= now + 60_000, `${what} is already valid (${cert.validFrom})`);
    assert.ok(Date.parse(cert.validTo) > now, `${what} has not expired (${cert.validTo})`);
}

/** The private key matches the certificate, compared as public keys and by node's own check. */
function assertKeyMatches(cert: X509Certificate, keyPem: string, what: string): void {
    const key = createPrivateKey(keyPem);
    assert.ok(spki(createPublicKey(key)).equals(spki(cert.publicKey)), `${what}: the private key belongs to the certificate`);
    assert.ok(cert.checkPrivateKey(key), `${what}: X509Certificate.checkPrivateKey`);
}

function openssl(args: string[]): string {
    requireTools("openssl");
    return execFileSync("openssl", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** `openssl verify`; returns whether it succeeded and what it printed. */
function opensslVerify(caFile: string, certFile: string, purpose?: string): { ok: boolean; output: string } {
    const args = ["verify", ...(purpose ? ["-purpose", purpose] : []), "-CAfile", caFile, certFile];
    try {
        return { ok: true, output: openssl(args) };
    } catch (error) {
        const failed = error as { status?: number | null; stdout?: string; stderr?: string };
        // Only a refusal (a non-zero exit) is a result; anything else (no openssl) is the test's failure.
        if (typeof failed.status !== "number") throw error;
        return { ok: false, output: `${failed.stdout ?? ""}${failed.stderr ?? ""}` };
    }
}

/** Every string in a JSON-like tree. */
function strings(value: unknown): string[] {
    if (typeof value === "string") return [value];
    if (Array.isArray(value)) return value.flatMap(strings);
    if (value instanceof SecretValue) return strings(value.value);
    if (value !== null && typeof value === "object") return Object.values(value).flatMap(strings);
    return [];
}

/** Every value in `yamlText` that must never appear outside a secret. */
function secretValuesIn(config: V1Alpha1, clientConfigs: { kubeconfig?: Kubeconfig; talosconfig?: Talosconfig } = {}): string[] {
    const { machine, cluster } = config;
    const keysBase64 = [machine.ca.key, cluster.ca.key, cluster.aggregatorCA?.key, cluster.etcd?.ca.key, cluster.serviceAccount?.key];
    const keyPems = keysBase64.map((k) => (k ? Buffer.from(k, "base64").toString("utf8") : undefined));
    // The base64 DER inside each PEM key, as it would appear if a PEM were pasted with its lines joined.
    const keyBodies = keyPems.map((pem) => pem?.split("\n").filter((l) => l && !l.startsWith("-----")).join(""));
    const kube = clientConfigs.kubeconfig?.users[0].user["client-key-data"];
    const talos = clientConfigs.talosconfig ? Object.values(clientConfigs.talosconfig.contexts)[0].key : undefined;
    const values = [
        machine.token, machine.token.split(".")[1], cluster.token, cluster.token.split(".")[1],
        cluster.secret, cluster.secretboxEncryptionSecret,
        ...keysBase64, ...keyBodies, kube, talos,
    ];
    return values.filter((v): v is string => typeof v === "string" && v.length > 0);
}

function assertNoSecrets(texts: string[], secrets: string[], where: string): void {
    for (const text of texts) {
        assert.ok(!text.includes("PRIVATE KEY"), `${where}: "PRIVATE KEY" in ${JSON.stringify(text.slice(0, 120))}`);
        for (const secret of secrets) assert.ok(!text.includes(secret), `${where}: secret value ${secret.slice(0, 8)}… in ${JSON.stringify(text.slice(0, 120))}`);
    }
}

// ---------------------------------------------------------------------------------------------

describe("Talos PKI and secrets", () => {
    const stacks: Record<"dev" | "prod", Stack> = {} as Record<"dev" | "prod", Stack>;
    let work: string;

    before(async () => {
        // Sequentially: each evaluation installs its own offline runtime.
        stacks.dev = { name: "dev", prefix: "lab", evaluation: await evaluateStackFile(stackPath("dev")) };
        stacks.prod = { name: "prod", prefix: "dc1", evaluation: await evaluateStackFile(stackPath("prod")) };
        work = mkdtempSync(join(tmpdir(), "ironcloud-pki-"));
    });

    after(() => {
        if (work) rmSync(work, { recursive: true, force: true });
    });

    for (const name of ["dev", "prod"] as const) {
        describe(`${name} stack: what the program asks @pulumi/tls and @pulumi/random for`, () => {
            let ev: Evaluation;
            let p: string;
            before(() => { ev = stacks[name].evaluation; p = stacks[name].prefix; });

            it("generates every key with the algorithm Talos uses (P256 spelled out: the tls default curve is P224)", () => {
                const expected: Record<string, Record<string, unknown>> = {
                    [`${p}-os-ca`]: { algorithm: "ED25519" },
                    [`${p}-kubernetes-ca`]: { algorithm: "ECDSA", ecdsaCurve: "P256" },
                    [`${p}-aggregator-ca`]: { algorithm: "ECDSA", ecdsaCurve: "P256" },
                    [`${p}-etcd-ca`]: { algorithm: "ECDSA", ecdsaCurve: "P256" },
                    [`${p}-service-account`]: { algorithm: "RSA", rsaBits: 4096 },
                    [`${p}-kubernetes-admin`]: { algorithm: "ECDSA", ecdsaCurve: "P256" },
                    [`${p}-talos-admin`]: { algorithm: "ED25519" },
                };
                const keys = talosResourcesOfType(ev, p, privateKeyType);
                assert.deepEqual(keys.map((k) => k.name).sort(), Object.keys(expected).sort());
                for (const key of keys) assert.deepEqual(key.inputs, expected[key.name], `${key.name} inputs`);
            });

            it("self-signs four ten-year CAs with Talos' subjects and key usages, each with its own key", () => {
                const subjects: Record<string, Record<string, string>> = {
                    [`${p}-os-ca`]: { organization: "talos" },
                    [`${p}-kubernetes-ca`]: { organization: "kubernetes" },
                    [`${p}-aggregator-ca`]: { commonName: "front-proxy" },
                    [`${p}-etcd-ca`]: { organization: "etcd" },
                };
                const cas = talosResourcesOfType(ev, p, selfSignedType);
                assert.deepEqual(cas.map((c) => c.name).sort(), Object.keys(subjects).sort());
                const secrets = resource(ev, "ironcloud:talos:TalosSecrets", p);
                for (const ca of cas) {
                    const { inputs } = ca;
                    assert.equal(inputs.isCaCertificate, true, `${ca.name} is a CA`);
                    assert.equal(inputs.validityPeriodHours, 87600, `${ca.name} lives ten years`);
                    assert.deepEqual(inputs.subject, subjects[ca.name], `${ca.name} subject`);
                    assert.deepEqual([...(inputs.allowedUses as string[])].sort(), ["cert_signing", "client_auth", "digital_signature", "server_auth"], `${ca.name} uses`);
                    assert.match(String(revealSecret(inputs.privateKeyPem, `${ca.name} privateKeyPem`)), /PRIVATE KEY-----/);
                    assert.ok(ca.dependencies.includes(resource(ev, privateKeyType, ca.name).urn), `${ca.name} is signed with the key of the same name`);
                    assert.equal(ca.parent, secrets.urn, `${ca.name} belongs to TalosSecrets`);
                    assert.equal(resource(ev, privateKeyType, ca.name).parent, secrets.urn);
                }
                const keyPems = cas.map((ca) => String((ca.inputs.privateKeyPem as SecretValue).value));
                assert.equal(new Set(keyPems).size, 4, "no two CAs share a key");
            });

            it("requests the admin client certificates as O=system:masters CN=admin and O=os:admin", () => {
                const requests = talosResourcesOfType(ev, p, certRequestType);
                assert.deepEqual(requests.map((r) => r.name).sort(), [`${p}-kubernetes-admin`, `${p}-talos-admin`]);
                assert.deepEqual(resource(ev, certRequestType, `${p}-kubernetes-admin`).inputs.subject, { commonName: "admin", organization: "system:masters" });
                assert.deepEqual(resource(ev, certRequestType, `${p}-talos-admin`).inputs.subject, { organization: "os:admin" });
                for (const request of requests) {
                    assert.match(String(revealSecret(request.inputs.privateKeyPem, `${request.name} privateKeyPem`)), /PRIVATE KEY-----/);
                    assert.ok(request.dependencies.includes(resource(ev, privateKeyType, request.name).urn), `${request.name} uses its own key`);
                }
            });

            it("signs the Kubernetes admin with the Kubernetes CA and the Talos admin with the OS CA: one year, renewed in the last 30 days, client auth", () => {
                const signed = talosResourcesOfType(ev, p, locallySignedType);
                assert.deepEqual(signed.map((s) => s.name).sort(), [`${p}-kubernetes-admin`, `${p}-talos-admin`]);
                const issuers: Record<string, [string, string]> = {
                    [`${p}-kubernetes-admin`]: [`${p}-kubernetes-ca`, `${p}-os-ca`],
                    [`${p}-talos-admin`]: [`${p}-os-ca`, `${p}-kubernetes-ca`],
                };
                const cluster = resource(ev, "ironcloud:talos:TalosCluster", p);
                for (const cert of signed) {
                    const { inputs } = cert;
                    const [issuer, other] = issuers[cert.name];
                    assert.equal(inputs.validityPeriodHours, 8760, `${cert.name} validity`);
                    assert.equal(inputs.earlyRenewalHours, 720, `${cert.name} early renewal`);
                    const uses = inputs.allowedUses as string[];
                    assert.ok(uses.includes("client_auth"), `${cert.name} allows client auth`);
                    assert.ok(uses.includes("digital_signature"), `${cert.name} allows digital signatures`);
                    assert.ok(!uses.includes("cert_signing"), `${cert.name} cannot sign certificates`);
                    const caKey = revealSecret(inputs.caPrivateKeyPem, `${cert.name} caPrivateKeyPem`);
                    assert.equal(caKey, (resource(ev, selfSignedType, issuer).inputs.privateKeyPem as SecretValue).value, `${cert.name} is signed with the ${issuer} key`);
                    assert.ok(cert.dependencies.includes(resource(ev, selfSignedType, issuer).urn), `${cert.name} waits for ${issuer}`);
                    assert.ok(cert.dependencies.includes(resource(ev, certRequestType, cert.name).urn), `${cert.name} signs its own request`);
                    assert.ok(!cert.dependencies.includes(resource(ev, selfSignedType, other).urn), `${cert.name} has nothing to do with ${other}`);
                    assert.equal(cert.parent, cluster.urn);
                }
            });

            it("draws the tokens from lower-case letters and digits (6 + 16) and the cluster secrets from 32 random bytes", () => {
                const strings = talosResourcesOfType(ev, p, randomStringType);
                assert.deepEqual(strings.map((s) => s.name).sort(), [`${p}-bootstrap-token-id`, `${p}-bootstrap-token-secret`, `${p}-trustd-token-id`, `${p}-trustd-token-secret`]);
                for (const s of strings) {
                    const length = s.name.endsWith("-id") ? 6 : 16;
                    assert.deepEqual(s.inputs, { length, lower: true, numeric: true, special: false, upper: false }, `${s.name} inputs`);
                }
                const bytes = talosResourcesOfType(ev, p, randomBytesType);
                assert.deepEqual(bytes.map((b) => b.name).sort(), [`${p}-cluster-id`, `${p}-cluster-secret`, `${p}-secretbox`]);
                for (const b of bytes) assert.deepEqual(b.inputs, { length: 32 }, `${b.name} inputs`);
            });

            it("renders tokens, cluster id and secrets in the formats Talos generates, the same on every node", () => {
                const configs = Object.keys(machineConfigTexts(ev)).map((node) => [node, machineConfig(ev, node)] as const);
                assert.ok(configs.length >= 3);
                const [, first] = configs[0];
                const { machine, cluster } = first;
                assert.match(machine.token, tokenFormat, "machine.token (trustd)");
                assert.match(cluster.token, tokenFormat, "cluster.token (bootstrap)");
                assert.notEqual(machine.token, cluster.token, "trustd and bootstrap tokens are independent");
                assert.match(cluster.id, /^[A-Za-z0-9_-]{43}=?$/, "cluster.id is base64url");
                assert.equal(Buffer.from(cluster.id, "base64url").length, 32, "cluster.id encodes 32 bytes");
                assert.match(cluster.secret, /^[A-Za-z0-9+/]{43}=$/, "cluster.secret is padded standard base64");
                assert.equal(Buffer.from(cluster.secret, "base64").length, 32);
                for (const [node, config] of configs) {
                    assert.equal(config.machine.token, machine.token, `${node} machine.token`);
                    assert.equal(config.cluster.token, cluster.token, `${node} cluster.token`);
                    assert.equal(config.cluster.id, cluster.id, `${node} cluster.id`);
                    assert.equal(config.cluster.secret, cluster.secret, `${node} cluster.secret`);
                    if (config.machine.type !== "controlplane") continue;
                    const secretbox = config.cluster.secretboxEncryptionSecret as string;
                    assert.match(secretbox, /^[A-Za-z0-9+/]{43}=$/, `${node} secretboxEncryptionSecret is standard base64`);
                    assert.equal(Buffer.from(secretbox, "base64").length, 32);
                    assert.notEqual(secretbox, cluster.secret, "the secretbox key is not the cluster secret");
                }
            });
        });
    }

    describe("certificate chains (dev control plane, kubeconfig, talosconfig) under node:crypto and openssl", () => {
        let config: V1Alpha1;
        let dir: string;
        const pem: Record<string, string> = {};

        before(() => {
            const ev = stacks.dev.evaluation;
            const controlPlane = nodesByRole(ev, "controlplane")[0];
            config = machineConfig(ev, controlPlane);
            const { machine, cluster } = config;
            const kube = kubeconfig(ev);
            const talos = talosconfig(ev);
            const context = talos.contexts[talos.context];
            Object.assign(pem, {
                "os-ca.crt": fromBase64(machine.ca.crt, "machine.ca.crt"),
                "os-ca.key": fromBase64(machine.ca.key, "machine.ca.key"),
                "kubernetes-ca.crt": fromBase64(cluster.ca.crt, "cluster.ca.crt"),
                "kubernetes-ca.key": fromBase64(cluster.ca.key, "cluster.ca.key"),
                "aggregator-ca.crt": fromBase64(cluster.aggregatorCA?.crt, "cluster.aggregatorCA.crt"),
                "aggregator-ca.key": fromBase64(cluster.aggregatorCA?.key, "cluster.aggregatorCA.key"),
                "etcd-ca.crt": fromBase64(cluster.etcd?.ca.crt, "cluster.etcd.ca.crt"),
                "etcd-ca.key": fromBase64(cluster.etcd?.ca.key, "cluster.etcd.ca.key"),
                "service-account.key": fromBase64(cluster.serviceAccount?.key, "cluster.serviceAccount.key"),
                "kubeconfig-ca.crt": fromBase64(kube.clusters[0].cluster["certificate-authority-data"], "certificate-authority-data"),
                "kubernetes-admin.crt": fromBase64(kube.users[0].user["client-certificate-data"], "client-certificate-data"),
                "kubernetes-admin.key": fromBase64(kube.users[0].user["client-key-data"], "client-key-data"),
                "talosconfig-ca.crt": fromBase64(context.ca, "talosconfig ca"),
                "talos-admin.crt": fromBase64(context.crt, "talosconfig crt"),
                "talos-admin.key": fromBase64(context.key, "talosconfig key"),
            });
            dir = join(work, "chains");
            mkdirSync(dir);
            for (const [file, text] of Object.entries(pem)) writeFileSync(join(dir, file), text, { mode: 0o600 });
        });

        const cas = [
            { file: "os-ca", subject: { O: "talos" }, keyType: "ed25519", resource: "os-ca" },
            { file: "kubernetes-ca", subject: { O: "kubernetes" }, keyType: "ec", resource: "kubernetes-ca" },
            { file: "aggregator-ca", subject: { CN: "front-proxy" }, keyType: "ec", resource: "aggregator-ca" },
            { file: "etcd-ca", subject: { O: "etcd" }, keyType: "ec", resource: "etcd-ca" },
        ];

        for (const ca of cas) {
            it(`${ca.file}: a self-signed ten-year CA whose key in the machine config is its own`, () => {
                const cert = certificate(pem[`${ca.file}.crt`]);
                assert.equal(cert.ca, true, "basicConstraints CA:TRUE");
                assert.deepEqual(subjectOf(cert), ca.subject);
                assert.equal(cert.issuer, cert.subject, "self-issued");
                assert.ok(cert.checkIssued(cert), "checkIssued(itself)");
                assert.ok(cert.verify(cert.publicKey), "self-signature verifies");
                assert.equal(cert.publicKey.asymmetricKeyType, ca.keyType);
                if (ca.keyType === "ec") assert.equal(cert.publicKey.asymmetricKeyDetails?.namedCurve, "prime256v1");
                assert.ok(Math.abs(validityHours(cert) - 87600) < 1 / 60, `ten years, not ${validityHours(cert)} hours`);
                assertValidNow(cert, ca.file);
                assert.deepEqual([...cert.keyUsage].sort(), [serverAuthOid, clientAuthOid].sort(), "extended key usage server+client auth");
                assertKeyMatches(cert, pem[`${ca.file}.key`], ca.file);
                // The machine config carries exactly the key the program generated for this CA.
                const inputKey = (resource(stacks.dev.evaluation, selfSignedType, `lab-${ca.resource}`).inputs.privateKeyPem as SecretValue).value;
                assert.equal(pem[`${ca.file}.key`], inputKey);
            });
        }

        it("has four distinct CA keys and a distinct service-account key", () => {
            const keys = [...cas.map((ca) => pem[`${ca.file}.key`]), pem["service-account.key"]]
                .map((k) => spki(createPublicKey(createPrivateKey(k))).toString("base64"));
            assert.equal(new Set(keys).size, 5);
        });

        it("the service-account key is RSA-4096 in PKCS#1, as Talos expects", () => {
            const key = createPrivateKey(pem["service-account.key"]);
            assert.equal(key.asymmetricKeyType, "rsa");
            assert.equal(key.asymmetricKeyDetails?.modulusLength, 4096);
            assert.match(pem["service-account.key"], /^-----BEGIN RSA PRIVATE KEY-----\n/);
        });

        it("kubeconfig: client-certificate-data is the O=system:masters CN=admin certificate, chained to the Kubernetes CA of the machine config", () => {
            assert.equal(pem["kubeconfig-ca.crt"], pem["kubernetes-ca.crt"], "certificate-authority-data is the cluster CA");
            const ca = certificate(pem["kubernetes-ca.crt"]);
            const cert = certificate(pem["kubernetes-admin.crt"]);
            assert.deepEqual(subjectOf(cert), { O: "system:masters", CN: "admin" });
            assert.equal(cert.issuer, ca.subject);
            assert.ok(cert.checkIssued(ca), "checkIssued: issued by the CA");
            assert.ok(cert.verify(ca.publicKey), "signed by the Kubernetes CA key");
            assert.ok(!cert.verify(certificate(pem["os-ca.crt"]).publicKey), "not verifiable with the OS CA");
            assert.equal(cert.ca, false);
            assert.deepEqual(cert.keyUsage, [clientAuthOid], "extended key usage: client auth only");
            assert.equal(cert.publicKey.asymmetricKeyType, "ec");
            assert.equal(cert.publicKey.asymmetricKeyDetails?.namedCurve, "prime256v1");
            assert.ok(Math.abs(validityHours(cert) - 8760) < 1 / 60, `one year, not ${validityHours(cert)} hours`);
            assertValidNow(cert, "kubernetes admin");
            assert.ok(Date.parse(cert.validTo) <= Date.parse(ca.validTo), "expires before its CA");
            assertKeyMatches(cert, pem["kubernetes-admin.key"], "kubernetes admin");
        });

        it("talosconfig: crt is the O=os:admin Ed25519 certificate, chained to the OS CA in machine.ca", () => {
            assert.equal(pem["talosconfig-ca.crt"], pem["os-ca.crt"], "talosconfig ca is machine.ca.crt");
            const ca = certificate(pem["os-ca.crt"]);
            const cert = certificate(pem["talos-admin.crt"]);
            assert.deepEqual(subjectOf(cert), { O: "os:admin" });
            assert.equal(cert.issuer, ca.subject);
            assert.ok(cert.checkIssued(ca), "checkIssued: issued by the CA");
            assert.ok(cert.verify(ca.publicKey), "signed by the OS CA key");
            assert.ok(!cert.verify(certificate(pem["kubernetes-ca.crt"]).publicKey), "not verifiable with the Kubernetes CA");
            assert.ok(!cert.checkIssued(certificate(pem["kubernetes-ca.crt"])), "not issued by the Kubernetes CA");
            assert.equal(cert.ca, false);
            assert.deepEqual(cert.keyUsage, [clientAuthOid]);
            assert.equal(cert.publicKey.asymmetricKeyType, "ed25519");
            assert.ok(Math.abs(validityHours(cert) - 8760) < 1 / 60, `one year, not ${validityHours(cert)} hours`);
            assertValidNow(cert, "talos admin");
            assertKeyMatches(cert, pem["talos-admin.key"], "talos admin");
        });

        it("openssl verifies every CA and both client chains, and rejects the crossed ones", () => {
            const f = (name: string) => join(dir, name);
            for (const ca of cas) {
                const result = opensslVerify(f(`${ca.file}.crt`), f(`${ca.file}.crt`));
                assert.ok(result.ok, `${ca.file}: ${result.output}`);
            }
            for (const [ca, client] of [["kubernetes-ca", "kubernetes-admin"], ["os-ca", "talos-admin"]]) {
                const result = opensslVerify(f(`${ca}.crt`), f(`${client}.crt`), "sslclient");
                assert.ok(result.ok, `${client} against ${ca}: ${result.output}`);
                assert.match(result.output, /: OK\n?$/);
            }
            assert.ok(!opensslVerify(f("os-ca.crt"), f("kubernetes-admin.crt")).ok, "the Kubernetes admin does not chain to the OS CA");
            assert.ok(!opensslVerify(f("kubernetes-ca.crt"), f("talos-admin.crt")).ok, "the Talos admin does not chain to the Kubernetes CA");
            assert.ok(!opensslVerify(f("etcd-ca.crt"), f("kubernetes-admin.crt")).ok, "the Kubernetes admin does not chain to the etcd CA");
        });

        it("openssl reads the CA certificates as CA:TRUE with Ed25519 / P-256 keys, and the clients as CA:FALSE", () => {
            const text = (file: string) => openssl(["x509", "-noout", "-text", "-in", join(dir, file)]);
            const os = text("os-ca.crt");
            assert.match(os, /CA:TRUE/);
            assert.match(os, /Public Key Algorithm: ED25519/);
            assert.match(os, /Certificate Sign/);
            assert.match(os, /Subject: O = talos/);
            for (const file of ["kubernetes-ca.crt", "aggregator-ca.crt", "etcd-ca.crt"]) {
                const out = text(file);
                assert.match(out, /CA:TRUE/, file);
                assert.match(out, /Certificate Sign/, file);
                assert.match(out, /TLS Web Server Authentication, TLS Web Client Authentication/, file);
                assert.match(out, /ASN1 OID: prime256v1/, file);
            }
            assert.match(text("aggregator-ca.crt"), /Subject: CN = front-proxy/);
            for (const [file, key] of [["kubernetes-admin.crt", /ASN1 OID: prime256v1/], ["talos-admin.crt", /Public Key Algorithm: ED25519/]] as const) {
                const out = text(file);
                assert.match(out, /CA:FALSE/, file);
                assert.doesNotMatch(out, /Certificate Sign/, file);
                assert.match(out, /TLS Web Client Authentication/, file);
                assert.match(out, key, file);
            }
            assert.match(text("kubernetes-admin.crt"), /Subject: O = system:masters, CN = admin/);
            assert.match(openssl(["pkey", "-noout", "-text", "-in", join(dir, "service-account.key")]), /4096 bit/);
        });

        it("openssl agrees that each private key belongs to its certificate", () => {
            const pairs = [...cas.map((ca) => ca.file), "kubernetes-admin", "talos-admin"];
            const pubkeys = new Set<string>();
            for (const name of pairs) {
                const fromCert = openssl(["x509", "-noout", "-pubkey", "-in", join(dir, `${name}.crt`)]);
                const fromKey = openssl(["pkey", "-pubout", "-in", join(dir, `${name}.key`)]);
                assert.match(fromCert, /BEGIN PUBLIC KEY/);
                assert.equal(fromKey, fromCert, `${name}: key and certificate`);
                pubkeys.add(fromCert);
            }
            assert.equal(pubkeys.size, pairs.length, "six different key pairs");
        });
    });

    describe("prod stack: every control plane holds the same CAs, workers hold certificates only", () => {
        let controlPlanes: [string, V1Alpha1][];
        let workers: [string, V1Alpha1][];

        before(() => {
            const ev = stacks.prod.evaluation;
            controlPlanes = nodesByRole(ev, "controlplane").map((n) => [n, machineConfig(ev, n)]);
            workers = nodesByRole(ev, "worker").map((n) => [n, machineConfig(ev, n)]);
            assert.equal(controlPlanes.length, 3);
            assert.equal(workers.length, 4);
        });

        it("control planes share machine.ca, cluster.ca, aggregatorCA, etcd CA and service-account key", () => {
            const [, first] = controlPlanes[0];
            for (const [node, config] of controlPlanes) {
                assert.equal(config.machine.type, "controlplane");
                assert.deepEqual(config.machine.ca, first.machine.ca, `${node} machine.ca`);
                assert.deepEqual(config.cluster.ca, first.cluster.ca, `${node} cluster.ca`);
                assert.deepEqual(config.cluster.aggregatorCA, first.cluster.aggregatorCA, `${node} aggregatorCA`);
                assert.deepEqual(config.cluster.etcd?.ca, first.cluster.etcd?.ca, `${node} etcd.ca`);
                assert.deepEqual(config.cluster.serviceAccount, first.cluster.serviceAccount, `${node} serviceAccount`);
                for (const pair of [config.machine.ca, config.cluster.ca, config.cluster.aggregatorCA, config.cluster.etcd?.ca]) {
                    assert.ok(pair?.key, `${node} carries every CA key`);
                    assertKeyMatches(certificate(fromBase64(pair.crt, "crt")), fromBase64(pair.key, "key"), node);
                }
            }
        });

        it("workers carry the control planes' CA certificates and no CA key, aggregator, service account, etcd or secretbox", () => {
            const [, cp] = controlPlanes[0];
            const caKeys = [cp.machine.ca.key, cp.cluster.ca.key, cp.cluster.aggregatorCA?.key, cp.cluster.etcd?.ca.key, cp.cluster.serviceAccount?.key] as string[];
            const texts = machineConfigTexts(stacks.prod.evaluation);
            for (const [node, config] of workers) {
                assert.equal(config.machine.type, "worker");
                assert.deepEqual(config.machine.ca, { crt: cp.machine.ca.crt }, `${node} machine.ca: certificate only`);
                assert.deepEqual(config.cluster.ca, { crt: cp.cluster.ca.crt }, `${node} cluster.ca: certificate only`);
                assert.equal(config.machine.ca.key, undefined);
                assert.equal(config.cluster.ca.key, undefined);
                for (const absent of ["aggregatorCA", "serviceAccount", "etcd", "secretboxEncryptionSecret"] as const) {
                    assert.equal(config.cluster[absent], undefined, `${node} has no cluster.${absent}`);
                }
                // Joining needs the shared tokens and cluster identity, nothing more.
                assert.equal(config.machine.token, cp.machine.token);
                assert.equal(config.cluster.token, cp.cluster.token);
                assert.equal(config.cluster.id, cp.cluster.id);
                // Nowhere in the rendered text, in any encoding we produce.
                const text = texts[node];
                for (const key of caKeys) assert.ok(!text.includes(key), `${node} contains a CA key`);
                const decoded = strings(parseAllDocuments(text).map((d) => d.toJS()))
                    .filter((s) => /^[A-Za-z0-9+/]{40,}={0,2}$/.test(s))
                    .map((s) => Buffer.from(s, "base64").toString("utf8"));
                assert.ok(decoded.length >= 2, "the CA certificates are there");
                for (const value of decoded) assert.ok(!value.includes("PRIVATE KEY"), `${node} carries a private key`);
                assert.ok(!text.includes("PRIVATE KEY"));
            }
        });

        it("worker CA certificates verify the prod admin clients", () => {
            const ev = stacks.prod.evaluation;
            const [, worker] = workers[0];
            const kube = kubeconfig(ev);
            const talos = talosconfig(ev);
            const clusterCa = certificate(fromBase64(worker.cluster.ca.crt, "worker cluster.ca.crt"));
            const osCa = certificate(fromBase64(worker.machine.ca.crt, "worker machine.ca.crt"));
            assert.ok(certificate(fromBase64(kube.users[0].user["client-certificate-data"], "kube crt")).verify(clusterCa.publicKey));
            assert.ok(certificate(fromBase64(talos.contexts[talos.context].crt, "talos crt")).verify(osCa.publicKey));
            assert.deepEqual(talos.contexts[talos.context].endpoints, ["10.0.0.11", "10.0.0.12", "10.0.0.13"], "talosctl talks to control planes only");
        });
    });

    for (const name of ["dev", "prod"] as const) {
        describe(`${name} stack: secrecy`, () => {
            let ev: Evaluation;
            let secrets: string[];

            before(() => {
                ev = stacks[name].evaluation;
                const cp = machineConfig(ev, nodesByRole(ev, "controlplane")[0]);
                secrets = secretValuesIn(cp, { kubeconfig: kubeconfig(ev), talosconfig: talosconfig(ev) });
                assert.ok(secrets.length >= 14, `collected ${secrets.length} secret values`);
            });

            it("exports kubeconfig, talosconfig and machine configs as secrets", () => {
                assert.ok(ev.outputs.kubeconfig instanceof SecretValue);
                const talos = talosOutputs(ev);
                assert.ok(talos.talosconfig instanceof SecretValue);
                assert.ok(talos.machineConfigs instanceof SecretValue);
                assert.deepEqual(Object.keys((talos.machineConfigs as SecretValue).value as object).sort(), (talos.nodes as { name: string }[]).map((n) => n.name).sort());
            });

            it("hands talosctl its configs on secret stdin, never in the scripts", () => {
                const commands = resourcesOfType(ev, commandType);
                const talosCluster = resource(ev, "ironcloud:talos:TalosCluster", stacks[name].prefix);
                const lifecycle = commands.filter((c) => c.parent === talosCluster.urn);
                const texts = machineConfigTexts(ev);
                assert.equal(lifecycle.length, 3 * Object.keys(texts).length + 3, "per node an apply, an upgrade and a config step; bootstrap, health and the Kubernetes upgrade");
                const talosconfigPlain = talosconfigText(ev);
                for (const cmd of commands) {
                    if (cmd.inputs.stdin !== undefined) assert.ok(cmd.inputs.stdin instanceof SecretValue, `${cmd.name} stdin is a secret`);
                    const scripts = [cmd.inputs.create, cmd.inputs.update].filter((s) => s !== undefined);
                    assert.ok(scripts.length >= 1);
                    for (const script of scripts) assert.equal(typeof script, "string", `${cmd.name} scripts are plain text`);
                    assertNoSecrets(scripts as string[], secrets, `${cmd.name} script`);
                    assertNoSecrets(Object.keys(cmd.inputs).filter((k) => k !== "stdin").flatMap((k) => strings(redact(cmd.inputs[k]))), secrets, `${cmd.name} inputs`);
                }
                for (const cmd of lifecycle) {
                    const stdin = String(revealSecret(cmd.inputs.stdin, `${cmd.name} stdin`));
                    const files = stdin.split("\n").filter(Boolean).map((line) => Buffer.from(line, "base64").toString("utf8"));
                    assert.equal(files[0], talosconfigPlain, `${cmd.name} reads the talosconfig first`);
                    const node = /-(?:apply|config)-(.+)$/.exec(cmd.name)?.[1];
                    if (node) assert.equal(files[2], texts[node], `${cmd.name} reads ${node}'s machine config`);
                }
            });

            it("keeps every key, token and secret inside a secret in every recorded input", () => {
                for (const r of ev.resources as RecordedResource[]) assertNoSecrets(strings(redact(r.inputs)), secrets, `${r.type} ${r.name}`);
            });

            it("leaves no key or token in the redacted outputs", () => {
                const redacted = redact(ev.outputs);
                const outputs = redacted as Record<string, Record<string, unknown>>;
                assert.equal(outputs.kubeconfig, "[secret]");
                assert.equal(outputs.talos.talosconfig, "[secret]");
                assert.equal(outputs.talos.machineConfigs, "[secret]");
                assertNoSecrets(strings(redacted), secrets, "redacted outputs");
                assertNoSecrets([JSON.stringify(redacted)], secrets, "redacted outputs as JSON");
            });
        });
    }

    describe("npm run plan", () => {
        const tsNode = join(repoRoot, "node_modules", ".bin", "ts-node");
        let out: string;
        let stdout: string;

        before(() => {
            out = join(work, "plan");
            stdout = execFileSync(tsNode, ["--transpile-only", "tools/plan.ts", "--stack", "dev", "--out", out], { cwd: repoRoot, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
        });

        it("summarises the dev stack and writes out/dev", () => {
            assert.match(stdout, /^stack dev \(dev\): \d+ resources, written to /m);
            for (const node of ["lab-1", "lab-2", "lab-3"]) assert.match(stdout, new RegExp(`node ${node} `));
            assert.ok(existsSync(join(out, "dev", "inventory.json")));
        });

        it("inventory.json records every resource with type, name, parent, dependencies, protect and inputs", () => {
            const inventory = JSON.parse(readFileSync(join(out, "dev", "inventory.json"), "utf8")) as { stack: string; resources: Record<string, unknown>[] };
            assert.equal(inventory.stack, "dev");
            const expected = stacks.dev.evaluation.resources.map((r) => `${r.type} ${r.name}`).sort();
            assert.deepEqual(inventory.resources.map((r) => `${String(r.type)} ${String(r.name)}`).sort(), expected, "the same resources as an in-process evaluation");
            for (const r of inventory.resources) {
                const what = `${String(r.type)} ${String(r.name)}`;
                for (const field of ["type", "name", "parent", "dependencies", "protect", "inputs"]) assert.ok(field in r, `${what} has ${field}`);
                assert.equal(typeof r.type, "string");
                assert.equal(typeof r.name, "string");
                assert.ok(r.parent === null || typeof r.parent === "string", `${what} parent`);
                assert.ok(Array.isArray(r.dependencies) && r.dependencies.every((d) => typeof d === "string"), `${what} dependencies`);
                assert.equal(typeof r.protect, "boolean", `${what} protect`);
                assert.ok(r.inputs !== null && typeof r.inputs === "object" && !Array.isArray(r.inputs), `${what} inputs`);
            }
        });

        it("inventory.json shows secrets as [secret] and contains no key, token or secret of the run that wrote it", () => {
            const text = readFileSync(join(out, "dev", "inventory.json"), "utf8");
            const inventory = JSON.parse(text) as { resources: { type: string; name: string; inputs: Record<string, unknown> }[]; outputs: Record<string, Record<string, unknown>> };
            const find = (type: string, name: string) => {
                const found = inventory.resources.find((r) => r.type === type && r.name === name);
                assert.ok(found, `${type} ${name} in the inventory`);
                return found;
            };
            assert.equal(inventory.outputs.kubeconfig, "[secret]");
            assert.equal(inventory.outputs.talos.talosconfig, "[secret]");
            assert.equal(inventory.outputs.talos.machineConfigs, "[secret]");
            for (const node of ["lab-1", "lab-2", "lab-3"]) assert.equal(find(commandType, `lab-apply-${node}`).inputs.stdin, "[secret]");
            assert.equal(find(commandType, "lab-bootstrap").inputs.stdin, "[secret]");
            assert.equal(find(selfSignedType, "lab-os-ca").inputs.privateKeyPem, "[secret]");
            assert.equal(find(locallySignedType, "lab-kubernetes-admin").inputs.caPrivateKeyPem, "[secret]");
            assert.equal(find(certRequestType, "lab-talos-admin").inputs.privateKeyPem, "[secret]");
            assert.equal(find("pulumi:providers:kubernetes", "lab").inputs.kubeconfig, "[secret]");

            // The secrets of this very run, read back from the machine config it wrote.
            const config = v1alpha1(readFileSync(join(out, "dev", "talos", "lab-1.yaml"), "utf8"));
            const runSecrets = secretValuesIn(config);
            assert.ok(runSecrets.length >= 12);
            assertNoSecrets(strings(JSON.parse(text)), runSecrets, "inventory.json");
            assertNoSecrets([text], runSecrets, "inventory.json text");
        });

        it("writes talos/<node>.yaml with the NOT FOR USE header for every node, and the schematic", () => {
            const inventory = JSON.parse(readFileSync(join(out, "dev", "inventory.json"), "utf8")) as { outputs: { talos: { nodes: { name: string }[]; schematic: string } } };
            const nodes = inventory.outputs.talos.nodes.map((n) => n.name);
            assert.deepEqual(nodes, ["lab-1", "lab-2", "lab-3"]);
            for (const node of nodes) {
                const path = join(out, "dev", "talos", `${node}.yaml`);
                assert.ok(existsSync(path), `${path} exists`);
                const text = readFileSync(path, "utf8");
                assert.match(text.split("\n").slice(0, 3).join("\n"), /NOT FOR USE/, `${node}.yaml starts with the warning`);
                assert.ok(text.startsWith("#"), `${node}.yaml starts with a comment`);
                const config = v1alpha1(text);
                assert.equal(config.machine.type, "controlplane");
                assert.ok(createPrivateKey(fromBase64(config.machine.ca.key, "machine.ca.key")), "the review config is complete");
            }
            const schematic = join(out, "dev", "talos", "schematic.yaml");
            assert.ok(existsSync(schematic));
            assert.equal(readFileSync(schematic, "utf8"), inventory.outputs.talos.schematic);
            assert.match(readFileSync(schematic, "utf8"), /siderolabs\/drbd/);
        });

        it("exits 1, prints the config errors and writes nothing for an invalid stack file", () => {
            const configDir = join(work, "broken");
            mkdirSync(configDir);
            const file = join(configDir, "Pulumi.broken.yaml");
            writeFileSync(file, [
                "config:",
                "  ironcloud:environment: dev",
                "  ironcloud:cluster:",
                "    name: lab",
                "    endpoint: https://192.168.50.10:6443",
                "    nodes:",
                "      - { name: lab-1, address: 192.168.50.11, role: boss }",
                "  ironcloud:colour: blue",
                "",
            ].join("\n"));
            const brokenOut = join(work, "broken-out");
            let status: number | null = 0;
            let output = "";
            try {
                execFileSync(tsNode, ["--transpile-only", "tools/plan.ts", "--config-file", file, "--out", brokenOut], { cwd: repoRoot, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
            } catch (error) {
                const failed = error as { status: number | null; stdout?: string; stderr?: string };
                status = failed.status;
                output = `${failed.stdout ?? ""}${failed.stderr ?? ""}`;
            }
            assert.equal(status, 1, output);
            assert.ok(output.includes(`${file}: invalid stack config`), output);
            assert.match(output, /ironcloud:colour: unknown config key/);
            assert.match(output, /ironcloud:cluster\.nodes\[0\]\.role: must be one of controlplane, worker, not "boss"/);
            assert.ok(!existsSync(join(brokenOut, "broken", "inventory.json")), "no inventory for an invalid stack");
            assert.ok(!existsSync(brokenOut), "no output directory at all");
        });
    });
});
