import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { Evaluation, redact, reveal } from "../offline/evaluate";

const notForUse = "# Rendered by `npm run plan` under the offline mock runtime. The keys and tokens in\n# this file were generated for review only: NOT FOR USE on a real node.\n";

/** Writes the inventory and the artifacts a reviewer reads into `<outDir>/<stack>/`. */
export function writePlan(evaluation: Evaluation, outDir: string): string {
    const dir = join(outDir, evaluation.stack);
    mkdirSync(dir, { recursive: true });
    const inventory = {
        stack: evaluation.stack,
        resources: evaluation.resources.map((r) => ({
            type: r.type,
            name: r.name,
            urn: r.urn,
            parent: r.parent || null,
            provider: r.provider || null,
            dependencies: r.dependencies,
            protect: r.protect,
            inputs: redact(r.inputs),
        })),
        outputs: redact(evaluation.outputs),
    };
    writeFileSync(join(dir, "inventory.json"), `${JSON.stringify(inventory, null, 2)}\n`);

    const talos = reveal(evaluation.outputs.talos) as { machineConfigs: Record<string, string>; schematic: string } | undefined;
    if (talos) {
        mkdirSync(join(dir, "talos"), { recursive: true });
        for (const [node, config] of Object.entries(talos.machineConfigs)) writeFileSync(join(dir, "talos", `${node}.yaml`), notForUse + config);
        writeFileSync(join(dir, "talos", "schematic.yaml"), talos.schematic);
    }
    writeReleaseValues(evaluation, join(dir, "platform"));
    return dir;
}

/** The Helm values of every release, one YAML file per release, for review. */
function writeReleaseValues(evaluation: Evaluation, dir: string): void {
    const releases = evaluation.resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release");
    if (releases.length === 0) return;
    mkdirSync(dir, { recursive: true });
    for (const release of releases) {
        const { chart, version, values } = redact(release.inputs) as { chart: string; version: string; values?: unknown };
        writeFileSync(join(dir, `${release.inputs.name ?? release.name}.yaml`), `# ${chart} ${version}\n${stringify(values ?? {})}`);
    }
}

/** Resources by type, most common first. */
export function resourceCounts(evaluation: Evaluation): [string, number][] {
    const counts = new Map<string, number>();
    for (const r of evaluation.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
