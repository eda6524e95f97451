import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as sshpk from "sshpk";
import { parse } from "yaml";
import { Deployment } from "kubernetes-models/apps/v1";
import { ConfigMap, LimitRange, Namespace, ResourceQuota, Secret, Service } from "kubernetes-models/v1";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { Role, RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { ComponentArgsError } from "../components/componentArgs";
import { VmService } from "../components/vms/vmService";
import { parseVmServiceArgs, VmServiceArgs } from "../components/vms/vmServiceArgs";
import { Evaluation, evaluateStack, reveal } from "../tools/offline/evaluate";
import { RecordedResource, SecretValue } from "../tools/offline/recordingMonitor";
import { clone, stackValues } from "./harness/configs";
import { dependencyNames, evaluateConfig, evaluateStackFile, resource, resourcesOfType, stackPath } from "./harness/program";
import { cloudConfigSchemaErrors, crdSchemaErrors } from "./harness/schemas";
import { requireTools } from "./harness/tools";

type Values = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const vmType = "kubernetes:kubevirt.io/v1:VirtualMachine";
const dvType = "kubernetes:cdi.kubevirt.io/v1beta1:DataVolume";
const secretType = "kubernetes:core/v1:Secret";
const inputs = (r: RecordedResource) => reveal(r.inputs) as Values;
const vmSpec = (e: Evaluation, name: string) => inputs(resource(e, vmType, name)).spec.template.spec;

function cloudInitOf(e: Evaluation, namespace: string, vm: string): { text: string; doc: Values; secret: RecordedResource } {
    const [secret, ...others] = resourcesOfType(e, secretType).filter((r) => r.name.endsWith(`-${namespace}-${vm}-cloud-init`));
    assert.ok(secret && others.length === 0, `one cloud-init Secret of ${namespace}/${vm}`);
    const text = inputs(secret).stringData.userdata as string;
    return { text, doc: parse(text), secret };
}

describe("VM service", () => {
    let prod: Evaluation;
    let dev: Evaluation;
    before(async () => {
        [prod, dev] = await Promise.all([evaluateStackFile(stackPath("prod")), evaluateStackFile(stackPath("dev"))]);
    });

    describe("tenancy", () => {
        const teamResources = (e: Evaluation, team: string) => e.resources.filter((r) => r.name.startsWith(`dc1-vms-tenancy-${team}`)).map((r) => `${r.type.split(":").pop()} ${r.name}`).sort();

        it("gives a team its namespace, role and bindings, quota, limits, network policies and the vm Service", () => {
            assert.deepEqual(teamResources(prod, "alpha"), [
                "LimitRange dc1-vms-tenancy-alpha-defaults",
                "Namespace dc1-vms-tenancy-alpha",
                "NetworkPolicy dc1-vms-tenancy-alpha-allow-disk-import",
                "NetworkPolicy dc1-vms-tenancy-alpha-allow-dns",
                "NetworkPolicy dc1-vms-tenancy-alpha-allow-ssh-from-jump-host",
                "NetworkPolicy dc1-vms-tenancy-alpha-default-deny",
                "ResourceQuota dc1-vms-tenancy-alpha-quota",
                "Role dc1-vms-tenancy-alpha-vm-user",
                "RoleBinding dc1-vms-tenancy-alpha-vm-users",
                "Service dc1-vms-tenancy-alpha-vm",
            ]);
        });

        it("binds the declared users and groups to a role that manages VMs but cannot read Secrets or exec", () => {
            const role = inputs(resource(prod, "kubernetes:rbac.authorization.k8s.io/v1:Role", "dc1-vms-tenancy-alpha-vm-user"));
            const rules = role.rules as { apiGroups: string[]; resources: string[]; verbs: string[] }[];
            assert.deepEqual(rules.find((r) => r.resources.includes("virtualmachines"))?.verbs, ["get", "list", "watch", "create", "update", "patch", "delete"]);
            for (const rule of rules) {
                assert.ok(!rule.resources.includes("secrets") && !rule.resources.includes("pods/exec") && !rule.resources.includes("*"), JSON.stringify(rule));
                assert.ok(!rule.verbs.includes("*") && !rule.verbs.some((v) => ["escalate", "bind", "impersonate"].includes(v)));
            }
            const binding = inputs(resource(prod, "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", "dc1-vms-tenancy-alpha-vm-users"));
            assert.deepEqual(binding.subjects.map((s: Values) => `${s.kind}:${s.name}`), ["User:alice", "Group:team-alpha"]);
        });

        it("sets the quota from the team config", () => {
            const quota = inputs(resource(prod, "kubernetes:core/v1:ResourceQuota", "dc1-vms-tenancy-alpha-quota"));
            assert.deepEqual(quota.spec.hard, { "requests.cpu": "32", "requests.memory": "128Gi", "requests.storage": "1Ti" }, "requests only: VM pods set no limits");
            assert.deepEqual(inputs(resource(prod, "kubernetes:core/v1:LimitRange", "dc1-vms-tenancy-alpha-defaults")).spec.limits, [{ type: "Container", defaultRequest: { cpu: "100m", memory: "256Mi" } }]);
            assert.equal(inputs(resource(prod, "kubernetes:core/v1:ResourceQuota", "dc1-vms-tenancy-beta-quota")).spec.hard["requests.storage"], undefined);
        });

        it("denies all traffic by default and allows exactly SSH from the jump host and DNS", () => {
            const policy = (name: string) => inputs(resource(prod, "kubernetes:networking.k8s.io/v1:NetworkPolicy", `dc1-vms-tenancy-alpha-${name}`)).spec;
            assert.deepEqual(policy("default-deny"), { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
            const ssh = policy("allow-ssh-from-jump-host");
            assert.deepEqual(ssh.ingress[0].ports, [{ protocol: "TCP", port: 22 }]);
            assert.deepEqual(ssh.ingress[0].from[0].namespaceSelector, { matchLabels: { "kubernetes.io/metadata.name": "ironcloud-access" } });
            assert.deepEqual(policy("allow-dns").egress[0].ports, [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }]);
        });

        it("makes VMs resolvable as <vm>.vm.<namespace>.svc.cluster.local", () => {
            const service = inputs(resource(prod, "kubernetes:core/v1:Service", "dc1-vms-tenancy-alpha-vm"));
            assert.equal(service.metadata.name, "vm");
            assert.equal(service.spec.clusterIP, "None");
            assert.deepEqual(service.spec.selector, { "ironcloud.dev/role": "vm" });
            const spec = vmSpec(prod, "dc1-vms-alpha-build");
            assert.equal(spec.hostname, "build");
            assert.equal(spec.subdomain, "vm");
            assert.deepEqual(inputs(resource(prod, vmType, "dc1-vms-alpha-build")).spec.template.metadata.labels["ironcloud.dev/role"], "vm");
        });
    });

    describe("VMs and fleets", () => {
        it("declares one VirtualMachine per VM and per fleet member", () => {
            assert.deepEqual(resourcesOfType(prod, vmType).map((r) => r.name).sort(), ["dc1-vms-alpha-build", "dc1-vms-alpha-ci-0", "dc1-vms-alpha-ci-1", "dc1-vms-alpha-ci-2", "dc1-vms-alpha-ci-3", "dc1-vms-alpha-ci-4", "dc1-vms-beta-db"]);
            assert.deepEqual(resourcesOfType(dev, vmType).map((r) => r.name).sort(), ["lab-vms-lab-runner-0", "lab-vms-lab-runner-1", "lab-vms-lab-sandbox"]);
        });

        it("takes CPU and memory from the VM, or from its OS when the VM leaves them out", () => {
            const build = vmSpec(prod, "dc1-vms-alpha-build").domain;
            assert.deepEqual([build.cpu.cores, build.memory.guest, build.resources.requests], [4, "8Gi", { cpu: "4", memory: "8Gi" }]);
            const sandbox = vmSpec(dev, "lab-vms-lab-sandbox").domain;
            assert.deepEqual([sandbox.cpu.cores, sandbox.memory.guest], [1, "2Gi"]);
            const runner = vmSpec(dev, "lab-vms-lab-runner-0").domain;
            assert.deepEqual([runner.cpu.cores, runner.memory.guest], [1, "1Gi"]);
        });

        it("boots the OS default version from a containerDisk, or a chosen version from a persistent disk", () => {
            const sandbox = vmSpec(dev, "lab-vms-lab-sandbox").volumes[0];
            assert.deepEqual(sandbox, { name: "root", containerDisk: { image: "quay.io/containerdisks/ubuntu:24.04" } });
            const runner = vmSpec(dev, "lab-vms-lab-runner-1").volumes[0];
            assert.deepEqual(runner, { name: "root", containerDisk: { image: "quay.io/containerdisks/debian:12" } });
            assert.deepEqual(vmSpec(prod, "dc1-vms-alpha-build").volumes[0], { name: "root", dataVolume: { name: "build-root" } });
            const disk = inputs(resource(prod, dvType, "dc1-vms-alpha-build-root"));
            assert.deepEqual(disk.spec.source, { registry: { url: "docker://quay.io/containerdisks/ubuntu:24.04" } });
            assert.deepEqual(disk.spec.storage, { storageClassName: "replicated", accessModes: ["ReadWriteMany"], volumeMode: "Block", resources: { requests: { storage: "40Gi" } } });
        });

        it("uses masquerade networking, cloud-init from a Secret, the OS node selector, and LiveMigrate where storage allows", () => {
            const spec = vmSpec(prod, "dc1-vms-alpha-build");
            assert.deepEqual(spec.domain.devices.interfaces, [{ name: "default", masquerade: {} }]);
            assert.deepEqual(spec.networks, [{ name: "default", pod: {} }]);
            assert.deepEqual(spec.volumes[1], { name: "cloudinit", cloudInitNoCloud: { secretRef: { name: "build-cloud-init" } } });
            assert.deepEqual(spec.nodeSelector, { "kubevirt.io/schedulable": "true" });
            assert.equal(spec.evictionStrategy, "LiveMigrate");
            assert.equal(inputs(resource(prod, vmType, "dc1-vms-alpha-build")).spec.runStrategy, "Always");
        });

        it("labels every VM with its team, owner and OS", () => {
            const labels = inputs(resource(prod, vmType, "dc1-vms-alpha-build")).metadata.labels;
            assert.deepEqual([labels["ironcloud.dev/team"], labels["ironcloud.dev/owner"], labels["ironcloud.dev/os"], labels["app.kubernetes.io/managed-by"]], ["alpha", "alice", "ubuntu", "ironcloud"]);
            assert.equal(inputs(resource(prod, vmType, "dc1-vms-alpha-ci-3")).metadata.labels["ironcloud.dev/fleet"], "ci");
        });

        it("waits for KubeVirt, its namespace and its cloud-init; disks wait for CDI; nothing waits for monitoring", () => {
            const vmDeps = dependencyNames(resource(prod, vmType, "dc1-vms-alpha-build"));
            for (const dep of ["dc1-virtualization-kubevirt", "dc1-vms-tenancy-alpha", "dc1-vms-alpha-build-cloud-init", "dc1-vms-alpha-build-root"]) assert.ok(vmDeps.includes(dep), dep);
            assert.ok(dependencyNames(resource(prod, dvType, "dc1-vms-alpha-build-root")).includes("dc1-virtualization-cdi"));
            for (const r of [...resourcesOfType(prod, vmType), ...resourcesOfType(prod, dvType)]) {
                assert.ok(!dependencyNames(r).some((d) => d.startsWith("dc1-monitoring")), r.name);
            }
        });

        it("waits for nothing of KubeVirt or CDI when the existing cluster provides them", async () => {
            const values = clone(stackValues("prod"));
            values["ironcloud:cluster"] = { name: "dc1", kubeconfig: "apiVersion: v1\nkind: Config\n" };
            Object.assign(values["ironcloud:platform"] as Values, { networking: { enabled: false }, virtualization: { provided: true } });
            const provided = await evaluateConfig("prod", values);
            assert.deepEqual(resourcesOfType(provided, vmType).map((r) => r.name).sort(), resourcesOfType(prod, vmType).map((r) => r.name).sort());
            assert.deepEqual(dependencyNames(resource(provided, vmType, "dc1-vms-alpha-build")), ["dc1-vms-alpha-build-cloud-init", "dc1-vms-alpha-build-root", "dc1-vms-tenancy-alpha"]);
            assert.deepEqual(dependencyNames(resource(provided, dvType, "dc1-vms-alpha-build-root")), ["dc1-vms-tenancy-alpha"]);
            assert.equal(resource(provided, dvType, "dc1-vms-alpha-build-root").protect, true, "prod disks stay protected");
            for (const r of [...resourcesOfType(provided, vmType), ...resourcesOfType(provided, dvType)]) {
                assert.ok(!dependencyNames(r).some((d) => d.includes("virtualization")), `${r.name}: ${dependencyNames(r).join(", ")}`);
            }
        });

        it("protects persistent disks in prod, and every resource of a VM that has them, not in dev", async () => {
            for (const disk of resourcesOfType(prod, dvType)) assert.equal(disk.protect, true, disk.name);
            const values = clone(stackValues("dev"));
            (values["ironcloud:vms"] as Values[])[0].disk = "20Gi";
            const devWithDisk = await evaluateConfig("dev", values);
            assert.equal(resource(devWithDisk, dvType, "lab-vms-lab-sandbox-root").protect, false);
            assert.ok(resourcesOfType(devWithDisk, vmType).every((vm) => vm.protect === false), "nothing is protected in dev");
            // The engine deletes a removed VM's resources in dependency order: unless all of them
            // are protected, the VM and its cloud-init are gone before the disk's protection stops the run.
            const withDisks = new Set(resourcesOfType(prod, dvType).map((dv) => dv.name.replace(/-(root|[a-z0-9-]+)$/, "")));
            for (const vm of resourcesOfType(prod, vmType)) {
                const hasDisk = resourcesOfType(prod, dvType).some((dv) => dv.name.startsWith(`${vm.name}-`));
                assert.equal(vm.protect, hasDisk, `${vm.name} protect`);
                assert.equal(resource(prod, secretType, `${vm.name}-cloud-init`).protect, hasDisk, `${vm.name}-cloud-init protect`);
                assert.equal(resource(prod, "tls:index/privateKey:PrivateKey", `${vm.name}-host-key`).protect, hasDisk, `${vm.name}-host-key protect`);
            }
            assert.ok(withDisks.size > 0 && resourcesOfType(prod, vmType).some((vm) => !vm.protect), "prod has VMs with and without disks");
        });
    });

    describe("cloud-init and host certificates", () => {
        it("keeps cloud-init, which holds the host key, secret", () => {
            for (const secret of resourcesOfType(prod, secretType)) {
                const stringData = secret.inputs.stringData as Values;
                assert.ok(stringData instanceof SecretValue || Object.values(stringData).every((v) => v instanceof SecretValue), secret.name);
            }
            assert.ok(!JSON.stringify(prod.outputs).includes("PRIVATE KEY"));
        });

        it("installs the login user's keys, the user CAs and no password login", () => {
            const { doc } = cloudInitOf(prod, "alpha", "build");
            assert.equal(doc.ssh_pwauth, false);
            assert.equal(doc.users[0].name, "ubuntu");
            assert.equal(doc.users[0].lock_passwd, true);
            const files = Object.fromEntries((doc.write_files as Values[]).map((f) => [f.path, f.content]));
            assert.match(files["/etc/ssh/ironcloud_user_ca_keys.pub"], /security-team@example\.com/);
            assert.match(files["/etc/ssh/sshd_config.d/10-ironcloud.conf"], /^TrustedUserCAKeys \/etc\/ssh\/ironcloud_user_ca_keys\.pub$/m);
            assert.match(files["/etc/ssh/sshd_config.d/10-ironcloud.conf"], /^PasswordAuthentication no$/m);
            const db = cloudInitOf(prod, "beta", "db").doc;
            assert.deepEqual(db.users[0].ssh_authorized_keys, [(stackValues("prod")["ironcloud:sshKeys"] as Values).bob], "the key named bob in ironcloud:sshKeys");
        });

        it("gives each VM a host certificate for its names, signed by the host CA", () => {
            const caKey = sshpk.parseKey((reveal(prod.outputs.access) as Values).knownHosts[0].split(" ").slice(2, 4).join(" "), "ssh");
            for (const [namespace, vm] of [["alpha", "build"], ["alpha", "ci-2"], ["beta", "db"]]) {
                const { doc } = cloudInitOf(prod, namespace, vm);
                const certificate = sshpk.parseCertificate(`${doc.ssh_keys.ed25519_certificate}\n`, "openssh");
                assert.ok(certificate.isSignedByKey(caKey), `${vm} signed by the host CA`);
                assert.deepEqual(certificate.subjects.map((s) => s.hostname), [`${vm}.vm`, `${vm}.vm.${namespace}.svc.cluster.local`]);
                const hostKey = sshpk.parsePrivateKey(doc.ssh_keys.ed25519_private, "ssh");
                assert.equal(certificate.subjectKey.fingerprint("sha256").toString(), hostKey.toPublic().fingerprint("sha256").toString());
            }
        });

        it("vouches for `<vm>.vm` only when no other team has a VM of that name", async () => {
            const values = clone(stackValues("prod"));
            (values["ironcloud:vms"] as Values[])[1].name = "build";
            const clash = await evaluateConfig("prod", values);
            for (const namespace of ["alpha", "beta"]) {
                const { doc } = cloudInitOf(clash, namespace, "build");
                const certificate = sshpk.parseCertificate(`${doc.ssh_keys.ed25519_certificate}\n`, "openssh");
                assert.deepEqual(certificate.subjects.map((s) => s.hostname), [`build.vm.${namespace}.svc.cluster.local`]);
            }
            const ci = sshpk.parseCertificate(`${cloudInitOf(clash, "alpha", "ci-0").doc.ssh_keys.ed25519_certificate}\n`, "openssh");
            assert.deepEqual(ci.subjects.map((s) => s.hostname), ["ci-0.vm", "ci-0.vm.alpha.svc.cluster.local"]);
        });

        it("validates every cloud-init document against cloud-init's schema", () => {
            for (const evaluation of [prod, dev]) {
                for (const secret of resourcesOfType(evaluation, secretType).filter((s) => s.name.endsWith("-cloud-init"))) {
                    const text = inputs(secret).stringData.userdata as string;
                    assert.ok(text.startsWith("#cloud-config\n"));
                    assert.deepEqual(cloudConfigSchemaErrors(parse(text)), [], secret.name);
                }
            }
            assert.notDeepEqual(cloudConfigSchemaErrors({ ssh_pwauth: "maybe", ssh_keys: { dsa_private: "x" } }), []);
        });

        it("passes `cloud-init schema` (Debian's cloud-init) for every VM, which refuses a broken document", () => {
            requireTools("cloud-init");
            const dir = mkdtempSync(join(tmpdir(), "ironcloud-cloud-init-"));
            try {
                const validate = (name: string, text: string) => {
                    const file = join(dir, `${name}.yaml`);
                    writeFileSync(file, text);
                    const result = spawnSync("cloud-init", ["schema", "--config-file", file], { encoding: "utf8" });
                    if (result.error) throw result.error; // not run at all: no status to compare
                    return { status: result.status, output: `${result.stdout}${result.stderr}` };
                };
                for (const secret of resourcesOfType(prod, secretType).filter((x) => x.name.endsWith("-cloud-init"))) {
                    const result = validate(secret.name, inputs(secret).stringData.userdata as string);
                    assert.equal(result.status, 0, result.output);
                    assert.match(result.output, /Valid cloud-config/);
                }
                const broken = validate("broken", "#cloud-config\nssh_pwauth: 3\ndisable_root: \"no\"\n");
                assert.equal(broken.status, 1, broken.output);
            } finally {
                rmSync(dir, { recursive: true, force: true });
            }
        });
    });

    describe("jump host and client config", () => {
        it("runs sshd as the jump user on a read-only root filesystem, spread, with a disruption budget and a long grace period", () => {
            const deployment = inputs(resource(prod, "kubernetes:apps/v1:Deployment", "dc1-vms-access-jump-host"));
            const pod = deployment.spec.template.spec;
            const container = pod.containers[0];
            assert.equal(deployment.spec.replicas, 3);
            assert.deepEqual([pod.securityContext.runAsUser, pod.securityContext.runAsGroup, pod.securityContext.runAsNonRoot], [2222, 2222, true]);
            assert.deepEqual(container.securityContext, { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
            assert.equal(pod.terminationGracePeriodSeconds, 3600);
            assert.equal(pod.topologySpreadConstraints[0].topologyKey, "kubernetes.io/hostname");
            assert.deepEqual(pod.dnsConfig.searches, ["alpha.svc.cluster.local", "beta.svc.cluster.local"]);
            assert.deepEqual(container.ports, [{ name: "ssh", containerPort: 2222, protocol: "TCP" }]);
            assert.deepEqual(inputs(resource(prod, "kubernetes:policy/v1:PodDisruptionBudget", "dc1-vms-access-jump-host")).spec.minAvailable, 1);
        });

        it("asks LB IPAM for the configured address on the SSH port", () => {
            const service = inputs(resource(prod, "kubernetes:core/v1:Service", "dc1-vms-access-jump-host"));
            assert.equal(service.spec.type, "LoadBalancer");
            assert.equal(service.metadata.annotations["lbipam.cilium.io/ips"], "10.0.0.200");
            assert.deepEqual(service.spec.ports, [{ name: "ssh", protocol: "TCP", port: 2222, targetPort: 2222 }]);
        });

        it("lets the jump host reach only port 22 of VM pods, and DNS", () => {
            const policy = inputs(resource(prod, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "dc1-vms-access-jump-host")).spec;
            assert.deepEqual(policy.policyTypes, ["Ingress", "Egress"]);
            assert.deepEqual(policy.egress.map((e: Values) => e.ports), [[{ protocol: "TCP", port: 22 }], [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }]]);
            assert.deepEqual(policy.egress[0].to[0].podSelector, { matchLabels: { "ironcloud.dev/role": "vm" } });
        });

        it("outputs the ssh config block, known_hosts lines and the VM list", () => {
            const access = reveal(prod.outputs.access) as Values;
            assert.equal(access.sshConfig, "Host *.vm *.vm.*.svc.cluster.local\n    ProxyJump jump@10.0.0.200:2222\n    StrictHostKeyChecking yes\n");
            assert.match(access.knownHosts[0], /^@cert-authority \[10\.0\.0\.200\]:2222 ssh-ed25519 \S+$/);
            assert.match(access.knownHosts[1], /^@cert-authority \*\.vm,\*\.vm\.\*\.svc\.cluster\.local ssh-ed25519 \S+$/);
            assert.deepEqual(access.jumpHost, { addresses: ["10.0.0.200"], port: 2222, user: "jump" });
            assert.deepEqual((prod.outputs.vms as Values[]).find((v) => v.name === "db"), { name: "db", team: "beta", fqdn: "db.vm.beta.svc.cluster.local", os: "ubuntu", version: "24.04" });
        });
    });

    describe("schemas", () => {
        it("validates every VirtualMachine and DataVolume against its CRD schema", () => {
            for (const evaluation of [prod, dev]) {
                for (const r of [...resourcesOfType(evaluation, vmType), ...resourcesOfType(evaluation, dvType)]) {
                    assert.deepEqual(crdSchemaErrors(inputs(r) as { apiVersion: string; kind: string }), [], r.name);
                }
            }
        });

        it("validates the core objects with kubernetes-models", () => {
            const models: Record<string, new (data: never) => { validate(): void }> = {
                "kubernetes:apps/v1:Deployment": Deployment,
                "kubernetes:core/v1:ConfigMap": ConfigMap,
                "kubernetes:core/v1:LimitRange": LimitRange,
                "kubernetes:core/v1:Namespace": Namespace,
                "kubernetes:core/v1:ResourceQuota": ResourceQuota,
                "kubernetes:core/v1:Secret": Secret,
                "kubernetes:core/v1:Service": Service,
                "kubernetes:networking.k8s.io/v1:NetworkPolicy": NetworkPolicy,
                "kubernetes:policy/v1:PodDisruptionBudget": PodDisruptionBudget,
                "kubernetes:rbac.authorization.k8s.io/v1:Role": Role,
                "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": RoleBinding,
            };
            let checked = 0;
            for (const r of prod.resources.filter((x) => models[x.type] && /ironcloud:(vms|access|tenancy)/.test(x.parent))) {
                const Model = models[r.type];
                assert.doesNotThrow(() => new Model(inputs(r) as never).validate(), r.name);
                checked++;
            }
            assert.ok(checked >= 30, `${checked} objects checked`);
        });
    });
});

describe("VmService as a library component", () => {
    const alice = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIuOSaZXyw0ciifvRRsAnAKYzOihu0M9k6pcpBEjLw49 alice@example.com";
    const ubuntu = { image: "quay.io/containerdisks/ubuntu", versions: ["24.04"], user: "ubuntu", resources: { cpu: 1, memory: "2Gi" } };
    /** One team with one VM, the smallest VM service that declares everything. */
    const oneVm = (team: string, accessNamespace: string, loadBalancerIP: string): VmServiceArgs => ({
        teams: [{ name: team, quota: { cpu: 4, memory: "8Gi" } }],
        vms: [{ name: "build", team, os: "ubuntu", authorizedKeys: ["alice"] }],
        sshKeys: { alice },
        operatingSystems: { ubuntu },
        access: { loadBalancerIP, authorizedKeys: ["alice"] },
        accessNamespace,
    });
    const evaluate = (program: () => Record<string, unknown>) => evaluateStack("lib", { values: {}, secretKeys: [] }, program);
    const named = (e: Evaluation, prefix: string) => e.resources.filter((r) => r.name.startsWith(prefix));
    const outputsOf = (e: Evaluation, type: string, name: string) => reveal(resource(e, type, name).outputs) as Values;

    it("reports every problem of its args at once, with its path, by the stack config's rules", () => {
        const args: VmServiceArgs = {
            environment: "qa" as "dev",
            teams: [{ name: "monitoring", quota: { cpu: 4, memory: "8Gi" } }],
            vms: [{ name: "build", team: "lab", os: "windows" }],
            sshKeys: { alice },
            operatingSystems: { ubuntu: { ...ubuntu, defaultVersion: "22.04" } },
            access: { authorizedKeys: ["carol"] },
            dnsDomain: "Cluster.Local",
            accessNamespace: "Access",
            kubeconfig: "",
        };
        assert.throws(() => parseVmServiceArgs("bad", args, { provider: {} as pulumi.ProviderResource }), (error: unknown) => {
            assert.ok(error instanceof ComponentArgsError);
            assert.deepEqual(error.problems.map((p) => `${p.path}: ${p.message}`), [
                'environment: must be one of dev, staging, prod, not "qa"',
                "dnsDomain: must be a DNS domain such as cluster.local",
                "accessNamespace: must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit",
                "kubeconfig: must not be empty",
                "kubeconfig: excludes opts.provider: give the cluster by one of them",
                "access.authorizedKeys[0]: names no key in ironcloud:sshKeys (declared: alice)",
                'operatingSystems.ubuntu.defaultVersion: "22.04" is not in versions (24.04)',
                `teams[0].name: "monitoring" is a namespace the platform uses; reserved: default, kube-system, kube-public, kube-node-lease, cert-manager, piraeus-datastore, kubevirt, cdi, monitoring, ironcloud-access, kube-*`,
                'vms[0].team: unknown team "lab"; declared: monitoring',
                'vms[0].os: unknown OS "windows"; known: ubuntu',
                "vms[0]: needs at least one entry in authorizedKeys or trustedUserCAKeys, or nobody can log in",
                "access.loadBalancerIP: is required while VMs exist (or set access.hostnames): the jump host's certificate names the address clients connect to",
            ]);
            assert.match(error.message, /^invalid args \(12 problems\):\n {2}VmService "bad": environment: must be one of dev, staging, prod, not "qa"\n/);
            return true;
        });
        assert.throws(() => new VmService("bad", { vms: [{ name: "Build" } as never] }), /VmService "bad": vms\[0\]\.name: must be a DNS-1123 label[\s\S]*VmService "bad": vms\[0\]\.team: is required/);
    });

    it("refuses a team named like its own access namespace, not only like ironcloud-access", () => {
        const args = { ...oneVm("jump", "jump", "10.0.0.200") };
        assert.throws(() => parseVmServiceArgs("clash", args), /VmService "clash": teams\[0\]\.name: "jump" is a namespace the platform uses; reserved: .*ironcloud-access, jump, kube-\*/);
        assert.doesNotThrow(() => parseVmServiceArgs("apart", oneVm("jump", "access-b", "10.0.0.200")));
    });

    it("applies the stack config's defaults inside and resolves key names", () => {
        const spec = parseVmServiceArgs("defaults", oneVm("lab", "ironcloud-access", "10.0.0.200"));
        assert.equal(spec.environment, "dev");
        assert.equal(spec.dnsDomain, "cluster.local");
        assert.equal(spec.defaultStorageClass, undefined);
        assert.deepEqual([spec.access.port, spec.access.user, spec.access.replicas, spec.access.authorizedKeys], [2222, "jump", 2, [alice]]);
        assert.deepEqual([spec.vms[0].runStrategy, spec.vms[0].authorizedKeys, spec.teams[0].users, spec.teams[0].quota.cpu], ["Always", [alice], [], "4"]);
        assert.deepEqual(parseVmServiceArgs("empty", {}), {
            environment: "dev", teams: [], vms: [], fleets: [], operatingSystems: {}, access: parseVmServiceArgs("x", { access: {} }).access,
            dnsDomain: "cluster.local", defaultStorageClass: undefined, accessNamespace: "ironcloud-access",
        });
    });

    it("two instances in one program do not collide: children are named after each, with their own provider and access namespace", async () => {
        const e = await evaluate(() => {
            const one = new VmService("one", { ...oneVm("red", "access-one", "10.0.0.200"), kubeconfig: "apiVersion: v1\nkind: Config\n" });
            const two = new VmService("two", { ...oneVm("blue", "access-two", "10.0.0.201"), kubeconfig: "apiVersion: v1\nkind: Config\n" });
            return { one: one.access?.knownHosts, two: two.access?.knownHosts };
        });
        const urns = e.resources.map((r) => r.urn);
        assert.equal(new Set(urns).size, urns.length, "no URN twice");
        const children = e.resources.filter((r) => r.type !== "pulumi:pulumi:Stack" && !["one", "two"].includes(r.name));
        assert.deepEqual(children.filter((r) => !/^(one|two)-/.test(r.name)).map((r) => r.name), [], "every child is named after its service");
        for (const [service, team] of [["one", "red"], ["two", "blue"]]) {
            const own = named(e, `${service}-`);
            const provider = resource(e, "pulumi:providers:kubernetes", `${service}-provider`);
            for (const r of own.filter((x) => x.type.startsWith("kubernetes:"))) assert.ok(r.provider.startsWith(`${provider.urn}::`), `${r.name} uses ${service}'s provider, not ${r.provider}`);
            assert.deepEqual(own.filter((r) => r.type === vmType || r.type === secretType || r.type.startsWith("tls:")).map((r) => r.name).sort(),
                [`${service}-${team}-build`, `${service}-${team}-build-cloud-init`, `${service}-${team}-build-host-key`, `${service}-access-host-ca`, `${service}-access-jump-host-key`, `${service}-access-jump-host-key`].sort());
            const accessNamespace = `access-${service}`;
            assert.equal(inputs(resource(e, "kubernetes:core/v1:Namespace", `${service}-access-namespace`)).metadata.name, accessNamespace);
            assert.equal(inputs(resource(e, "kubernetes:apps/v1:Deployment", `${service}-access-jump-host`)).metadata.namespace, accessNamespace);
            const ssh = inputs(resource(e, "kubernetes:networking.k8s.io/v1:NetworkPolicy", `${service}-tenancy-${team}-allow-ssh-from-jump-host`));
            assert.deepEqual(ssh.spec.ingress[0].from[0].namespaceSelector, { matchLabels: { "kubernetes.io/metadata.name": accessNamespace } });
        }
    });

    it("registers what it exposes: VmService, Tenancy, Access and TeamVms outputs", async () => {
        const e = await evaluate(() => {
            new VmService("lib", { ...oneVm("lab", "ironcloud-access", "10.0.0.200"), environment: "prod" });
            return {};
        });
        const service = outputsOf(e, "ironcloud:vms:VmService", "lib");
        assert.deepEqual([service.environment, service.teams, service.jumpHost], ["prod", [{ name: "lab", namespace: "lab", quota: { cpu: "4", memory: "8Gi" } }], { port: 2222, user: "jump" }]);
        assert.deepEqual(service.vms, [{ name: "build", team: "lab", namespace: "lab", fqdn: "build.vm.lab.svc.cluster.local", os: "ubuntu", version: "24.04" }]);
        assert.deepEqual(service.access.endpoint, { addresses: ["10.0.0.200"], port: 2222, user: "jump" });
        assert.match(service.access.knownHosts[0], /^@cert-authority \[10\.0\.0\.200\]:2222 ssh-ed25519 /);
        assert.match(service.access.sshConfig, /ProxyJump jump@10\.0\.0\.200:2222/);
        const access = outputsOf(e, "ironcloud:access:Access", "lib-access");
        assert.deepEqual([access.namespace, access.endpoint, access.knownHosts], ["ironcloud-access", service.access.endpoint, service.access.knownHosts]);
        assert.match(access.hostCaPublicKey, /^ssh-ed25519 /);
        const tenancy = outputsOf(e, "ironcloud:tenancy:Tenancy", "lib-tenancy");
        assert.deepEqual(tenancy.namespaces, { lab: "lab" });
        assert.ok(tenancy.kubernetesObjects.some((o: Values) => o.name === "lib-tenancy-lab-quota"));
        const teamVms = outputsOf(e, "ironcloud:vms:TeamVms", "lib-lab");
        assert.deepEqual(teamVms.kubernetesObjects.map((o: Values) => `${o.type} ${o.name}`), [`${vmType} lib-lab-build`], "declared under the resource's own name");
        assert.equal(resource(e, vmType, "lib-lab-build").protect, false, "no persistent disk: nothing to protect");
    });

    it("passes dependsOn to every child that creates something, and VMs and disks wait for kubevirtReady and cdiReady", async () => {
        const e = await evaluate(() => {
            const gate = new tls.PrivateKey("gate", { algorithm: "ED25519" });
            const kubevirt = new tls.PrivateKey("kubevirt", { algorithm: "ED25519" });
            const cdi = new tls.PrivateKey("cdi", { algorithm: "ED25519" });
            const args = oneVm("lab", "ironcloud-access", "10.0.0.200");
            new VmService("gated", { ...args, vms: [{ ...args.vms?.[0], disk: "10Gi" } as never], kubevirtReady: [kubevirt], cdiReady: [cdi], kubeconfig: "apiVersion: v1\nkind: Config\n" }, { dependsOn: [gate] });
            return {};
        });
        const children = e.resources.filter((r) => r.custom && r.name.startsWith("gated-"));
        assert.ok(children.length >= 20, `${children.length} children`);
        for (const child of children) assert.ok(dependencyNames(child).includes("gate"), `${child.type} ${child.name} waits for gate`);
        assert.ok(dependencyNames(resource(e, vmType, "gated-lab-build")).includes("kubevirt"));
        assert.ok(dependencyNames(resource(e, dvType, "gated-lab-build-root")).includes("cdi"));
    });
});
