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
    writeAccess(evaluation, dir);
    return dir;
}

type Inputs = { metadata?: { name?: string; namespace?: string; labels?: Record<string, string> }; data?: Record<string, string>; stringData?: unknown };

/** The jump host's sshd_config, client snippets, every VM's cloud-init (host keys from the mocks) and the VM list. */
function writeAccess(evaluation: Evaluation, dir: string): void {
    const vms = evaluation.outputs.vms as unknown[] | undefined;
    if (!vms || vms.length === 0) return;
    writeFileSync(join(dir, "vms.json"), `${JSON.stringify(vms, null, 2)}\n`);

    mkdirSync(join(dir, "access"), { recursive: true });
    const configMap = evaluation.resources.find((r) => r.type === "kubernetes:core/v1:ConfigMap" && (r.inputs as Inputs).metadata?.name === "jump-host");
    if (configMap) writeFileSync(join(dir, "access", "jump-sshd_config"), (configMap.inputs as Inputs).data?.sshd_config ?? "");
    const access = reveal(evaluation.outputs.access) as { sshConfig: string; knownHosts: string[] } | undefined;
    if (access) {
        writeFileSync(join(dir, "access", "ssh_config"), access.sshConfig);
        writeFileSync(join(dir, "access", "known_hosts"), `${access.knownHosts.join("\n")}\n`);
    }
    for (const secret of evaluation.resources.filter((r) => r.type === "kubernetes:core/v1:Secret")) {
        const inputs = reveal(secret.inputs) as Inputs;
        const userData = (inputs.stringData as { userdata?: string } | undefined)?.userdata;
        const vm = inputs.metadata?.labels?.["ironcloud.dev/vm"];
        if (!userData || !vm || !inputs.metadata?.namespace) continue;
        mkdirSync(join(dir, "cloud-init", inputs.metadata.namespace), { recursive: true });
        writeFileSync(join(dir, "cloud-init", inputs.metadata.namespace, `${vm}.yaml`), userData.replace("#cloud-config\n", `#cloud-config\n${notForUse}`));
    }
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
