import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { talosControlPlaneQuorum } from "../../policy/talos/controlPlaneQuorum";
import { talosDiskEncryption } from "../../policy/talos/diskEncryption";
import { storageNeedsDrbd } from "../../policy/talos/storageNeedsDrbd";
import { linstorCopies, storageKeepsCopies } from "../../policy/talos/storageCopies";
import { talosVersionsPinned } from "../../policy/talos/versionsPinned";
import { helmChartsPinned, manifestsPinned } from "../../policy/helm/chartsPinned";
import { FixtureResource, violationsOf } from "../harness/policy";
import { repoRoot } from "../harness/program";

const cluster = (props: Record<string, unknown> = {}): FixtureResource => ({
    type: "ironcloud:talos:TalosCluster",
    name: "dc1",
    props: {
        clusterName: "dc1", talosVersion: "v1.13.9", kubernetesVersion: "1.36.3", controlPlanes: 3, workers: 4,
        extensions: ["siderolabs/drbd"], kernelModules: ["drbd", "drbd_transport_tcp"], diskEncryption: "tpm", ...props,
    },
});
const prod = { environment: "prod" };

describe("policies: Talos and Helm", () => {
    it("talos-control-plane-quorum: odd counts pass; even counts fail; prod needs 3 or 5", async () => {
        assert.deepEqual(await violationsOf(talosControlPlaneQuorum, [cluster()], prod), []);
        assert.deepEqual(await violationsOf(talosControlPlaneQuorum, [cluster({ controlPlanes: 1 })]), []);
        assert.deepEqual(await violationsOf(talosControlPlaneQuorum, [cluster({ controlPlanes: 2 })]), ["dc1: Talos cluster dc1 has 2 control-plane nodes; etcd needs an odd number (1, 3 or 5) to keep quorum."]);
        assert.deepEqual(await violationsOf(talosControlPlaneQuorum, [cluster({ controlPlanes: 1 })], prod), [
            "dc1: Talos cluster dc1 has 1 control-plane node; prod needs 3 or 5, so etcd survives a node loss (removing control planes below 3 is refused).",
        ]);
        assert.deepEqual(await violationsOf(talosControlPlaneQuorum, [cluster({ controlPlanes: 7 })]), [], "any odd count outside prod");
        assert.deepEqual(await violationsOf(talosControlPlaneQuorum, [cluster({ controlPlanes: 7 })], prod), [
            "dc1: Talos cluster dc1 has 7 control-plane nodes; prod needs 3 or 5: every etcd write waits for a majority, so more members slow the cluster (5 already survives two losses).",
        ]);
        assert.deepEqual(await violationsOf(talosControlPlaneQuorum, [cluster({ controlPlanes: 0 })]), ["dc1: Talos cluster dc1 needs at least one node with role controlplane (1, 3 or 5 for etcd quorum)."]);
        assert.deepEqual(await violationsOf(talosControlPlaneQuorum, [{ type: "kubernetes:core/v1:Service", name: "x", props: {} }]), []);
    });

    it("talos-versions-pinned: exact releases within the supported skew", async () => {
        assert.deepEqual(await violationsOf(talosVersionsPinned, [cluster()]), []);
        assert.deepEqual(await violationsOf(talosVersionsPinned, [cluster({ kubernetesVersion: "1.30.4" })]), ["dc1: dc1: Kubernetes 1.30.4 is outside what Talos v1.13.9 supports (1.31.x to 1.36.x)."]);
        assert.deepEqual(await violationsOf(talosVersionsPinned, [cluster({ talosVersion: "v1.13" })]), ['dc1: dc1: talosVersion must be an exact Talos release such as v1.13.9, not "v1.13".']);
    });

    it("talos-disk-encryption: required in prod only", async () => {
        assert.deepEqual(await violationsOf(talosDiskEncryption, [cluster({ diskEncryption: "none" })]), []);
        assert.deepEqual(await violationsOf(talosDiskEncryption, [cluster({ diskEncryption: "none" })], prod), ["dc1: dc1 does not encrypt its system disks; set cluster.diskEncryption to tpm or nodeID."]);
        assert.deepEqual(await violationsOf(talosDiskEncryption, [cluster()], prod), []);
    });

    it("storage-needs-drbd: the extension and both modules when LINSTOR is on", async () => {
        const storage: FixtureResource = { type: "ironcloud:platform:Storage", name: "dc1-storage", props: {} };
        assert.deepEqual(await violationsOf(storageNeedsDrbd, [cluster(), storage]), []);
        assert.deepEqual(await violationsOf(storageNeedsDrbd, [cluster({ extensions: [], kernelModules: ["drbd"] })]), [], "no storage, no requirement");
        assert.deepEqual(await violationsOf(storageNeedsDrbd, [cluster({ extensions: [], kernelModules: ["drbd"] }), storage]), [
            "dc1: dc1 runs LINSTOR storage without the siderolabs/drbd extension.",
            "dc1: dc1 runs LINSTOR storage without loading the drbd_transport_tcp kernel module.",
        ]);
    });

    it("storage-keeps-copies: every LINSTOR StorageClass keeps 2 copies in prod, unless exempt by name", async () => {
        const storageClass = (name: string, parameters: Record<string, string> | undefined, provisioner = "linstor.csi.linbit.com"): FixtureResource => ({
            type: "kubernetes:storage.k8s.io/v1:StorageClass", name: `dc1-storage-${name}`, props: { metadata: { name }, provisioner, ...(parameters ? { parameters } : {}) },
        });
        const one = storageClass("replicated", { "linstor.csi.linbit.com/placementCount": "1" });
        assert.deepEqual(await violationsOf(storageKeepsCopies, [one, storageClass("legacy", { autoPlace: "1" }), storageClass("plain", undefined)], prod), ["replicated", "legacy", "plain"].map((name) =>
            `dc1-storage-${name}: StorageClass ${name} keeps 1 copy of each volume; prod needs at least 2, so losing one node or disk loses no data; raise linstor.csi.linbit.com/placementCount (platform.storage.replicas for ironcloud's replicated class).`));
        assert.deepEqual(await violationsOf(storageKeepsCopies, [storageClass("replicated", { "linstor.csi.linbit.com/placementCount": "2" }), storageClass("ceph", undefined, "rbd.csi.ceph.com")], prod), []);
        assert.deepEqual(await violationsOf(storageKeepsCopies, [one]), [], "dev may keep one copy");
        assert.deepEqual(await violationsOf(storageKeepsCopies, [storageClass("local", { "linstor.csi.linbit.com/placementCount": "1" })], { ...prod, exemptions: [{ resource: "*-storage-local", reason: "one copy by design" }] }), []);
        assert.equal(linstorCopies({ "linstor.csi.linbit.com/placementCount": "3" }), 3);
    });

    it("storage-keeps-copies: ironcloud's own local class is exempt by name in config.prod.json, and only it", () => {
        const exemptions = (JSON.parse(readFileSync(join(repoRoot, "policy", "config.prod.json"), "utf8")) as Record<string, { exemptions?: { resource: string }[] }>)["storage-keeps-copies"].exemptions;
        assert.deepEqual(exemptions?.map((e) => e.resource), ["*-storage-local"]);
    });

    it("helm-charts-pinned: exact chart versions, no devel", async () => {
        const release = (props: Record<string, unknown>): FixtureResource => ({ type: "kubernetes:helm.sh/v3:Release", name: "cilium", props: { chart: "cilium", ...props } });
        assert.deepEqual(await violationsOf(helmChartsPinned, [release({ version: "1.19.6" }), release({ version: "v1.20.3" })]), []);
        assert.deepEqual(await violationsOf(helmChartsPinned, [release({ version: "^1.19" })]), ['cilium: Helm release cilium (chart cilium): version must be an exact chart version such as 1.2.3 (no range, latest or pre-release), not "^1.19".']);
        assert.deepEqual(await violationsOf(helmChartsPinned, [release({ version: "1.19.6", devel: true })]), ["cilium: Helm release cilium allows development chart versions (devel: true); remove it."]);
    });

    it("manifests-pinned: release URLs name an exact version", async () => {
        const manifest = (file: string): FixtureResource => ({ type: "kubernetes:yaml/v2:ConfigFile", name: "kubevirt", props: { file } });
        assert.deepEqual(await violationsOf(manifestsPinned, [manifest("https://github.com/kubevirt/kubevirt/releases/download/v1.8.4/kubevirt-operator.yaml")]), []);
        assert.deepEqual(await violationsOf(manifestsPinned, [manifest("https://github.com/kubevirt/kubevirt/releases/latest/download/kubevirt-operator.yaml")]),
            ["kubevirt: Manifest kubevirt is fetched from https://github.com/kubevirt/kubevirt/releases/latest/download/kubevirt-operator.yaml, which does not name an exact release."]);
    });

    it("honours named exemptions from the policy config, and only those", async () => {
        const exempt = { ...prod, exemptions: [{ resource: "dc*", reason: "lab rack without TPM" }] };
        assert.deepEqual(await violationsOf(talosDiskEncryption, [cluster({ diskEncryption: "none" })], exempt), []);
        assert.equal((await violationsOf(talosDiskEncryption, [{ ...cluster({ diskEncryption: "none" }), name: "lab" }], exempt)).length, 1);
    });
});
