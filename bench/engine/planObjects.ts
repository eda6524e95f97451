import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { stringify } from "yaml";
import { evaluateStack, reveal } from "../../tools/offline/evaluate";
import { declareCloud } from "../../infra/cloud";
import { parseStackConfig } from "../../infra/config";
import { projectFiles } from "../../infra/projectFiles";
import { readStackFile } from "../../tools/offline/stackFile";
import { GeneratedStack } from "../generatedStack";

/**
 * The Kubernetes objects of a stack's offline plan (what `npm run plan` evaluates), as
 * `kubectl apply` takes them: each object as the program declares it, secrets revealed (the
 * plan's generated keys), namespaces first so that everything namespaced finds its namespace.
 */
export async function planObjects(stack: GeneratedStack, stackName: string): Promise<Record<string, unknown>[]> {
    const dir = mkdtempSync(join(tmpdir(), "ironcloud-bench-plan-"));
    try {
        const configFile = join(dir, "stacks", `Pulumi.${stackName}.yaml`);
        const cluster = { ...(stack.config["ironcloud:cluster"] as object), kubeconfig: { secure: "not-decrypted-offline" } };
        for (const [path, content] of Object.entries({ [configFile]: { config: { ...stack.config, "ironcloud:cluster": cluster } }, ...relativeTo(dir, stack.files) })) {
            mkdirSync(dirname(path), { recursive: true });
            writeFileSync(path, stringify(content));
        }
        // As tools/offline/loadStack.ts, with the temporary directory as the project directory.
        const { stack: name, config } = readStackFile(configFile);
        const spec = parseStackConfig(name, config.values, projectFiles(dir));
        const evaluation = await evaluateStack(name, config, () => ({ ...declareCloud(spec) }));
        const objects = evaluation.resources
            .filter((r) => r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:helm.sh/"))
            .map((r) => reveal(r.inputs) as Record<string, unknown>);
        return [...objects.filter((o) => o.kind === "Namespace"), ...objects.filter((o) => o.kind !== "Namespace")];
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

function relativeTo(dir: string, files: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(files).map(([path, content]) => [join(dir, path), content]));
}
