import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parse, stringify } from "yaml";
import { charts } from "../../../infra/versions";
import { chartName } from "../../../components/platform/mirrors";
import { ChartRepository } from "../harness/chartRepository";
import { ControlPlane } from "../harness/controlPlane";
import { PulumiProject, urnName } from "../harness/pulumi";

/**
 * `pulumi up` installs a platform chart through `ironcloud:mirrors`, the setting every platform
 * chart takes, from a chart repository the test serves on 127.0.0.1, and KubeVirt's and CDI's
 * operator manifests from files in the project. The suite's network namespace has only `lo`: a
 * chart, manifest or anything else fetched from a public host would fail the up.
 *
 * The stand-in chart carries the pinned name and version of kube-prometheus-stack (versions stay
 * pinned; a mirror changes only where) and holds one ConfigMap, so monitoring and virtualization
 * are the platform parts switched on: no operator or CRD of the real chart is needed. The
 * stand-in manifests hold a namespace and a ConfigMap each; the control plane has KubeVirt's and
 * CDI's CRDs, and the test plays their operators by marking the KubeVirt and CDI resources
 * Available, which the Platform's readiness gates wait for.
 */

const pinned = charts.kubePrometheusStack;
const marker = "served-by-the-loopback-mirror";
const manifestFiles = { kubevirtOperator: "mirrors/kubevirt-operator.yaml", cdiOperator: "mirrors/cdi-operator.yaml" };

/** A release manifest's stand-in: its operator's namespace and a ConfigMap that says which file it came from. */
const standInManifest = (namespace: string, file: string) => [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } },
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "manifest-mirror-proof", namespace }, data: { file } },
].map((object) => stringify(object)).join("---\n");

type StackConfig = Record<string, unknown>;

function stackConfig(repository: string): StackConfig {
    return {
        "ironcloud:environment": "dev",
        "ironcloud:cluster": { name: "local" },
        "ironcloud:platform": {
            networking: { enabled: false },
            certManager: { enabled: false },
            storage: { enabled: false },
            virtualization: { enabled: true },
            monitoring: { enabled: true },
        },
        "ironcloud:mirrors": { charts: { kubePrometheusStack: { repository } }, manifests: manifestFiles },
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
        project = await PulumiProject.create("mirrors", stackConfig(repository.url), {
            [manifestFiles.kubevirtOperator]: standInManifest("kubevirt", manifestFiles.kubevirtOperator),
            [manifestFiles.cdiOperator]: standInManifest("cdi", manifestFiles.cdiOperator),
        });
        await project.setSecret("ironcloud:cluster.kubeconfig", plane.kubeconfig);
        kubeconfigSecret = (parse(readFileSync(project.stackFile, "utf8")) as { config: { "ironcloud:cluster": { kubeconfig: unknown } } }).config["ironcloud:cluster"].kubeconfig;
    });

    after(async function () {
        project?.remove();
        await repository?.close();
        plane?.stop();
    });

    it("installs the pinned chart's release from the loopback repository and the operator manifests from the project's files", async function () {
        await Promise.all([
            project.up(),
            markAvailable(plane, ["kubevirt.kubevirt.io", "kubevirt", "-n", "kubevirt"]),
            markAvailable(plane, ["cdi.cdi.kubevirt.io", "cdi"]),
        ]);
        for (const [namespace, file] of [["kubevirt", manifestFiles.kubevirtOperator], ["cdi", manifestFiles.cdiOperator]]) {
            assert.equal(await plane.kubectl(["get", "configmap", "manifest-mirror-proof", "-n", namespace, "-o", "jsonpath={.data.file}"]), file);
        }

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

    it("without the chart's mirror, the same up fails: the public repository is out of reach here", async function () {
        project.writeConfig({ ...stackConfig(repository.url), "ironcloud:mirrors": { manifests: manifestFiles }, "ironcloud:cluster": { name: "local", kubeconfig: kubeconfigSecret } });
        const result = await project.run(["up", "--yes", "--skip-preview"]);
        assert.notEqual(result.code, 0, "the up must fail");
        const publicHost = new URL(pinned.repository as string).host;
        assert.ok((result.stdout + result.stderr).includes(publicHost), `the failure names ${publicHost}:\n${result.stdout.slice(-3000)}`);
    });

    it("destroys the release and the manifests' objects", async function () {
        await project.mustRun(["destroy", "--yes", "--skip-preview"]);
        assert.equal(await plane.kubectl(["get", "configmap", "mirror-proof", "-n", "monitoring", "--ignore-not-found", "-o", "name"]), "");
        assert.deepEqual(await releases(), []);
        assert.equal(await plane.kubectl(["get", "configmap", "manifest-mirror-proof", "-n", "cdi", "--ignore-not-found", "-o", "name"]), "");
    });
});

/**
 * Plays an operator: once the custom resource named by `resource` (kubectl's words) exists, sets
 * its Available condition, which its `pulumi.com/waitFor` annotation waits for. Polls, bounded,
 * while the up under test runs.
 */
async function markAvailable(plane: ControlPlane, resource: string[]): Promise<void> {
    for (let attempt = 0; attempt < 1200; attempt++) {
        if (await plane.kubectl(["get", ...resource, "--ignore-not-found", "-o", "name"]) !== "") {
            await plane.kubectl(["patch", ...resource, "--subresource=status", "--type=merge", "-p", JSON.stringify({ status: { conditions: [{ type: "Available", status: "True" }] } })]);
            return;
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`gave up waiting for ${resource.join(" ")} to exist`);
}

