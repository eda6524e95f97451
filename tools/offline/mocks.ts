import * as pulumi from "@pulumi/pulumi";
import { randomBytes, randomInt } from "node:crypto";
import { certRequest, locallySignedCert, privateKey, selfSignedCert } from "./tlsEmulation";

type Inputs = Record<string, unknown>;
type Emulator = (inputs: Inputs) => Inputs | Promise<Inputs>;

/**
 * What each provider would return, computed locally: real keys and certificates for
 * @pulumi/tls, real randomness for @pulumi/random, and the inputs echoed back for everything
 * else (Kubernetes objects, commands that would run talosctl).
 */
const emulators: Record<string, Emulator> = {
    "tls:index/privateKey:PrivateKey": privateKey,
    "tls:index/selfSignedCert:SelfSignedCert": selfSignedCert,
    "tls:index/certRequest:CertRequest": certRequest,
    "tls:index/locallySignedCert:LocallySignedCert": locallySignedCert,
    "random:index/randomString:RandomString": (inputs) => ({ result: randomString(inputs) }),
    "random:index/randomPassword:RandomPassword": (inputs) => ({ result: randomString(inputs) }),
    "random:index/randomBytes:RandomBytes": (inputs) => {
        const bytes = randomBytes(Number(inputs.length));
        return { base64: bytes.toString("base64"), hex: bytes.toString("hex") };
    },
    "command:local:Command": () => ({ stdout: "", stderr: "" }),
};

export const offlineMocks: pulumi.runtime.Mocks = {
    async newResource(args: pulumi.runtime.MockResourceArgs) {
        // Inputs come back as outputs with their secrecy intact, as the engine does; the
        // emulator sees plain values and adds what the provider would compute.
        const emulate = emulators[args.type];
        const computed = emulate ? await emulate(unwrapSecrets(args.inputs) as Inputs) : {};
        return { id: `${args.name}-id`, state: { ...args.inputs, ...computed } };
    },
    call(args: pulumi.runtime.MockCallArgs) {
        return args.inputs;
    },
};

function randomString(inputs: Inputs): string {
    const enabled = (flag: string) => inputs[flag] !== false;
    const alphabet = [
        enabled("lower") ? "abcdefghijklmnopqrstuvwxyz" : "",
        enabled("upper") ? "ABCDEFGHIJKLMNOPQRSTUVWXYZ" : "",
        enabled("numeric") ? "0123456789" : "",
        enabled("special") ? String(inputs.overrideSpecial ?? "!@#$%&*()-_=+[]{}<>:?") : "",
    ].join("");
    return Array.from({ length: Number(inputs.length) }, () => alphabet[randomInt(alphabet.length)]).join("");
}

function unwrapSecrets(value: unknown): unknown {
    if (pulumi.runtime.isRpcSecret(value)) return unwrapSecrets(pulumi.runtime.unwrapRpcSecret(value));
    if (Array.isArray(value)) return value.map(unwrapSecrets);
    if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
    return value;
}
