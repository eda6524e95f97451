import { strict as assert } from "node:assert";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Artifact, ArtifactList, artifactSummary, registryOf, stackArtifacts } from "../infra/artifacts";
import { CloudSpec, parseStackConfig } from "../infra/config";
import * as versions from "../infra/versions";
import { imagePinProblem } from "../policy/lib/rules/imageRules";
import { runPlan } from "../tools/plan/runPlan";
import { writeArtifacts } from "../tools/plan/writeBuildInputs";
import { clone, rawConfig, stackValues } from "./harness/configs";
import { repoRoot } from "./harness/program";

type Sections = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The parsed prod stack after `change`, which sees the sections by their short name. */
function prod(change: (s: Sections) => void = () => undefined): CloudSpec {
    const values = clone(stackValues("prod"));
    const sections: Sections = Object.fromEntries(Object.entries(values).map(([key, value]) => [key.replace(/^ironcloud:/, ""), value]));
    change(sections);
    return parseStackConfig("prod", rawConfig(Object.fromEntries(Object.entries(sections).map(([key, value]) => [`ironcloud:${key}`, value]))));
}

/** Teams without their inventories: a stack without VMs. */
const withoutVms = (s: Sections) => {
    s.teams = s.teams.map((t: Sections) => ({ ...t, inventory: undefined }));
    s.vms = [];
    s.fleets = [];
};

const references = (list: ArtifactList, filter: (a: Artifact) => boolean = () => true) => list.artifacts.filter(filter).map((a) => a.reference);
const parts = (list: ArtifactList) => new Set(list.artifacts.map((a) => a.part));

describe("the artifacts a stack needs (artifacts.json)", () => {
    const list = stackArtifacts(prod());

    it("lists every kind for prod: images, charts, manifests and boot assets", () => {
        for (const kind of ["image", "chart", "manifest", "bootAsset"] as const) assert.ok(list.artifacts.some((a) => a.kind === kind), kind);
        assert.deepEqual(references(list, (a) => a.kind === "chart").sort(), ["cert-manager:v1.20.3", "cilium:1.19.6", "kube-prometheus-stack:88.5.3", "piraeus:2.10.7"]);
        assert.deepEqual(references(list, (a) => a.kind === "manifest"), Object.values(versions.manifests));
        assert.deepEqual(parts(list), new Set(["talos", "networking", "certManager", "storage", "virtualization", "monitoring", "access", "vms"]));
    });

    it("pins every image (tag or digest, never latest) and lists nothing twice", () => {
        for (const image of references(list, (a) => a.kind === "image")) assert.equal(imagePinProblem(image), undefined, image);
        const all = list.artifacts.map((a) => `${a.kind} ${a.reference}`);
        assert.equal(new Set(all).size, all.length);
        for (const a of list.artifacts.filter((x) => x.kind !== "image")) assert.match(a.reference, /(:|\/)v?\d+\.\d+\.\d+|\/v1\.13\.9\//, a.reference);
    });

    it("names what Talos pulls: the factory installer, the Kubernetes components of the pinned version, etcd, CoreDNS and pause; kube-proxy is off", () => {
        const talos = references(list, (a) => a.part === "talos" && a.kind === "image");
        assert.match(talos[0], /^factory\.talos\.dev\/metal-installer\/[0-9a-f]{64}:v1\.13\.9$/);
        assert.deepEqual(talos.slice(1), [
            "ghcr.io/siderolabs/kubelet:v1.36.3", "registry.k8s.io/kube-apiserver:v1.36.3", "registry.k8s.io/kube-controller-manager:v1.36.3",
            "registry.k8s.io/kube-scheduler:v1.36.3", "registry.k8s.io/etcd:v3.6.12", "registry.k8s.io/coredns/coredns:v1.14.6", "registry.k8s.io/pause:3.10.1",
        ]);
        assert.deepEqual(references(list, (a) => a.kind === "bootAsset").map((url) => url.split("/").pop()), ["kernel-amd64", "initramfs-amd64.xz", "cmdline-metal-amd64", "metal-amd64.iso"]);
    });

    it("says where each comes from: a declared registry mirror, else the public registry; charts from their repositories", () => {
        const source = (reference: string) => list.artifacts.find((a) => a.reference === reference)?.source;
        assert.equal(source("quay.io/jetstack/cert-manager-controller:v1.20.3"), "https://registry.dc1.example.com/v2/quay.io");
        assert.equal(source("registry.k8s.io/etcd:v3.6.12"), "https://registry.k8s.io");
        assert.equal(source("cilium:1.19.6"), "https://helm.cilium.io/");
        assert.equal(source("piraeus:2.10.7"), "oci://ghcr.io/piraeusdatastore/piraeus-operator/piraeus");
        assert.equal(registryOf("nginx:1.27"), "docker.io");
        assert.equal(registryOf("localhost:5000/x:1"), "localhost:5000");
    });

    it("follows the platform switches: off parts drop their chart, manifests and images", () => {
        const lean = stackArtifacts(prod((s) => {
            withoutVms(s);
            s.platform.monitoring = { enabled: false };
            s.platform.virtualization = { enabled: false };
            s.platform.storage = { enabled: false };
        }));
        assert.deepEqual(parts(lean), new Set(["talos", "networking", "certManager"]));
        assert.ok(!references(lean).some((r) => r.startsWith("quay.io/kubevirt/") || r.includes("kubevirt-operator.yaml") || r.startsWith("piraeus")));
        const hubble = stackArtifacts(prod((s) => { s.platform.networking.hubble = true; }));
        assert.deepEqual(references(hubble).filter((r) => !references(list).includes(r)), versions.platformImages.hubble);
        assert.ok(hubble.unconfirmed.some((u) => u.part === "networking"));
    });

    it("names the monitoring images of kube-prometheus-stack, pinned; nothing left to confirm there", () => {
        const monitoring = references(list, (a) => a.part === "monitoring" && a.kind === "image");
        assert.deepEqual(monitoring, [...versions.platformImages.monitoring]);
        for (const image of monitoring) assert.equal(imagePinProblem(image), undefined, image);
        for (const name of ["prometheus-operator", "prometheus-config-reloader", "prometheus/prometheus", "alertmanager", "kube-state-metrics", "node-exporter", "grafana/grafana", "k8s-sidecar", "kube-webhook-certgen"]) {
            assert.ok(monitoring.some((r) => r.includes(name)), name);
        }
        assert.ok(!list.unconfirmed.some((u) => u.part === "monitoring"));
        assert.deepEqual(list.unconfirmed.map((u) => u.part), ["storage"]);
        const off = stackArtifacts(prod((s) => { s.platform.monitoring = { enabled: false }; }));
        assert.ok(!off.artifacts.some((a) => a.part === "monitoring"));
    });

    it("lists each used OS version once, and the jump host only while VMs exist", () => {
        const twoVersions = stackArtifacts(prod((s) => {
            withoutVms(s);
            const vm = (name: string, team: string, version?: string) => ({ name, team, os: "ubuntu", authorizedKeys: ["alice"], ...(version ? { version } : {}) });
            s.vms = [vm("a", "alpha", "22.04"), vm("b", "alpha"), vm("c", "beta")];
        }));
        assert.deepEqual(references(twoVersions, (a) => a.part === "vms"), ["quay.io/containerdisks/ubuntu:22.04", "quay.io/containerdisks/ubuntu:24.04"]);
        const none = stackArtifacts(prod(withoutVms));
        assert.ok(!parts(none).has("vms") && !parts(none).has("access"));
    });

    it("an existing cluster needs no Talos artifacts", () => {
        const existing = stackArtifacts(prod((s) => {
            withoutVms(s);
            s.cluster = { name: "dc1", kubeconfig: "apiVersion: v1" };
            s.platform.networking = { enabled: false };
            s.platform.storage = { enabled: false };
        }));
        assert.ok(!parts(existing).has("talos") && !parts(existing).has("networking"));
    });

    it("with a self-hosted factory: boot assets and installer from it, plus what it builds them from", () => {
        const own = stackArtifacts(prod((s) => { s.cluster.imageFactory = { url: "https://factory.internal.example" }; }));
        for (const a of own.artifacts.filter((x) => x.kind === "bootAsset")) assert.ok(a.reference.startsWith("https://factory.internal.example/image/"), a.reference);
        assert.match(references(own, (a) => a.part === "talos")[0], /^factory\.internal\.example\/metal-installer\//);
        assert.deepEqual(references(own, (a) => a.part === "imageFactory"), [
            "ghcr.io/siderolabs/imager:v1.13.9", "ghcr.io/siderolabs/installer-base:v1.13.9", "ghcr.io/siderolabs/extensions:v1.13.9",
            "ghcr.io/siderolabs/drbd:9.3.3-v1.13.9", "ghcr.io/siderolabs/intel-ucode:20260812",
        ]);
        const unknownExtension = stackArtifacts(prod((s) => { s.cluster.imageFactory = { url: "https://factory.internal.example" }; s.cluster.extensions.push("siderolabs/gvisor"); }));
        assert.ok(unknownExtension.unconfirmed.some((u) => u.part === "imageFactory" && u.what.includes("siderolabs/gvisor")));
    });

    it("the plan writes artifacts.json and prints one summary line", () => {
        const dir = mkdtempSync(join(tmpdir(), "artifacts-"));
        const written = writeArtifacts(prod(), dir);
        const file = JSON.parse(readFileSync(join(dir, "artifacts.json"), "utf8")) as ArtifactList & { stack: string };
        assert.equal(file.stack, "prod");
        assert.deepEqual(file.artifacts, written.artifacts);
        assert.match(artifactSummary(written), /^artifacts to mirror: \d+ images, 4 charts, 2 manifests, 4 boot assets; 1 to confirm \(see artifacts\.json\)$/);
    });

    it("npm run plan prints the summary line and the imager profiles, and writes both", async () => {
        const out = mkdtempSync(join(tmpdir(), "artifacts-plan-"));
        try {
            const lines: string[] = [];
            assert.equal(await runPlan({ stack: "prod", outDir: out, stacksDir: join(repoRoot, "stacks") }, (l) => lines.push(l)), 0);
            assert.ok(lines.includes(`  ${artifactSummary(stackArtifacts(prod()))}`), lines.join("\n"));
            assert.ok(lines.includes("  imager profiles in talos/imager-*.yaml"));
            assert.ok(existsSync(join(out, "prod", "artifacts.json")) && existsSync(join(out, "prod", "talos", "imager-amd64-installer.yaml")));
        } finally {
            rmSync(out, { recursive: true, force: true });
        }
    });
});
