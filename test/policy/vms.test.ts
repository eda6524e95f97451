import { strict as assert } from "node:assert";
import { stringify } from "yaml";
import { vmDisksProtected } from "../../policy/vms/disksProtected";
import { vmLabels } from "../../policy/vms/labels";
import { vmLoginConfigured } from "../../policy/vms/loginConfigured";
import { vmNoPasswordAuth } from "../../policy/vms/noPasswordAuth";
import { vmResources } from "../../policy/vms/resources";
import { vmRunStrategy } from "../../policy/vms/runStrategy";
import { FixtureResource, violationsOf } from "../harness/policy";

const hostKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nSECRET-HOST-KEY-MATERIAL\n-----END OPENSSH PRIVATE KEY-----\n";
const userKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIuOSaZXyw0ciifvRRsAnAKYzOihu0M9k6pcpBEjLw49 alice@example.com";
const dropIn = "HostCertificate /etc/ssh/ssh_host_ed25519_key-cert.pub\nTrustedUserCAKeys /etc/ssh/ironcloud_user_ca_keys.pub\nPasswordAuthentication no\n";

/** The shape components/vms/cloudInit.ts renders, with overrides. */
function cloudConfig(overrides: Record<string, unknown> = {}, user: Record<string, unknown> = {}) {
    return {
        hostname: "build",
        ssh_pwauth: false,
        ssh_keys: { ed25519_private: hostKey },
        users: [{ name: "ubuntu", lock_passwd: true, ssh_authorized_keys: [userKey], ...user }],
        write_files: [{ path: "/etc/ssh/sshd_config.d/10-ironcloud.conf", content: dropIn }],
        ...overrides,
    };
}
const cloudInitSecret = (config: unknown, name = "build-cloud-init"): FixtureResource => ({
    type: "kubernetes:core/v1:Secret",
    name: `alpha-${name}`,
    props: { metadata: { name, namespace: "alpha" }, stringData: { userdata: `#cloud-config\n${stringify(config)}` } },
});
const otherSecret: FixtureResource = { type: "kubernetes:core/v1:Secret", name: "jump-host-key", props: { metadata: { name: "jump-host-key", namespace: "ironcloud-access" }, stringData: { ssh_host_ed25519_key: hostKey } } };

const vm = (spec: Record<string, unknown> = {}, labels: Record<string, string> = { "ironcloud.dev/team": "alpha", "ironcloud.dev/owner": "alice" }, requests: Record<string, unknown> = { cpu: "4", memory: "8Gi" }): FixtureResource => ({
    type: "kubernetes:kubevirt.io/v1:VirtualMachine",
    name: "alpha-build",
    props: {
        apiVersion: "kubevirt.io/v1",
        kind: "VirtualMachine",
        metadata: { name: "build", namespace: "alpha", labels },
        spec: { runStrategy: "Always", template: { spec: { domain: { resources: { requests } } } }, ...spec },
    },
});
const dataVolume = (protect: boolean): FixtureResource => ({
    type: "kubernetes:cdi.kubevirt.io/v1beta1:DataVolume",
    name: "alpha-build-root",
    protect,
    props: { metadata: { name: "build-root", namespace: "alpha" }, spec: { storage: { resources: { requests: { storage: "40Gi" } } } } },
});
const prod = { environment: "prod" };

describe("policies: VMs", () => {
    it("vm-resources: CPU and memory requests as valid quantities", async () => {
        assert.deepEqual(await violationsOf(vmResources, [vm(), vm({}, undefined, { cpu: "500m", memory: "512Mi" })]), []);
        assert.deepEqual(await violationsOf(vmResources, [vm({}, undefined, {})]), [
            "alpha-build: VirtualMachine alpha/build requests no CPU; set spec.template.spec.domain.resources.requests.cpu.",
            "alpha-build: VirtualMachine alpha/build requests no memory; set spec.template.spec.domain.resources.requests.memory.",
        ]);
        assert.deepEqual(await violationsOf(vmResources, [vm({}, undefined, { cpu: "lots", memory: "8 GB" })]), [
            'alpha-build: VirtualMachine alpha/build requests CPU "lots", which is not a positive CPU quantity such as 2 or 500m.',
            'alpha-build: VirtualMachine alpha/build requests memory "8 GB", which is not a positive byte quantity such as 4Gi.',
        ]);
        assert.deepEqual(await violationsOf(vmResources, [dataVolume(false)]), []);
    });

    it("vm-no-password-auth: no ssh_pwauth, passwords or unlocked passwords, and never the secret in a message", async () => {
        assert.deepEqual(await violationsOf(vmNoPasswordAuth, [cloudInitSecret(cloudConfig())]), []);
        const bad = cloudInitSecret(cloudConfig(
            { ssh_pwauth: true, chpasswd: { expire: false, users: [{ name: "ubuntu", password: "hunter2" }] }, password: "hunter2" },
            { lock_passwd: false, plain_text_passwd: "hunter2", hashed_passwd: "$6$salt$hunter2hash", passwd: "$6$salt$hunter2hash" },
        ));
        const violations = await violationsOf(vmNoPasswordAuth, [bad]);
        assert.deepEqual(violations, [
            "alpha-build-cloud-init: Secret alpha/build-cloud-init: cloud-init sets ssh_pwauth to true; set ssh_pwauth: false.",
            "alpha-build-cloud-init: Secret alpha/build-cloud-init: cloud-init sets password; remove it and log in with keys or certificates.",
            "alpha-build-cloud-init: Secret alpha/build-cloud-init: cloud-init sets chpasswd; remove it and log in with keys or certificates.",
            "alpha-build-cloud-init: Secret alpha/build-cloud-init: cloud-init user ubuntu sets passwd; remove it and log in with keys or certificates.",
            "alpha-build-cloud-init: Secret alpha/build-cloud-init: cloud-init user ubuntu sets plain_text_passwd; remove it and log in with keys or certificates.",
            "alpha-build-cloud-init: Secret alpha/build-cloud-init: cloud-init user ubuntu sets hashed_passwd; remove it and log in with keys or certificates.",
            "alpha-build-cloud-init: Secret alpha/build-cloud-init: cloud-init user ubuntu sets lock_passwd: false; set lock_passwd: true.",
        ]);
        for (const message of violations) assert.ok(!/hunter2|SECRET-HOST-KEY|PRIVATE KEY/.test(message), message);
        assert.deepEqual(await violationsOf(vmNoPasswordAuth, [cloudInitSecret(cloudConfig({ write_files: [{ path: "/etc/ssh/sshd_config.d/50-cloud-init.conf", content: "PasswordAuthentication yes\n" }] }))]), [
            "alpha-build-cloud-init: Secret alpha/build-cloud-init: cloud-init writes /etc/ssh/sshd_config.d/50-cloud-init.conf with PasswordAuthentication yes; set it to no.",
        ]);
    });

    it("vm-no-password-auth: unparseable user-data is reported without its content; other Secrets are not applicable", async () => {
        const broken: FixtureResource = { ...cloudInitSecret({}), props: { metadata: { name: "build-cloud-init", namespace: "alpha" }, stringData: { userdata: "#cloud-config\nusers: [\n  password: SECRET-HOST-KEY-MATERIAL" } } };
        assert.deepEqual(await violationsOf(vmNoPasswordAuth, [broken]), [
            "alpha-build-cloud-init: Secret alpha/build-cloud-init: cloud-init user-data is not a valid YAML cloud-config; fix the user-data so it can be checked.",
        ]);
        const shellScript: FixtureResource = { ...otherSecret, props: { stringData: { userdata: "#!/bin/sh\necho 'ubuntu:hunter2' | chpasswd" } } };
        assert.deepEqual(await violationsOf(vmNoPasswordAuth, [otherSecret, shellScript, vm()]), []);
    });

    it("vm-login-configured: an authorized key or a drop-in that trusts a user CA", async () => {
        const caOnly = cloudConfig({}, { ssh_authorized_keys: undefined });
        assert.deepEqual(await violationsOf(vmLoginConfigured, [cloudInitSecret(cloudConfig()), cloudInitSecret(caOnly)]), []);
        assert.deepEqual(await violationsOf(vmLoginConfigured, [cloudInitSecret(cloudConfig({ ssh_authorized_keys: [userKey], write_files: [] }, { ssh_authorized_keys: [] }))]), []);
        const none = cloudConfig({ write_files: [{ path: "/etc/ssh/sshd_config.d/10-ironcloud.conf", content: "PasswordAuthentication no\n" }] }, { ssh_authorized_keys: [] });
        const violations = await violationsOf(vmLoginConfigured, [cloudInitSecret(none)]);
        assert.deepEqual(violations, [
            "alpha-build-cloud-init: Secret alpha/build-cloud-init: cloud-init gives no user an authorized SSH key and sshd trusts no user CA; set authorizedKeys or trustedUserCAKeys for the VM.",
        ]);
        const caElsewhere = cloudConfig({ write_files: [{ path: "/etc/motd", content: dropIn }] }, { ssh_authorized_keys: [] });
        assert.equal((await violationsOf(vmLoginConfigured, [cloudInitSecret(caElsewhere)])).length, 1, "TrustedUserCAKeys only counts in an sshd config file");
        assert.deepEqual(await violationsOf(vmLoginConfigured, [otherSecret, vm()]), []);
    });

    it("vm-disks-protected: DataVolumes are protected in prod; not applicable elsewhere", async () => {
        assert.deepEqual(await violationsOf(vmDisksProtected, [dataVolume(true)], prod), []);
        assert.deepEqual(await violationsOf(vmDisksProtected, [dataVolume(false)], prod), [
            "alpha-build-root: DataVolume alpha/build-root is not protected; set protect: true so the disk cannot be deleted by an update.",
        ]);
        assert.deepEqual(await violationsOf(vmDisksProtected, [dataVolume(false)], { environment: "dev" }), []);
        assert.deepEqual(await violationsOf(vmDisksProtected, [dataVolume(false)], { environment: "staging" }), []);
        assert.deepEqual(await violationsOf(vmDisksProtected, [vm()], prod), [], "a VM without dataVolumeTemplates holds no disk");
        assert.deepEqual(await violationsOf(vmDisksProtected, [vm({ dataVolumeTemplates: [{ metadata: { name: "build-root" } }] })], prod), [
            "alpha-build: VirtualMachine alpha/build owns dataVolumeTemplates but is not protected; set protect: true or move the disks to protected DataVolumes.",
        ]);
        assert.deepEqual(await violationsOf(vmDisksProtected, [otherSecret], prod), []);
    });

    it("vm-run-strategy: runStrategy set and known; the deprecated running absent", async () => {
        assert.deepEqual(await violationsOf(vmRunStrategy, [vm(), vm({ runStrategy: "Halted" })]), []);
        assert.deepEqual(await violationsOf(vmRunStrategy, [vm({ runStrategy: undefined, running: true })]), [
            "alpha-build: VirtualMachine alpha/build sets the deprecated spec.running; remove it and set spec.runStrategy.",
            "alpha-build: VirtualMachine alpha/build sets no spec.runStrategy; set one of Always, RerunOnFailure, Manual, Halted, Once, WaitAsReceiver.",
        ]);
        assert.deepEqual(await violationsOf(vmRunStrategy, [vm({ runStrategy: "Sometimes" })]), [
            'alpha-build: VirtualMachine alpha/build has unknown runStrategy "Sometimes"; use one of Always, RerunOnFailure, Manual, Halted, Once, WaitAsReceiver.',
        ]);
        assert.deepEqual(await violationsOf(vmRunStrategy, [dataVolume(false)]), []);
    });

    it("vm-labels: team and owner labels", async () => {
        assert.deepEqual(await violationsOf(vmLabels, [vm()]), []);
        assert.deepEqual(await violationsOf(vmLabels, [vm({}, { "ironcloud.dev/team": "alpha" })]), [
            "alpha-build: VirtualMachine alpha/build has no ironcloud.dev/owner label; set owner on the VM or its fleet.",
        ]);
        assert.deepEqual(await violationsOf(vmLabels, [vm({}, {})]), [
            "alpha-build: VirtualMachine alpha/build has no ironcloud.dev/team or ironcloud.dev/owner label; set team and owner on the VM or its fleet.",
        ]);
        assert.deepEqual(await violationsOf(vmLabels, [dataVolume(false)]), []);
    });

    it("honours named exemptions from the policy config, and only those", async () => {
        const exempt = { ...prod, exemptions: [{ resource: "alpha-scratch-*", reason: "scratch disks, rebuilt nightly" }] };
        assert.deepEqual(await violationsOf(vmDisksProtected, [{ ...dataVolume(false), name: "alpha-scratch-0" }], exempt), []);
        assert.equal((await violationsOf(vmDisksProtected, [dataVolume(false)], exempt)).length, 1);
    });
});
