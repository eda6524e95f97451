import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseStackYaml } from "../infra/stackYaml";
import { secretsInStackConfig } from "./policy/stackSecrets";

/** Part of `npm run lint`: no stack file may hold a secret outside a `secure:` entry. */
const dir = process.argv[2] ?? "stacks";
let problems = 0;
for (const file of readdirSync(dir).filter((f) => /^Pulumi\..+\.ya?ml$/.test(f)).sort()) {
    const document = (parseStackYaml(readFileSync(join(dir, file), "utf8"), join(dir, file)) ?? {}) as { config?: Record<string, unknown> };
    for (const finding of secretsInStackConfig(document.config ?? {})) {
        console.error(`${join(dir, file)}: ${finding.path} looks like ${finding.what} in plaintext; store it with \`pulumi config set --secret --path '${finding.path}' …\``);
        problems++;
    }
}
if (problems > 0) process.exit(1);
console.log(`stack files: no plaintext secrets in ${dir}/`);
