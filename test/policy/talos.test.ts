import { strict as assert } from "node:assert";
import { talosControlPlaneQuorum } from "../../policy/talos/controlPlaneQuorum";
import { talosDiskEncryption } from "../../policy/talos/diskEncryption";
import { storageNeedsDrbd } from "../../policy/talos/storageNeedsDrbd";
import { talosVersionsPinned } from "../../policy/talos/versionsPinned";
import { helmChartsPinned, manifestsPinned } from "../../policy/helm/chartsPinned";
import { FixtureResource, violationsOf } from "../harness/policy";

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
        assert.deepEqual(await violationsOf(talosControlPlaneQuorum, [cluster({ controlPlanes: 2 })]), ["dc1: dc1 has 2 control planes; etcd needs an odd number to keep quorum."]);
        assert.deepEqual(await violationsOf(talosControlPlaneQuorum, [cluster({ controlPlanes: 1 })], prod), ["dc1: dc1 has 1 control plane(s); production needs 3 or 5 to survive a node loss."]);
        assert.deepEqual(await violationsOf(talosControlPlaneQuorum, [{ type: "kubernetes:core/v1:Service", name: "x", props: {} }]), []);
    });

    it("talos-versions-pinned: exact releases within the supported skew", async () => {
        assert.deepEqual(await violationsOf(talosVersionsPinned, [cluster()]), []);
        assert.deepEqual(await violationsOf(talosVersionsPinned, [cluster({ kubernetesVersion: "1.30.4" })]), ["dc1: dc1: Kubernetes 1.30.4 is outside what Talos v1.13.9 supports (1.31 to 1.36)."]);
        assert.deepEqual(await violationsOf(talosVersionsPinned, [cluster({ talosVersion: "v1.13" })]), ['dc1: dc1: Talos version "v1.13" is not an exact release (vX.Y.Z).']);
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

    it("helm-charts-pinned: exact chart versions, no devel", async () => {
        const release = (props: Record<string, unknown>): FixtureResource => ({ type: "kubernetes:helm.sh/v3:Release", name: "cilium", props: { chart: "cilium", ...props } });
        assert.deepEqual(await violationsOf(helmChartsPinned, [release({ version: "1.19.6" }), release({ version: "v1.20.3" })]), []);
        assert.deepEqual(await violationsOf(helmChartsPinned, [release({ version: "^1.19" })]), ['cilium: Helm release cilium (chart cilium) has version "^1.19"; pin an exact version such as 1.2.3.']);
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
