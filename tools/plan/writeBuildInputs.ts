import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { imagerProfileFiles } from "../../components/talos/imagerProfile";
import { ArtifactList, stackArtifacts } from "../../infra/artifacts";
import { CloudSpec } from "../../infra/config";
import * as versions from "../../infra/versions";

/** `<dir>/artifacts.json`: every artifact the stack needs, for mirroring. Returns the list. */
export function writeArtifacts(spec: CloudSpec, dir: string): ArtifactList {
    const list = stackArtifacts(spec);
    writeFileSync(join(dir, "artifacts.json"), `${JSON.stringify({ stack: spec.stack, ...list }, null, 2)}\n`);
    return list;
}

/** `<dir>/talos/imager-<arch>-<output>.yaml`: the Talos imager profiles of the stack's schematic (Talos clusters only). */
export function writeImagerProfiles(spec: CloudSpec, dir: string): string[] {
    const { cluster } = spec;
    if (cluster.kubeconfig !== undefined) return [];
    const files = imagerProfileFiles({
        talosVersion: cluster.talosVersion,
        architecture: cluster.architecture,
        extensions: cluster.extensions,
        kernelArgs: cluster.kernelArgs,
        extensionImages: versions.extensionImages[cluster.talosVersion] ?? {},
        installerBase: `${versions.talosBuildRepositories.installerBase}:${cluster.talosVersion}`,
    }, `${versions.talosBuildRepositories.imager}:${cluster.talosVersion}`);
    mkdirSync(join(dir, "talos"), { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, "talos", name), text);
    return Object.keys(files);
}
