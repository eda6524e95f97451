import * as pulumi from "@pulumi/pulumi";
import { strict as assert } from "node:assert";
import { join } from "node:path";
import { declareStack } from "../infra/program";
import { Evaluation, evaluateStack, installOfflineRuntime, waitForRegistrations } from "../tools/offline/evaluate";
import { SecretValue } from "../tools/offline/recordingMonitor";
import { readStackFile, securePlaceholder, toProgramConfig } from "../tools/offline/stackFile";
import { clone, stackValues } from "./harness/configs";
import { dependencyNames, evaluateConfig, evaluateStackFile, repoRoot, resource, resourcesOfType, stackPath } from "./harness/program";

const command = "command:local:Command";
const provider = "pulumi:providers:kubernetes";

/** Names of the resources of `type` in the Talos layer (and top-level ones). */
function names(evaluation: Evaluation, type: string): string[] {
    return resourcesOfType(evaluation, type).filter((r) => !r.parent.includes("ironcloud:vms") && !r.parent.includes("ironcloud:access")).map((r) => r.name).sort();
}

describe("the program under the offline mock runtime", () => {
    describe("dev stack (three control planes that also run workloads)", () => {
        let dev: Evaluation;
        before(async () => { dev = await evaluateStackFile(stackPath("dev")); });

        it("declares the Talos PKI, one apply per node, bootstrap, a health gate and the Kubernetes provider", () => {
            const talos = (r: { parent: string }) => r.parent.includes("ironcloud:talos") || !r.parent;
            assert.deepEqual(names(dev, "ironcloud:talos:TalosCluster"), ["lab"]);
            assert.deepEqual(names(dev, "ironcloud:talos:TalosSecrets"), ["lab"]);
            assert.deepEqual(names(dev, "tls:index/privateKey:PrivateKey"), [
                "lab-aggregator-ca", "lab-etcd-ca", "lab-kubernetes-admin", "lab-kubernetes-ca", "lab-os-ca", "lab-service-account", "lab-talos-admin",
            ]);
            assert.deepEqual(names(dev, "tls:index/selfSignedCert:SelfSignedCert"), ["lab-aggregator-ca", "lab-etcd-ca", "lab-kubernetes-ca", "lab-os-ca"]);
            assert.deepEqual(names(dev, "tls:index/locallySignedCert:LocallySignedCert"), ["lab-kubernetes-admin", "lab-talos-admin"]);
            assert.deepEqual(names(dev, "random:index/randomBytes:RandomBytes"), ["lab-cluster-id", "lab-cluster-secret", "lab-secretbox"]);
            assert.deepEqual(names(dev, "random:index/randomString:RandomString"), [
                "lab-bootstrap-token-id", "lab-bootstrap-token-secret", "lab-trustd-token-id", "lab-trustd-token-secret",
            ]);
            assert.deepEqual(names(dev, command), [
                "lab-apply-lab-1", "lab-apply-lab-2", "lab-apply-lab-3", "lab-bootstrap",
                "lab-config-lab-1", "lab-config-lab-2", "lab-config-lab-3", "lab-health", "lab-networking-cilium-crds",
                "lab-upgrade-kubernetes", "lab-upgrade-lab-1", "lab-upgrade-lab-2", "lab-upgrade-lab-3",
            ]);
            assert.deepEqual(names(dev, provider), ["lab"]);
            assert.equal(dev.resources.filter((r) => /^(tls|random|command):/.test(r.type) && talos(r)).length, 34);
        });

        it("nests the PKI under TalosSecrets and the lifecycle under TalosCluster", () => {
            const cluster = resource(dev, "ironcloud:talos:TalosCluster", "lab");
            const secrets = resource(dev, "ironcloud:talos:TalosSecrets", "lab");
            assert.equal(secrets.parent, cluster.urn);
            assert.equal(resource(dev, "tls:index/privateKey:PrivateKey", "lab-os-ca").parent, secrets.urn);
            assert.equal(resource(dev, command, "lab-bootstrap").parent, cluster.urn);
            assert.equal(resource(dev, provider, "lab").parent, "");
        });

        it("orders the lifecycle apply → bootstrap → health → Kubernetes provider", () => {
            assert.ok(!dependencyNames(resource(dev, command, "lab-apply-lab-1")).some((d) => d.startsWith("lab-apply") || d === "lab-bootstrap"),
                "nodes are configured in parallel and before bootstrap");
            assert.deepEqual(dependencyNames(resource(dev, command, "lab-bootstrap")).filter((d) => d.startsWith("lab-apply")), ["lab-apply-lab-1", "lab-apply-lab-2", "lab-apply-lab-3"]);
            const health = dependencyNames(resource(dev, command, "lab-health"));
            for (const d of ["lab-bootstrap", "lab-apply-lab-1", "lab-apply-lab-2", "lab-apply-lab-3"]) assert.ok(health.includes(d), `health waits for ${d}`);
            assert.ok(dependencyNames(resource(dev, provider, "lab")).includes("lab-health"), "the provider waits for the health gate");
        });

        it("bootstraps on the first control plane only, and never re-runs bootstrap for a new talosconfig", () => {
            const bootstrap = resource(dev, command, "lab-bootstrap");
            assert.match(String(bootstrap.inputs.create), /bootstrap --nodes 192\.168\.50\.11 --endpoints 192\.168\.50\.11/);
            assert.deepEqual(bootstrap.ignoreChanges, ["stdin"]);
        });

        it("exports kubeconfig, talosconfig and machine configs as secrets, boot assets in the clear", () => {
            const talos = dev.outputs.talos as Record<string, unknown>;
            assert.ok(dev.outputs.kubeconfig instanceof SecretValue);
            assert.ok(talos.talosconfig instanceof SecretValue);
            assert.ok(talos.machineConfigs instanceof SecretValue);
            assert.deepEqual(Object.keys((talos.machineConfigs as SecretValue).value as object).sort(), ["lab-1", "lab-2", "lab-3"]);
            assert.match(String(talos.installerImage), /^factory\.talos\.dev\/metal-installer\/[0-9a-f]{64}:v1\.13\.9$/);
            assert.match(String(talos.pxeScript), /^https:\/\/pxe\.factory\.talos\.dev\/pxe\/[0-9a-f]{64}\/v1\.13\.9\/metal-amd64$/);
            assert.deepEqual(talos.versions, { talos: "v1.13.9", kubernetes: "1.36.3" });
        });

        it("hands the Kubernetes provider the admin kubeconfig as a secret", () => {
            const kubeconfig = resource(dev, provider, "lab").inputs.kubeconfig;
            assert.ok(kubeconfig instanceof SecretValue);
            assert.equal(kubeconfig.value, (dev.outputs.kubeconfig as SecretValue).value);
        });
    });

    describe("prod stack (3 control planes behind a VIP, 4 workers)", () => {
        let prod: Evaluation;
        before(async () => { prod = await evaluateStackFile(stackPath("prod")); });

        it("bootstraps after the control planes only; health waits for every node", () => {
            assert.deepEqual(dependencyNames(resource(prod, command, "dc1-bootstrap")).filter((d) => d.startsWith("dc1-apply")),
                ["dc1-apply-cp-1", "dc1-apply-cp-2", "dc1-apply-cp-3"]);
            const health = dependencyNames(resource(prod, command, "dc1-health")).filter((d) => d.startsWith("dc1-apply"));
            assert.deepEqual(health, ["dc1-apply-cp-1", "dc1-apply-cp-2", "dc1-apply-cp-3", "dc1-apply-worker-1", "dc1-apply-worker-2", "dc1-apply-worker-3", "dc1-apply-worker-4"]);
            assert.match(String(resource(prod, command, "dc1-health").inputs.create), /-ge 7 \]/);
        });

        it("keeps every command's stdin secret and every script free of secrets", () => {
            const configs = (prod.outputs.talos as { machineConfigs: SecretValue }).machineConfigs.value as Record<string, string>;
            const token = /token: (\S+)/.exec(configs["cp-1"])?.[1] as string;
            for (const c of resourcesOfType(prod, command)) {
                assert.ok(c.inputs.stdin instanceof SecretValue, `${c.name} stdin`);
                const scripts = `${c.inputs.create}${c.inputs.update ?? ""}`;
                assert.ok(!scripts.includes(token) && !scripts.includes("PRIVATE KEY"), `${c.name} scripts`);
            }
        });
    });

    describe("existing-cluster stack", () => {
        let existing: Evaluation;
        const kubeconfig = "apiVersion: v1\nkind: Config\nclusters: []\n";
        before(async () => {
            const values = clone(stackValues("dev"));
            values["ironcloud:cluster"] = { name: "legacy", kubeconfig };
            values["ironcloud:platform"] = { networking: { enabled: false }, storage: { enabled: false } };
            existing = await evaluateConfig("legacy", values);
        });

        it("skips the Talos layer entirely", () => {
            const talosLayer = existing.resources.filter((r) => /^(random|command):|^ironcloud:talos:/.test(r.type) || r.parent.includes("ironcloud:talos"));
            assert.deepEqual(talosLayer, []);
            assert.equal(existing.outputs.talos, undefined);
        });

        it("declares the platform through the existing cluster's provider", () => {
            const kube = existing.resources.filter((r) => r.type.startsWith("kubernetes:"));
            assert.ok(kube.length > 0);
            for (const r of kube) assert.match(r.provider, /pulumi:providers:kubernetes::legacy::/, r.name);
        });

        it("uses the configured kubeconfig, as a secret", () => {
            const input = resource(existing, provider, "legacy").inputs.kubeconfig;
            assert.ok(input instanceof SecretValue);
            assert.equal(input.value, kubeconfig);
            assert.ok(existing.outputs.kubeconfig instanceof SecretValue);
        });
    });

    describe("existing cluster that provides KubeVirt and CDI (test/fixtures/Pulumi.existing.yaml)", () => {
        const fixture = join(repoRoot, "test", "fixtures", "Pulumi.existing.yaml");
        let existing: Evaluation;
        before(async () => { existing = await evaluateStackFile(fixture); });

        it("declares no KubeVirt, CDI or any other platform service, and no Helm release", () => {
            const platformTypes = existing.resources.map((r) => r.type).filter((t) => /^ironcloud:platform:(?!Platform$)|^kubernetes:(kubevirt\.io\/v1:KubeVirt|cdi\.kubevirt\.io\/v1beta1:CDI|yaml\/|helm\.sh\/)/.test(t));
            assert.deepEqual(platformTypes, []);
            assert.ok(!existing.resources.some((r) => r.name.includes("virtualization")));
        });

        it("declares the VMs, the fleet and the persistent disk without waiting for KubeVirt or CDI", () => {
            const vms = resourcesOfType(existing, "kubernetes:kubevirt.io/v1:VirtualMachine");
            assert.deepEqual(vms.map((r) => r.name).sort(), ["local-vms-alpha-build", "local-vms-alpha-ci-0", "local-vms-alpha-ci-1", "local-vms-alpha-scratch"]);
            const disk = resource(existing, "kubernetes:cdi.kubevirt.io/v1beta1:DataVolume", "local-vms-alpha-build-root");
            assert.equal((disk.inputs.spec as { storage: { storageClassName: string } }).storage.storageClassName, "standard");
            assert.deepEqual(dependencyNames(disk), ["local-vms-tenancy-alpha"]);
            assert.deepEqual(dependencyNames(resource(existing, "kubernetes:kubevirt.io/v1:VirtualMachine", "local-vms-alpha-build")),
                ["local-vms-alpha-build-cloud-init", "local-vms-alpha-build-root", "local-vms-tenancy-alpha"]);
            assert.deepEqual(dependencyNames(resource(existing, "kubernetes:kubevirt.io/v1:VirtualMachine", "local-vms-alpha-ci-0")), ["local-vms-alpha-ci-0-cloud-init", "local-vms-tenancy-alpha"]);
        });

        it("asks for the jump host's loopback address and keeps the kubeconfig a secret the engine test sets", () => {
            const service = resourcesOfType(existing, "kubernetes:core/v1:Service").find((r) => (r.inputs.spec as { type?: string }).type === "LoadBalancer");
            assert.ok(service, "the jump host's LoadBalancer Service");
            assert.equal((service.inputs.metadata as { annotations: Record<string, string> }).annotations["lbipam.cilium.io/ips"], "127.0.200.10");
            const kubeconfig = resource(existing, provider, "local").inputs.kubeconfig;
            assert.ok(kubeconfig instanceof SecretValue);
            assert.equal(kubeconfig.value, securePlaceholder);
        });
    });

    describe("entry point", () => {
        it("reads config from the Pulumi runtime and exports the outputs (infra/index.ts)", async () => {
            const { stack, config } = readStackFile(stackPath("dev"));
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const evaluation = await evaluateStack(stack, config, () => require("../infra/index"));
            assert.equal(evaluation.outputs.clusterName, "lab");
            assert.ok(evaluation.outputs.kubeconfig instanceof SecretValue);
        });

        it("registers nothing and fails without a stack trace when the config is invalid", async () => {
            const values = clone(stackValues("dev"));
            (values["ironcloud:cluster"] as Record<string, unknown>).endpoint = "http://192.168.50.10:6443";
            values["ironcloud:environment"] = "production";
            const monitor = installOfflineRuntime("broken", toProgramConfig(values));
            assert.throws(() => declareStack(), (error: Error) => {
                assert.ok(error instanceof pulumi.RunError, "a RunError ends the run without a stack trace");
                assert.match(error.message, /ironcloud:environment: must be one of dev, staging, prod, not "production"/);
                assert.match(error.message, /ironcloud:cluster\.endpoint: must be an https URL/);
                return true;
            });
            await waitForRegistrations();
            assert.deepEqual(monitor.recorded, []);
        });
    });
});
