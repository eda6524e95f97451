/**
 * CrossGuard sees resources, not the stack config file. This finds values in a
 * `stacks/Pulumi.<stack>.yaml` that look like secrets but are stored in plaintext instead of as
 * `secure:` entries (`pulumi config set --secret`). Findings name the path, never the value.
 */

export interface SecretFinding {
    path: string;
    what: string;
}

const valuePatterns: [RegExp, string][] = [
    [/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/, "a private key"],
    [/client-key-data|client-certificate-data|(^|\n)\s*token:\s*\S/, "a kubeconfig with credentials"],
    [/(^|\n)contexts:[\s\S]*\n\s+key:\s*\S/, "a talosconfig with its key"],
    [/(^|[^a-z0-9])[a-z0-9]{6}\.[a-z0-9]{16}([^a-z0-9]|$)/, "a Kubernetes bootstrap or Talos join token"],
    [/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\./, "a JSON web token"],
    [/\b(ghp|gho|ghs|github_pat|glpat|xox[abp])[-_][A-Za-z0-9_]{16,}/, "an access token"],
    [/\bAKIA[0-9A-Z]{16}\b/, "a cloud access key"],
];

const secretKeyNames = /^(password|passwd|secret|token|apikey|api_key|privatekey|private_key|kubeconfig|talosconfig|clientsecret|client_secret)$/i;

export function secretsInStackConfig(config: Record<string, unknown>): SecretFinding[] {
    return Object.entries(config).flatMap(([key, value]) => secretsIn(value, key, key.split(":").pop() as string, true));
}

/**
 * The same search over a team inventory file (`teams[].inventory`). The program reads these files
 * as they are: they are neither encrypted nor decrypted, so a `secure:` entry is a finding too.
 * What belongs in them is public: VM specs and public keys.
 */
export function secretsInInventory(document: unknown): SecretFinding[] {
    return secretsIn(document, "", "", false);
}

function secretsIn(root: unknown, rootPath: string, rootKey: string, secureAllowed: boolean): SecretFinding[] {
    const findings: SecretFinding[] = [];
    const join = (path: string, part: string) => (path === "" ? part : `${path}.${part}`);
    const visit = (value: unknown, path: string, key: string) => {
        if (value === null || value === undefined) return;
        if (Array.isArray(value)) return value.forEach((item, i) => visit(item, `${path}[${i}]`, key));
        if (typeof value === "object") {
            const record = value as Record<string, unknown>;
            if (Object.keys(record).length === 1 && "secure" in record) {
                if (!secureAllowed) findings.push({ path, what: "a secure value, which only a stack file can hold" });
                return;
            }
            return Object.entries(record).forEach(([k, v]) => visit(v, join(path, k), k));
        }
        const text = String(value);
        const match = valuePatterns.find(([pattern]) => pattern.test(text));
        if (match) findings.push({ path, what: match[1] });
        else if (secretKeyNames.test(key) && text.trim() !== "") findings.push({ path, what: `a plaintext value under "${key}"` });
    };
    visit(root, rootPath, rootKey);
    return findings;
}
