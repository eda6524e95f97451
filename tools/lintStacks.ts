import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { projectFiles } from "../infra/projectFiles";
import { parseStackYaml } from "../infra/stackYaml";
import { inventoryPaths } from "../infra/validation/inventories";
import { secretsInInventory, secretsInStackConfig } from "./policy/stackSecrets";

/**
 * Part of `npm run lint`: no stack file may hold a secret outside a `secure:` entry, and no team
 * inventory file a secret at all (they hold VM specs and public keys, and are never encrypted).
 * usage: lintStacks.ts [stacks dir] [project dir, where inventory paths start]
 */
const dir = process.argv[2] ?? "stacks";
const files = projectFiles(process.argv[3] ?? process.cwd());
let problems = 0;
const report = (line: string) => {
    console.error(line);
    problems++;
};
const inventories = new Set<string>();
for (const file of readdirSync(dir).filter((f) => /^Pulumi\..+\.ya?ml$/.test(f)).sort()) {
    const document = (parseStackYaml(readFileSync(join(dir, file), "utf8"), join(dir, file)) ?? {}) as { config?: Record<string, unknown> };
    for (const finding of secretsInStackConfig(document.config ?? {})) {
        report(`${join(dir, file)}: ${finding.path} looks like ${finding.what} in plaintext; store it with \`pulumi config set --secret --path '${finding.path}' …\``);
    }
    for (const inventory of inventoryPaths(document.config ?? {})) inventories.add(inventory);
}
for (const inventory of [...inventories].sort()) {
    const read = files.read(inventory);
    // A missing or misplaced file is the config check's to report (npm run plan); here only secrets.
    if ("problem" in read) continue;
    for (const finding of secretsInInventory(parseStackYaml(read.text, inventory))) {
        report(`${inventory}: ${finding.path} looks like ${finding.what}; an inventory holds only public data (VM specs, public keys) and is never encrypted: move the secret to the stack's secure config`);
    }
}
if (problems > 0) process.exit(1);
console.log(`stack files: no plaintext secrets in ${dir}/ and its ${inventories.size} team inventories`);
