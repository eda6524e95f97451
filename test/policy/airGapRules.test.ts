import { strict as assert } from "node:assert";
import { airGapViolations, isSiteInternal, referenceHost, referencesIn } from "../../policy/lib/rules/airGapRules";

describe("air-gap rules", () => {
    it("finds the host of URLs and images as containerd and Helm read them", () => {
        assert.equal(referenceHost("https://helm.cilium.io/"), "helm.cilium.io");
        assert.equal(referenceHost("oci://ghcr.io/piraeusdatastore/piraeus-operator/piraeus"), "ghcr.io");
        assert.equal(referenceHost("http://user:pw@Charts.Internal:8080/stable"), "charts.internal:8080");
        assert.equal(referenceHost("docker://quay.io/containerdisks/ubuntu:24.04"), "quay.io");
        assert.equal(referenceHost("quay.io/kubevirt/virt-operator:v1.8.4"), "quay.io");
        assert.equal(referenceHost("registry.internal:5000/siderolabs/installer@sha256:" + "a".repeat(64)), "registry.internal:5000");
        assert.equal(referenceHost("nginx:1.27"), "docker.io");
        assert.equal(referenceHost("library/nginx"), "docker.io", "a first part without a dot or port is a Docker Hub namespace");
        assert.equal(referenceHost("localhost:5000/tools"), "localhost:5000");
        assert.equal(referenceHost("not a reference"), undefined);
    });

    it("knows what never leaves the site", () => {
        for (const host of ["localhost", "kubevirt-api.kubevirt.svc", "kube-dns.kube-system.svc.cluster.local", "10.0.0.10:6443", "192.168.50.240", "172.20.1.1", "127.0.0.1:8080", "0.0.0.0:2381", "[fd00::1]:443", "fe80::1"]) {
            assert.ok(isSiteInternal(host), host);
        }
        for (const host of ["quay.io", "8.8.8.8", "172.32.0.1", "registry.acme.example", "2001:db8::1"]) assert.ok(!isSiteInternal(host), host);
    });

    it("allows declared mirrors, images of mirrored registries and the site; reports everything else with where it is", () => {
        const references = [
            { where: "Release cilium repositoryOpts.repo", reference: "https://charts.internal/cilium" },
            { where: "Release piraeus chart", reference: "oci://ghcr.io/piraeusdatastore/piraeus-operator/piraeus" },
            { where: "VirtualMachine build image", reference: "quay.io/containerdisks/debian:12" },
            { where: "ConfigFile kubevirt file", reference: "https://github.com/kubevirt/kubevirt/releases/download/v1.8.4/kubevirt-operator.yaml" },
            { where: "Deployment jump-host image", reference: "docker.io/panubo/sshd:1.10.0" },
            { where: "kubeconfig", reference: "https://10.0.0.10:6443" },
        ];
        const violations = airGapViolations(references, { mirrorHosts: ["charts.internal"], mirroredRegistries: ["quay.io"], siteDomains: [] });
        assert.deepEqual(violations.map((v) => `${v.where}: ${v.host}`), [
            "Release piraeus chart: ghcr.io",
            "ConfigFile kubevirt file: github.com",
            "Deployment jump-host image: docker.io",
        ]);
        assert.deepEqual(airGapViolations([{ where: "chart", reference: "https://quay.io/charts" }], { mirrorHosts: [], mirroredRegistries: ["quay.io"], siteDomains: [] }).length, 1,
            "a registry mirror serves images, not a chart repository on the same host");
    });

    it("reads URLs anywhere in properties, and images under image keys and Helm { repository, tag } values", () => {
        const props = {
            chart: "oci://ghcr.io/piraeusdatastore/piraeus-operator/piraeus",
            repositoryOpts: { repo: "https://helm.cilium.io/" },
            values: { image: { repository: "quay.io/cilium/cilium", tag: "v1.19.6" }, note: "any URL counts, even https://docs.cilium.io" },
            spec: { template: { spec: { containers: [{ name: "a", image: "nginx:1.27" }], volumes: [{ containerDisk: { image: "quay.io/containerdisks/ubuntu:24.04" } }] } } },
            metadata: { name: "image-like-but-not-an-image-key" },
        };
        assert.deepEqual(referencesIn(props, "r").map((r) => `${r.where} = ${r.reference}`), [
            "r chart = oci://ghcr.io/piraeusdatastore/piraeus-operator/piraeus",
            "r repositoryOpts.repo = https://helm.cilium.io/",
            "r values.image.repository = quay.io/cilium/cilium",
            "r values.note = https://docs.cilium.io",
            "r spec.template.spec.containers[0].image = nginx:1.27",
            "r spec.template.spec.volumes[0].containerDisk.image = quay.io/containerdisks/ubuntu:24.04",
        ]);
    });
});
