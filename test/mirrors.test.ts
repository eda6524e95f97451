import { strict as assert } from "node:assert";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ComponentArgsError } from "../components/componentArgs";
import { manifestSource, mirroredChart } from "../components/platform/mirrors";
import { Platform } from "../components/platform/platform";
import { ConfigError, parseStackConfig } from "../infra/config";
import { projectFiles } from "../infra/projectFiles";
import { problemLocation } from "../infra/validation/problem";
import { charts, manifests } from "../infra/versions";
import { Evaluation } from "../tools/offline/evaluate";
import { RecordedResource } from "../tools/offline/recordingMonitor";
import { clone, rawConfig, stackValues } from "./harness/configs";
import { evaluateConfig } from "./harness/program";

type Values = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const release = "kubernetes:helm.sh/v3:Release";
const configFile = "kubernetes:yaml/v2:ConfigFile";
/** A manifest committed for these tests, read relative to the project directory (the checkout). */
const cdiFile = "test/fixtures/mirrors/cdi-operator.yaml";

/** The prod stack with `ironcloud:mirrors` set to `mirrors`. */
const prodWith = (mirrors: unknown): Values => ({ ...clone(stackValues("prod")), "ironcloud:mirrors": mirrors });
/** Releases and operator manifests by resource name: where the platform's charts and manifests come from. */
const sources = (evaluation: Evaluation): Map<string, RecordedResource> =>
    new Map(evaluation.resources.filter((r) => r.type === release || r.type === configFile).map((r) => [r.name, r]));

describe("ironcloud:mirrors", () => {
    describe("config", () => {
        it("defaults to no mirror, not air-gapped, and then every release and manifest keeps its pinned public source", () => {
            const spec = parseStackConfig("prod", rawConfig(stackValues("prod")));
            assert.deepEqual(spec.mirrors, { airGapped: false, siteDomains: [], charts: {}, manifests: {} });
            for (const pin of Object.values(charts)) assert.deepEqual(mirroredChart(pin, undefined), pin);
        });

        it("takes airGapped, the site's domains, and every pinned chart and manifest by its key", () => {
            const mirrors = {
                airGapped: true,
                siteDomains: ["corp.example"],
                charts: {
                    cilium: { repository: "https://charts.internal/cilium" },
                    certManager: { repository: "http://10.0.0.5:8080/jetstack/" },
                    piraeus: { repository: "oci://registry.internal:5000/charts" },
                    kubePrometheusStack: { repository: "oci://registry.internal" },
                },
                manifests: { kubevirtOperator: "https://mirror.internal/kubevirt/v1.8.4/kubevirt-operator.yaml", cdiOperator: cdiFile },
            };
            assert.deepEqual(parseStackConfig("prod", rawConfig(prodWith(mirrors))).mirrors, mirrors);
        });
    });

    describe("the plan", () => {
        let baseline: Evaluation;
        let mirrored: Evaluation;
        const mirrors = {
            charts: {
                cilium: { repository: "https://charts.internal/cilium" },
                certManager: { repository: "oci://registry.internal/charts/" },
                piraeus: { repository: "http://10.0.0.5:8080/piraeus" },
                kubePrometheusStack: { repository: "oci://registry.internal:5000/mirror/prometheus-community" },
            },
            manifests: { kubevirtOperator: "https://mirror.internal/kubevirt/v1.8.4/kubevirt-operator.yaml", cdiOperator: cdiFile },
        };
        before(async () => {
            [baseline, mirrored] = await Promise.all([evaluateConfig("prod", stackValues("prod")), evaluateConfig("prod", prodWith(mirrors))]);
        });

        it("installs each mirrored chart under its pinned name and version: by repository for HTTP, as one reference for OCI", () => {
            const chartSource = (name: string) => {
                const { chart, version, repositoryOpts } = sources(mirrored).get(name)?.inputs as Values;
                return { chart, version, repositoryOpts };
            };
            assert.deepEqual(chartSource("dc1-networking-cilium"), { chart: "cilium", version: charts.cilium.version, repositoryOpts: { repo: "https://charts.internal/cilium" } });
            assert.deepEqual(chartSource("dc1-cert-manager-cert-manager"), { chart: "oci://registry.internal/charts/cert-manager", version: charts.certManager.version, repositoryOpts: undefined });
            // Piraeus is OCI-only upstream; an HTTP mirror takes it by name.
            assert.deepEqual(chartSource("dc1-storage-piraeus"), { chart: "piraeus", version: charts.piraeus.version, repositoryOpts: { repo: "http://10.0.0.5:8080/piraeus" } });
            assert.deepEqual(chartSource("dc1-monitoring-prometheus"), {
                chart: "oci://registry.internal:5000/mirror/prometheus-community/kube-prometheus-stack", version: charts.kubePrometheusStack.version, repositoryOpts: undefined,
            });
        });

        it("hands a project file to the provider relative to the working directory it shares with the program (the directory of main)", () => {
            assert.equal(manifestSource("cdiOperator", "manifests/cdi-operator.yaml", "/srv/cloud", "/srv/cloud/infra"), "../manifests/cdi-operator.yaml");
            assert.equal(manifestSource("cdiOperator", "https://mirror.internal/v1.64.0/cdi-operator.yaml", "/srv/cloud", "/srv/cloud/infra"), "https://mirror.internal/v1.64.0/cdi-operator.yaml");
            assert.equal(manifestSource("kubevirtOperator", undefined, "/srv/cloud", "/srv/cloud/infra"), manifests.kubevirtOperator);
        });

        it("reads each mirrored manifest from its mirror URL or project file", () => {
            assert.equal(sources(mirrored).get("dc1-virtualization-kubevirt-operator")?.inputs.file, mirrors.manifests.kubevirtOperator);
            assert.equal(sources(mirrored).get("dc1-virtualization-cdi-operator")?.inputs.file, cdiFile);
            assert.equal(sources(baseline).get("dc1-virtualization-cdi-operator")?.inputs.file, manifests.cdiOperator);
        });

        it("changes nothing but the source: every other input, resource and dependency stays as without mirrors", () => {
            const sourceKeys = ["chart", "repositoryOpts", "file"];
            const omitSource = (record: Values = {}) => Object.fromEntries(Object.entries(record).filter(([key]) => !sourceKeys.includes(key)));
            const withoutSource = (r: RecordedResource) => ({ ...r, inputs: omitSource(r.inputs), propertyDependencies: omitSource(r.propertyDependencies) });
            const before = sources(baseline);
            const after = sources(mirrored);
            assert.deepEqual([...after.keys()].sort(), [...before.keys()].sort());
            for (const [name, resource] of after) assert.deepEqual(withoutSource(resource), withoutSource(before.get(name) as RecordedResource), name);
            const shape = (evaluation: Evaluation) => evaluation.resources.map((r) => `${r.type} ${r.name} <- ${r.dependencies.join(",")}`).sort();
            assert.deepEqual(shape(mirrored), shape(baseline));
        });

        it("a single mirror changes exactly that release's source", async () => {
            const one = await evaluateConfig("prod", prodWith({ charts: { piraeus: { repository: "oci://registry.internal/charts" } } }));
            const changed = [...sources(one)].filter(([name, r]) => JSON.stringify(r.inputs) !== JSON.stringify(sources(baseline).get(name)?.inputs)).map(([name, r]) => [name, r.inputs.chart]);
            assert.deepEqual(changed, [["dc1-storage-piraeus", "oci://registry.internal/charts/piraeus"]]);
        });
    });

    describe("problems", () => {
        let project: string;
        beforeEach(() => {
            project = mkdtempSync(join(tmpdir(), "ironcloud-mirrors-"));
        });
        afterEach(() => rmSync(project, { recursive: true, force: true }));
        const write = (path: string, text: string) => {
            mkdirSync(dirname(join(project, path)), { recursive: true });
            writeFileSync(join(project, path), text);
        };
        const locations = (mirrors: unknown): string[] => {
            try {
                parseStackConfig("prod", rawConfig(prodWith(mirrors)), projectFiles(project));
            } catch (error) {
                if (error instanceof ConfigError) return error.problems.map((p) => `${problemLocation(p)}: ${p.message}`);
                throw error;
            }
            return assert.fail("expected a ConfigError, but the config parsed");
        };
        const credentialsMessage = "must not carry credentials: the stack file would hold them in plaintext; serve the mirror to the cluster's network without them";
        const chartMessage = "must be an https or http chart repository URL (where its index.yaml is) such as https://charts.internal/cilium, or an OCI registry path such as oci://registry.internal/charts (the pinned chart's name is added to it)";
        const kubevirtExample = "such as https://mirror.internal/v1.8.4/kubevirt-operator.yaml, or the path of a YAML file relative to the project directory, such as manifests/kubevirt-operator.yaml";
        const cdiExample = "such as https://mirror.internal/v1.64.0/cdi-operator.yaml, or the path of a YAML file relative to the project directory, such as manifests/cdi-operator.yaml";

        it("reports every problem of the section at once, each at its path and saying what is allowed", () => {
            assert.deepEqual(locations({
                airGapped: "yes",
                charts: {
                    cilium: { repository: "ftp://charts.internal/cilium" },
                    certManager: { repository: "oci://Registry.Internal/Charts" },
                    piraeus: { repository: "https://user:secret@charts.internal/piraeus" },
                    kubePrometheusStack: { repo: "https://charts.internal" },
                    linstor: { repository: "https://charts.internal" },
                },
                manifests: { kubevirtOperator: "https://mirror.internal/kubevirt/v1.7.0/kubevirt-operator.yaml", cdiOperator: "s3://bucket/cdi-operator.yaml", cdi: "x.yaml" },
                images: {},
            }).sort(), [
                "ironcloud:mirrors.airGapped: must be a boolean, not \"yes\"",
                `ironcloud:mirrors.charts.cilium.repository: ${chartMessage}`,
                `ironcloud:mirrors.charts.certManager.repository: ${chartMessage}`,
                `ironcloud:mirrors.charts.piraeus.repository: ${credentialsMessage}`,
                "ironcloud:mirrors.charts.kubePrometheusStack.repo: unknown key; allowed: repository",
                "ironcloud:mirrors.charts.kubePrometheusStack.repository: is required",
                "ironcloud:mirrors.charts.linstor: unknown key; allowed: cilium, certManager, piraeus, kubePrometheusStack",
                `ironcloud:mirrors.manifests.kubevirtOperator: must name the pinned release v1.8.4 as a path segment, ${kubevirtExample} (versions stay pinned in infra/versions.ts)`,
                `ironcloud:mirrors.manifests.cdiOperator: must be an https or http URL ${cdiExample}`,
                "ironcloud:mirrors.manifests.cdi: unknown key; allowed: kubevirtOperator, cdiOperator",
                "ironcloud:mirrors.images: unknown key; allowed: airGapped, siteDomains, charts, manifests",
            ].sort());
        });

        it("refuses a manifest file that is missing, absolute, outside the project, linked out of it, or not Kubernetes YAML", () => {
            const outside = mkdtempSync(join(tmpdir(), "ironcloud-outside-"));
            try {
                writeFileSync(join(outside, "cdi-operator.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata: { name: cdi }\n");
                mkdirSync(join(project, "manifests"));
                symlinkSync(join(outside, "cdi-operator.yaml"), join(project, "manifests", "linked.yaml"));
                write("manifests/broken.yaml", "apiVersion: v1\nkind: [\n");
                write("manifests/values.yaml", "apiVersion: v1\nkind: Namespace\n---\nreplicas: 2\n");
                const outsideMessage = "is outside the project directory: files the stack config names live in the project, under its version control and review";
                const cases: [string, string][] = [
                    ["manifests/missing.yaml", "does not exist (paths are relative to the project directory, where Pulumi.yaml is)"],
                    [join(outside, "cdi-operator.yaml"), "must be relative to the project directory (where Pulumi.yaml is), not an absolute path"],
                    ["../cdi-operator.yaml", outsideMessage],
                    ["manifests/linked.yaml", outsideMessage],
                    ["manifests/broken.yaml", "is not valid YAML: "],
                    ["manifests/values.yaml", "has a document (the 2nd object) without apiVersion and kind: a release manifest holds only Kubernetes objects"],
                ];
                for (const [path, message] of cases) {
                    const problems = locations({ manifests: { cdiOperator: path, kubevirtOperator: "manifests/missing.yaml" } });
                    const [cdi, kubevirt, ...others] = problems.sort();
                    assert.deepEqual(others, [], problems.join("\n"));
                    assert.ok(cdi.startsWith(`ironcloud:mirrors.manifests.cdiOperator: "${path}" ${message}`), `${path}: ${cdi}`);
                    assert.equal(kubevirt, 'ironcloud:mirrors.manifests.kubevirtOperator: "manifests/missing.yaml" does not exist (paths are relative to the project directory, where Pulumi.yaml is)');
                }
            } finally {
                rmSync(outside, { recursive: true, force: true });
            }
        });

        it("checks manifest files even when another part of the section is wrong, and takes one that is in the project", () => {
            write("manifests/cdi-operator.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: { name: cdi }\n");
            assert.deepEqual(locations({
                manifests: { cdiOperator: "manifests/cdi-operator.yaml", kubevirtOperator: "manifests/missing.yaml" },
                charts: { cilium: { repository: "charts.internal" } },
            }), [
                `ironcloud:mirrors.charts.cilium.repository: ${chartMessage}`,
                'ironcloud:mirrors.manifests.kubevirtOperator: "manifests/missing.yaml" does not exist (paths are relative to the project directory, where Pulumi.yaml is)',
            ]);
        });
    });

    describe("Platform as a library component", () => {
        it("checks its mirrors arg by the same rules, at paths below platform.mirrors", () => {
            assert.throws(() => new Platform("lab", {
                kubeconfig: "apiVersion: v1\nkind: Config\n",
                mirrors: { charts: { cilium: { repository: "git://charts" } }, manifests: { cdiOperator: "manifests/none.yaml" } },
            }), (error: unknown) => {
                assert.ok(error instanceof ComponentArgsError);
                assert.deepEqual(error.problems.map((p) => p.path), ["platform.mirrors.charts.cilium.repository", "platform.mirrors.manifests.cdiOperator"]);
                assert.match(error.problems[1].message, /"manifests\/none\.yaml" does not exist/);
                return true;
            });
        });
    });
});
