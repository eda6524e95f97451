import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { charts } from "../../../infra/versions";
import { chartName } from "../../../components/platform/mirrors";
import { ChartRepository } from "../harness/chartRepository";
import { ControlPlane } from "../harness/controlPlane";
import { PulumiProject, urnName } from "../harness/pulumi";

/**
 * `pulumi up` installs a platform chart through `ironcloud:mirrors`, the setting every platform
 * chart takes, from a chart repository the test serves on 127.0.0.1. The suite's network
 * namespace has only `lo`: a chart, manifest or anything else fetched from a public host would
 * fail the up. The stand-in chart carries the pinned name and version of kube-prometheus-stack
 * (versions stay pinned; a mirror changes only where) and holds one ConfigMap, so monitoring is
 * the only platform part switched on: no operator or CRD of the real chart is needed.
 */

const pinned = charts.kubePrometheusStack;
const marker = "served-by-the-loopback-mirror";

type StackConfig = Record<string, unknown>;

function stackConfig(repository: string): StackConfig {
    return {
        "ironcloud:environment": "dev",
        "ironcloud:cluster": { name: "local" },
        "ironcloud:platform": {
            networking: { enabled: false },
            certManager: { enabled: false },
            storage: { enabled: false },
            virtualization: { enabled: false },
            monitoring: { enabled: true },
        },
        "ironcloud:mirrors": { charts: { kubePrometheusStack: { repository } } },
    };
}

describe("engine: a platform chart from its mirror on loopback", function () {
    let plane: ControlPlane;
    let repository: ChartRepository;
    let project: PulumiProject;
    /** The kubeconfig as the stack file holds it, encrypted, for rewrites of the config. */
    let kubeconfigSecret: unknown;
    const releases = async () => (await project.stateResources()).filter((r) => r.type === "kubernetes:helm.sh/v3:Release");

    before(async function () {
        plane = await ControlPlane.start({ nodes: ["kwok-1"] });
        repository = await ChartRepository.serve({
            name: chartName(pinned),
            version: pinned.version,
            templates: {
                "configmap.yaml": [
                    "apiVersion: v1",
                    "kind: ConfigMap",
                    "metadata:",
                    "  name: mirror-proof",
                    "  namespace: {{ .Release.Namespace }}",
                    "data:",
                    `  chart: "{{ .Chart.Name }}-{{ .Chart.Version }}"`,
                    `  marker: ${marker}`,
                    "",
                ].join("\n"),
            },
        });
        project = await PulumiProject.create("mirrors", stackConfig(repository.url));
        await project.setSecret("ironcloud:cluster.kubeconfig", plane.kubeconfig);
        kubeconfigSecret = (parse(readFileSync(project.stackFile, "utf8")) as { config: { "ironcloud:cluster": { kubeconfig: unknown } } }).config["ironcloud:cluster"].kubeconfig;
    });

    after(async function () {
        project?.remove();
        await repository?.close();
        plane?.stop();
    });

    it("installs the pinned chart's release from the loopback repository, and nothing from anywhere else", async function () {
        await project.up();

        const proof = JSON.parse(await plane.kubectl(["get", "configmap", "mirror-proof", "-n", "monitoring", "-o", "json"])) as { data: Record<string, string> };
        assert.deepEqual(proof.data, { chart: `${chartName(pinned)}-${pinned.version}`, marker });
        assert.deepEqual([...new Set(repository.requests)], [`/charts/index.yaml`, `/charts/${chartName(pinned)}-${pinned.version}.tgz`], "Helm read the index, then the pinned archive");

        const [release, ...others] = await releases();
        assert.deepEqual(others, [], "the only Helm release of the stack");
        assert.equal(urnName(release.urn), "local-monitoring-prometheus");
        const inputs = release.inputs as { chart: string; version: string; repositoryOpts?: { repo?: string } };
        assert.deepEqual({ chart: inputs.chart, version: inputs.version, repo: inputs.repositoryOpts?.repo }, { chart: chartName(pinned), version: pinned.version, repo: repository.url });
        assert.equal((release.outputs as { status?: { status?: string } }).status?.status, "deployed");
    });

    it("previews no change on a second run", async function () {
        await project.mustRun(["preview", "--expect-no-changes"]);
    });

    it("without the mirror, the same up fails: the public repository is out of reach here", async function () {
        project.writeConfig({ ...stackConfig(repository.url), "ironcloud:mirrors": {}, "ironcloud:cluster": { name: "local", kubeconfig: kubeconfigSecret } });
        const result = await project.run(["up", "--yes", "--skip-preview"]);
        assert.notEqual(result.code, 0, "the up must fail");
        const publicHost = new URL(pinned.repository as string).host;
        assert.ok((result.stdout + result.stderr).includes(publicHost), `the failure names ${publicHost}:\n${result.stdout.slice(-3000)}`);
    });

    it("destroys the release", async function () {
        await project.mustRun(["destroy", "--yes", "--skip-preview"]);
        assert.equal(await plane.kubectl(["get", "configmap", "mirror-proof", "-n", "monitoring", "--ignore-not-found", "-o", "name"]), "");
        assert.deepEqual(await releases(), []);
    });
});

