import { strict as assert } from "node:assert";
import fc from "fast-check";
import { CloudSpec, ConfigError, parseStackConfig } from "../infra/config";
import type { Problem } from "../infra/config";
import * as versions from "../infra/versions";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { storageClass } from "../components/platform/storageObjects";
import { helmChartsPinned } from "../policy/helm/chartsPinned";
import { talosControlPlaneQuorum } from "../policy/talos/controlPlaneQuorum";
import { storageKeepsCopies } from "../policy/talos/storageCopies";
import { workloadImagePinned } from "../policy/workloads/imagePinned";
import { readStackFile } from "../tools/offline/stackFile";
import { clone, rawConfig, stackValues } from "./harness/configs";
import { violationsOf } from "./harness/policy";

/** The sections of a stack config without the `ironcloud:` prefix, free to change in a test. */
type Sections = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Values = Record<string, unknown>;

/**
 * The config values of stacks/Pulumi.<stack>.yaml after `change`, which sees the sections by
 * their short name (`s.cluster`, `s.vms`…); deleting a section removes its key, adding one
 * (`s.clustr = …`) adds `ironcloud:clustr`.
 */
function stack(name: "dev" | "prod", change: (s: Sections) => void = () => undefined): Values {
    const values = clone(stackValues(name));
    const sections: Sections = Object.fromEntries(Object.entries(values).map(([key, value]) => [key.replace(/^ironcloud:/, ""), value]));
    change(sections);
    return Object.fromEntries(Object.entries(sections).filter(([, value]) => value !== undefined).map(([key, value]) => [`ironcloud:${key}`, value]));
}
const prod = (change?: (s: Sections) => void) => stack("prod", change);
const dev = (change?: (s: Sections) => void) => stack("dev", change);

function parse(values: Values, stackName = "test"): CloudSpec {
    return parseStackConfig(stackName, rawConfig(values));
}

/** The problems of a config that must be refused; fails the test when it parses. */
function problemsOf(values: Values): Problem[] {
    try {
        parse(values);
    } catch (error) {
        if (error instanceof ConfigError) return error.problems;
        throw error;
    }
    assert.fail("expected a ConfigError, but the config parsed");
}

/** Every key name replaced by the key it names, and no ironcloud:sshKeys: where tests of names start. */
function withKeysInline(s: Sections): void {
    const keys: Record<string, string> = s.sshKeys ?? {};
    const resolve = (list?: string[]) => list?.map((entry) => keys[entry] ?? entry);
    for (const holder of [s.access, ...(s.vms ?? []), ...(s.fleets ?? [])].filter(Boolean)) {
        holder.authorizedKeys = resolve(holder.authorizedKeys);
        holder.trustedUserCAKeys = resolve(holder.trustedUserCAKeys);
    }
    delete s.sshKeys;
}

/** The problems of a config, none when it parses (for comparing validation with a policy). */
function problemsOrNone(values: Values): Problem[] {
    try {
        parse(values);
        return [];
    } catch (error) {
        if (error instanceof ConfigError) return error.problems;
        throw error;
    }
}

function configErrorOf(values: Values): ConfigError {
    try {
        parse(values);
    } catch (error) {
        if (error instanceof ConfigError) return error;
        throw error;
    }
    assert.fail("expected a ConfigError, but the config parsed");
}

/** Asserts that `problems` contains every one of `expected` (and says what it did contain). */
function assertIncludes(problems: Problem[], ...expected: Problem[]): void {
    for (const problem of expected) {
        assert.ok(
            problems.some((p) => p.path === problem.path && p.message === problem.message),
            `expected ${JSON.stringify(problem)} among:\n${problems.map((p) => `  ${JSON.stringify(p)}`).join("\n")}`,
        );
    }
}

const dnsLabelMessage = "must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit";
const ipMessage = "must be an IPv4 or IPv6 address, e.g. 10.0.0.11";
const cidrMessage = "must be a network in CIDR notation whose address is the network address, e.g. 10.244.0.0/16";
const httpsMessage = "must be an https URL with host and port and no path, e.g. https://10.0.0.10:6443";
const notSshKeyLine = 'is not an OpenSSH public key (expected e.g. "ssh-ed25519 AAAAC3Nz… comment")';
const notSshKeyMessage = `${notSshKeyLine}, or the name of a key in ironcloud:sshKeys`;
const existingCniMessage =
    "must be false for an existing cluster (cluster.kubeconfig): it keeps its own CNI; ironcloud installs Cilium only on Talos clusters it builds";
const talosOnlyMessage = "is for Talos clusters and cannot be combined with cluster.kubeconfig (an existing cluster skips the Talos layer); remove one of them";
const oddControlPlanes = (n: number) =>
    n === 0 ? "needs at least one node with role controlplane (1, 3 or 5 for etcd quorum)" : `has ${n} control-plane nodes; etcd needs an odd number (1, 3 or 5) to keep quorum`;
const drbdMessage =
    "LINSTOR storage needs the DRBD kernel module from the Talos extension: add siderolabs/drbd to ironcloud:cluster.extensions, or set platform.storage.enabled: false";
const vmNoKeysMessage = "needs at least one entry in authorizedKeys or trustedUserCAKeys, or nobody can log in";

const aliceKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIuOSaZXyw0ciifvRRsAnAKYzOihu0M9k6pcpBEjLw49 alice@example.com";
const dsaKey =
    "ssh-dss AAAAB3NzaC1kc3MAAACBANhLg1t8Rrq2oz4CNBLCP8YpnTcOuLT84cYgKwqXmYAetDMhiAO/tc0mmTnweqFoOJuKMipEV4vpvzh8092I0YKBJ/72mkF5qJHp1ZYDvVf726mrHHirx2c/p1RJj0mmw8uGI6722IiGQKw3yamZa3icMhNcTgTqB3UcNbB54p3ZAAAAFQC0HmGYVHoTlqcI+vau/ksTwK0OQQAAAIAJ9N1uWA4zEb6RNn99B9gRHwyfM8Zpq2WPHD00u0+1OKop7LOFRgD7qpA4ACzjuFl8jM2622DKJ3yfosVMJq8rGBc9elr3gm/R1j1hh9aVoW+JlhOl9DRGZVqhlD962oiSCIvg/52P3v5eImISGEu0n4KniwuwJkH5nnc9uAXoaQAAAIB1hwdhYpKzju7NdNCFQNnrInATyKJOZP7/FnLKcnwtsA3Be70fv2Un4PP9yyQf+AgSDwZxByfXxu3hTkaVhsSJpXkjQ75wV3x3Brk5fNMeYxINGRj/ETFujWUDoVFyTLU6GAIRgvSLPviwxu0wicb8oQDMMLsGP393J0xauQktQA== dsa@example.com";
const rsa1024Key =
    "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQCbUmpk+xKdECHR9gBWsbx2eLk4SM+Shm/+VKoG0zoto2XdVhmk0AFt35spD6fyZJkOMBLF3Rnz4cYGP+2IqXKw9Yal95wyZ7W3ReoQcxW4F+3fMHxhLHnH38Cv2E27KNpbJqmMTzXz8+aMDpm7ytUZQVK45XwVTRDlS3JrXIXXIQ== short@example.com";
const rsa2048Key =
    "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCoVx6VkwWN5nncEt+avC+ZtDfCJ1UvUfZIGrrwYThMwASA0/We9Up0IYT/T32YquT0plw6OD/j23XcM2QkmTAS4gQvIkwAmtgD+BYeX3BPouz2lbalIhw3hYshXH9kid4j+rE0Rexb856ejQfLmbl/LXyI4/45sdlwKqvlgjkOCAI2KBXeu46UMNQQu7ThhecTn1xJYADZvbVrUMmCaK9CMF8Kj2X6QITOO+8LgKavvejtbaAe8YZdRFPV7JHJtRX/10AcIMvETpUq/zygCztjgiz/HBiLpq1lV4Ca5rluVNK2c2l18acqr8WfQlx6pDiS34Q50JBXZWI8SDroZjZB r2048@example.com";
const ecdsaKey =
    "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBJOA2aZy34FrRLMBG1kVCUvJ+YbOjnR/uODN3a3Vn3gL6/qdqx10chCuFGXpMHDq0JQV6brGxC6k1c+/57Ph+hY= ec@example.com";

describe("parseStackConfig", () => {
    describe("valid stacks", () => {
        it("parses the dev stack and applies the defaults", () => {
            const spec = parse(dev(), "dev");
            assert.equal(spec.stack, "dev");
            assert.equal(spec.environment, "dev");
            const cluster = spec.cluster;
            assert.equal(cluster.talosVersion, versions.talosVersion);
            assert.equal(cluster.kubernetesVersion, versions.kubernetesVersion);
            assert.equal(cluster.architecture, versions.defaultArchitecture);
            assert.equal(cluster.diskEncryption, "none");
            assert.deepStrictEqual(cluster.network, {
                podSubnets: ["10.244.0.0/16"],
                serviceSubnets: ["10.96.0.0/12"],
                nodeSubnet: "192.168.50.0/24",
                dnsDomain: "cluster.local",
                vipInterface: "eth0",
            });
            assert.deepStrictEqual(cluster.kubelet, {
                systemReserved: { cpu: "500m", memory: "1Gi" },
                kubeReserved: { cpu: "500m", memory: "1Gi" },
                evictionHard: { memoryAvailable: "500Mi", nodefsAvailable: "10%", imagefsAvailable: "15%" },
            });
            assert.deepStrictEqual(cluster.registryMirrors, {});
            assert.deepStrictEqual(cluster.patches, { all: [], controlplane: [], worker: [] });
            assert.deepStrictEqual(cluster.nodes?.[0], { name: "lab-1", address: "192.168.50.11", role: "controlplane", reset: false, labels: {}, taints: [], patches: [] });

            assert.deepStrictEqual(spec.access, {
                image: versions.jumpHostImage,
                port: 2222,
                user: "jump",
                uid: 2222,
                gid: 2222,
                replicas: 2,
                loadBalancerIP: "192.168.50.240",
                hostnames: [],
                authorizedKeys: [aliceKey],
                trustedUserCAKeys: [],
            });
            assert.deepStrictEqual(spec.platform, {
                networking: { enabled: true, hubble: false, encryption: "none" },
                loadBalancerIPs: ["192.168.50.240/28"],
                certManager: { enabled: true },
                storage: { enabled: true, pool: "file-thin", devices: [], replicas: 2, defaultClass: "replicated" },
                virtualization: { enabled: true, provided: false, emulation: true },
                monitoring: { enabled: false },
                extraReleases: [],
                extraObjects: [],
            });
            assert.equal(spec.vms[0].runStrategy, "Always");
            assert.deepStrictEqual(spec.vms[0].volumes, []);
            assert.deepStrictEqual(spec.teams[0].groups, []);
            assert.deepStrictEqual(spec.operatingSystems.debian.nodeSelector, {});
        });

        it("parses the prod stack, keeping what it sets", () => {
            const spec = parse(prod(), "prod");
            assert.equal(spec.environment, "prod");
            assert.equal(spec.cluster.nodes?.length, 7);
            assert.equal(spec.cluster.network.vipInterface, "bond0");
            assert.equal(spec.cluster.diskEncryption, "tpm");
            assert.equal(spec.platform.storage.replicas, 3);
            assert.equal(spec.platform.networking.encryption, "wireguard");
            assert.equal(spec.access.loadBalancerIP, "10.0.0.200");
            // Quantities are normalised to strings whichever way they were written.
            assert.equal(spec.vms[0].cpu, "4");
            assert.equal(spec.teams[0].quota.cpu, "32");
            assert.equal(spec.fleets[0].replicas, 5);
        });

        it("parses an existing cluster (name and kubeconfig only) with no nodes", () => {
            const spec = parse(dev((s) => {
                s.cluster = { name: "lab", kubeconfig: "apiVersion: v1\nkind: Config\n" };
                s.platform.networking = { enabled: false };
            }));
            assert.equal(spec.cluster.kubeconfig, "apiVersion: v1\nkind: Config\n");
            assert.equal(spec.cluster.nodes, undefined);
            assert.equal(spec.cluster.endpoint, undefined);
            assert.equal(spec.cluster.installDisk, undefined);
        });

        it("accepts a config with only environment and cluster when storage needs no disks", () => {
            const spec = parse({
                "ironcloud:environment": "staging",
                "ironcloud:cluster": { name: "small", kubeconfig: "k" },
                "ironcloud:platform": { networking: { enabled: false }, storage: { pool: "file-thin" } },
            });
            assert.deepStrictEqual([spec.teams, spec.vms, spec.fleets, spec.operatingSystems], [[], [], [], {}]);
            assert.equal(spec.access.port, 2222);
        });

        it("ignores keys of other namespaces", () => {
            assert.doesNotThrow(() => parse({ ...prod(), "kubernetes:context": "admin@dc1" }));
        });

        it("accepts ecdsa and 2048-bit RSA keys", () => {
            const spec = parse(prod((s) => {
                s.access.authorizedKeys = [ecdsaKey, rsa2048Key];
            }));
            assert.deepStrictEqual(spec.access.authorizedKeys, [ecdsaKey, rsa2048Key]);
        });
    });

    describe("ConfigError", () => {
        it("lists every problem with its ironcloud: path in the message", () => {
            const error = configErrorOf(prod((s) => {
                s.environment = "prd";
                delete s.cluster.installDisk;
            }));
            assert.equal(error.name, "ConfigError");
            assert.equal(error.problems.length, 8);
            assert.equal(
                error.message,
                "invalid stack config (8 problems):\n" +
                    '  ironcloud:environment: must be one of dev, staging, prod, not "prd"\n' +
                    [0, 1, 2, 3, 4, 5, 6].map((i) => `  ironcloud:cluster.nodes[${i}].installDisk: is required when cluster.installDisk is not set (e.g. /dev/nvme0n1)`).join("\n"),
            );
        });

        it("says 'problem' for one", () => {
            const error = configErrorOf(prod((s) => {
                s.cluster.name = "DC1";
            }));
            assert.equal(error.message, `invalid stack config (1 problem):\n  ironcloud:cluster.name: ${dnsLabelMessage}`);
        });

        it("reports problems in several sections all at once", () => {
            const error = configErrorOf(prod((s) => {
                s.clustr = { name: "typo" };
                s.environment = "prd";
                s.cluster.nodes[1].address = "10.0.0.300";
                s.platform.storage.replicas = 0;
                s.access.authorizedKeys = ["ssh-ed25519 garbage"];
                s.operatingSystems.ubuntu.defaultVersion = "25.04";
                s.teams[1].quota.memory = "lots";
                s.vms[0].os = "ubunto";
                s.fleets[0].replicas = 0;
            }));
            const expected: Problem[] = [
                {
                    path: "clustr",
                    message:
                        "unknown config key; allowed: ironcloud:environment, ironcloud:cluster, ironcloud:platform, ironcloud:mirrors, ironcloud:sshKeys, ironcloud:access, ironcloud:operatingSystems, ironcloud:teams, ironcloud:vms, ironcloud:fleets",
                },
                { path: "environment", message: 'must be one of dev, staging, prod, not "prd"' },
                { path: "cluster.nodes[1].address", message: ipMessage },
                { path: "platform.storage.replicas", message: "must be at least 1" },
                { path: "access.authorizedKeys[0]", message: notSshKeyMessage },
                { path: "teams[1].quota.memory", message: "must be a positive byte quantity such as 8Gi, 512Mi or 40G" },
                { path: "fleets[0].replicas", message: "must be at least 1" },
                { path: "operatingSystems.ubuntu.defaultVersion", message: '"25.04" is not in versions (22.04, 24.04)' },
            ];
            assert.deepStrictEqual(error.problems, expected);
            assert.match(error.message, /^invalid stack config \(8 problems\):\n/);
            for (const { path, message } of expected) assert.ok(error.message.includes(`\n  ironcloud:${path}: ${message}`), `${path} in message`);
        });

        it("runs the cross-section VM rules when the VM sections parse", () => {
            const problems = problemsOf(prod((s) => {
                s.environment = "prd";
                s.vms[0].os = "ubunto";
                s.platform.storage.pool = "zfs-thin";
            }));
            assert.deepStrictEqual(problems, [
                { path: "environment", message: 'must be one of dev, staging, prod, not "prd"' },
                { path: "platform.storage.pool", message: "zfs-thin needs the siderolabs/zfs extension in ironcloud:cluster.extensions; or use lvm-thin" },
                { path: "vms[0].os", message: 'unknown OS "ubunto"; known: ubuntu' },
            ]);
        });
    });

    describe("required sections and unknown keys", () => {
        it("requires environment and cluster", () => {
            assert.deepStrictEqual(
                problemsOf(prod((s) => {
                    delete s.environment;
                    delete s.cluster;
                })),
                [
                    { path: "environment", message: "is required (one of dev, staging, prod)" },
                    {
                        path: "cluster",
                        message: "is required (at least name, and either endpoint, installDisk and nodes for a Talos cluster, or kubeconfig for an existing one)",
                    },
                ],
            );
        });

        it("refuses an unknown top-level key (ironcloud:clustr)", () => {
            assert.deepStrictEqual(
                problemsOf(prod((s) => {
                    s.clustr = clone(s.cluster);
                })),
                [
                    {
                        path: "clustr",
                        message:
                            "unknown config key; allowed: ironcloud:environment, ironcloud:cluster, ironcloud:platform, ironcloud:mirrors, ironcloud:sshKeys, ironcloud:access, ironcloud:operatingSystems, ironcloud:teams, ironcloud:vms, ironcloud:fleets",
                    },
                ],
            );
        });

        it("refuses an unknown key inside cluster (nodse)", () => {
            assert.deepStrictEqual(
                problemsOf(prod((s) => {
                    s.cluster.nodse = s.cluster.nodes;
                    delete s.cluster.nodes;
                })),
                [
                    {
                        path: "cluster.nodse",
                        message:
                            "unknown key; allowed: name, kubeconfig, endpoint, vip, talosVersion, kubernetesVersion, architecture, installDisk, extensions, kernelArgs, imageFactory, diskEncryption, network, allowSchedulingOnControlPlanes, allowReset, clientCertificateRenewalDays, eventsEtcd, registryMirrors, kubelet, certSANs, patches, netboot, nodes",
                    },
                ],
            );
        });

        it("refuses an unknown key inside a node, listing the allowed ones", () => {
            assert.deepStrictEqual(
                problemsOf(prod((s) => {
                    s.cluster.nodes[2].hostname = "cp-3.dc1";
                })),
                [{ path: "cluster.nodes[2].hostname", message: "unknown key; allowed: name, address, role, installDisk, reset, labels, taints, patches, mac, architecture" }],
            );
        });

        it("refuses an unknown key in a nested platform section and in a VM", () => {
            assert.deepStrictEqual(
                problemsOf(prod((s) => {
                    s.platform.storage.replica = 3;
                    s.vms[1].memroy = "8Gi";
                })),
                [
                    { path: "platform.storage.replica", message: "unknown key; allowed: enabled, pool, devices, replicas, defaultClass" },
                    {
                        path: "vms[1].memroy",
                        message:
                            "unknown key; allowed: name, team, os, version, cpu, memory, disk, storageClass, runStrategy, owner, labels, authorizedKeys, trustedUserCAKeys, volumes, hostAliases",
                    },
                ],
            );
        });

        it("reports a missing required field and a wrong type", () => {
            assert.deepStrictEqual(
                problemsOf(prod((s) => {
                    delete s.cluster.nodes[0].address;
                    s.access.port = "2222";
                    s.cluster.allowSchedulingOnControlPlanes = "yes";
                })),
                [
                    { path: "cluster.allowSchedulingOnControlPlanes", message: 'must be a boolean, not "yes"' },
                    { path: "cluster.nodes[0].address", message: "is required" },
                    { path: "access.port", message: 'must be a number, not "2222"' },
                ],
            );
        });
    });

    describe("enums", () => {
        it("refuses environment prd", () => {
            assert.deepStrictEqual(problemsOf(prod((s) => (s.environment = "prd"))), [
                { path: "environment", message: 'must be one of dev, staging, prod, not "prd"' },
            ]);
        });

        it("refuses an unknown node role", () => {
            assert.deepStrictEqual(problemsOf(prod((s) => (s.cluster.nodes[0].role = "master"))), [
                { path: "cluster.nodes[0].role", message: 'must be one of controlplane, worker, not "master"' },
            ]);
        });

        it("refuses an unknown diskEncryption", () => {
            assert.deepStrictEqual(problemsOf(prod((s) => (s.cluster.diskEncryption = "luks"))), [
                { path: "cluster.diskEncryption", message: 'must be one of none, nodeID, tpm, not "luks"' },
            ]);
        });
    });

    describe("DNS-1123 names", () => {
        it("refuses a cluster name that is not a DNS label", () => {
            assert.deepStrictEqual(problemsOf(prod((s) => (s.cluster.name = "DC_1"))), [{ path: "cluster.name", message: dnsLabelMessage }]);
        });

        it("refuses node names that are not DNS labels", () => {
            assert.deepStrictEqual(
                problemsOf(prod((s) => {
                    s.cluster.nodes[0].name = "cp-1.dc1";
                    s.cluster.nodes[4].name = "-worker-2";
                })),
                [
                    { path: "cluster.nodes[0].name", message: dnsLabelMessage },
                    { path: "cluster.nodes[4].name", message: dnsLabelMessage },
                ],
            );
        });

        it("refuses a team name that is not a DNS label", () => {
            assert.deepStrictEqual(problemsOf(prod((s) => (s.teams[0].name = "Alpha"))), [{ path: "teams[0].name", message: dnsLabelMessage }]);
        });

        it("refuses a name longer than 63 characters", () => {
            assert.deepStrictEqual(problemsOf(prod((s) => (s.cluster.name = "a".repeat(64)))), [{ path: "cluster.name", message: "must be at most 63 characters" }]);
            assert.doesNotThrow(() => parse(prod((s) => (s.cluster.name = "a".repeat(63)))));
        });

        it("refuses an OS name that is not a DNS label", () => {
            assert.deepStrictEqual(
                problemsOf(prod((s) => {
                    s.operatingSystems.Ubuntu = s.operatingSystems.ubuntu;
                })),
                [{ path: "operatingSystems.Ubuntu", message: `key "Ubuntu": ${dnsLabelMessage}` }],
            );
        });
    });

    describe("nodes", () => {
        it("refuses duplicate node names", () => {
            assert.deepStrictEqual(problemsOf(prod((s) => (s.cluster.nodes[4].name = "worker-1"))), [
                { path: "cluster.nodes[4].name", message: 'duplicate node name "worker-1" (first used at index 3)' },
            ]);
        });

        it("takes a MAC address in colon or dash form, any case, and keeps it lower-case with colons", () => {
            const spec = parse(prod((s) => {
                s.cluster.nodes[0].mac = "0C:C4:7A:12:34:56";
                s.cluster.nodes[1].mac = "0c-c4-7a-ab-cd-ef";
            }));
            assert.deepEqual(spec.cluster.nodes?.map((n) => n.mac).slice(0, 3), ["0c:c4:7a:12:34:56", "0c:c4:7a:ab:cd:ef", undefined]);
        });

        it("refuses a malformed MAC address, each with its path", () => {
            const macMessage = "must be a MAC address such as 0c:c4:7a:12:34:56 (six hex pairs, all separated by ':' or all by '-')";
            assert.deepStrictEqual(problemsOf(prod((s) => {
                s.cluster.nodes[0].mac = "0c:c4:7a:12:34";
                s.cluster.nodes[1].mac = "0c:c4-7a:12:34:56";
            })), [
                { path: "cluster.nodes[0].mac", message: macMessage },
                { path: "cluster.nodes[1].mac", message: macMessage },
            ]);
        });

        it("refuses one MAC address on two nodes, however it is written", () => {
            assert.deepStrictEqual(problemsOf(prod((s) => {
                s.cluster.nodes[2].mac = "0c:c4:7a:ab:cd:ef";
                s.cluster.nodes[4].mac = "0C-C4-7A-AB-CD-EF";
            })), [
                { path: "cluster.nodes[4].mac", message: 'duplicate node MAC address "0c:c4:7a:ab:cd:ef" (first used by cluster.nodes[2], cp-3); netboot tells nodes apart by MAC' },
            ]);
        });

        it("takes a node's own architecture and the netboot policy; unknown machines are refused unless the stack says otherwise", () => {
            const spec = parse(prod((s) => {
                s.cluster.nodes[3].architecture = "arm64";
                s.cluster.netboot = {};
            }));
            assert.equal(spec.cluster.nodes?.[3].architecture, "arm64");
            assert.equal(spec.cluster.nodes?.[0].architecture, undefined);
            assert.deepEqual(spec.cluster.netboot, { unknownMachines: "refuse" });
            assert.deepStrictEqual(problemsOf(prod((s) => {
                s.cluster.nodes[3].architecture = "riscv64";
                s.cluster.netboot = { unknownMachines: "boot" };
            })), [
                { path: "cluster.netboot.unknownMachines", message: 'must be one of refuse, default, not "boot"' },
                { path: "cluster.nodes[3].architecture", message: 'must be one of amd64, arm64, not "riscv64"' },
            ]);
        });

        it("refuses duplicate node addresses", () => {
            assert.deepStrictEqual(problemsOf(prod((s) => (s.cluster.nodes[1].address = "10.0.0.11"))), [
                { path: "cluster.nodes[1].address", message: 'duplicate node address "10.0.0.11" (first used at index 0)' },
            ]);
        });

        for (const address of ["10.0.0.300", "10.0.12", "10.0.0.12/24", "cp-2.dc1", ""]) {
            it(`refuses the invalid IP address ${JSON.stringify(address)}`, () => {
                assert.deepStrictEqual(problemsOf(prod((s) => (s.cluster.nodes[1].address = address))), [{ path: "cluster.nodes[1].address", message: ipMessage }]);
            });
        }

        it("refuses a node address outside nodeSubnet", () => {
            assert.deepStrictEqual(problemsOf(prod((s) => (s.cluster.nodes[3].address = "10.0.1.21"))), [
                { path: "cluster.nodes[3].address", message: "10.0.1.21 is outside cluster.network.nodeSubnet 10.0.0.0/24" },
            ]);
        });

        it("refuses a node address inside the pod network", () => {
            assert.deepStrictEqual(problemsOf(prod((s) => (s.cluster.nodes[3].address = "10.244.0.21"))), [
                { path: "cluster.nodes[3].address", message: "10.244.0.21 is outside cluster.network.nodeSubnet 10.0.0.0/24" },
                { path: "cluster.nodes[3].address", message: "10.244.0.21 lies inside the pod or service network 10.244.0.0/16" },
            ]);
        });

        it("refuses a node address inside the service network when no nodeSubnet is declared", () => {
            assert.deepStrictEqual(
                problemsOf(prod((s) => {
                    delete s.cluster.network.nodeSubnet;
                    s.cluster.nodes[6].address = "10.100.0.24";
                })),
                [{ path: "cluster.nodes[6].address", message: "10.100.0.24 lies inside the pod or service network 10.96.0.0/12" }],
            );
        });

        it("refuses an even number of control planes (2)", () => {
            assert.deepStrictEqual(
                problemsOf(prod((s) => {
                    s.cluster.nodes.splice(2, 1);
                })),
                [{ path: "cluster.nodes", message: oddControlPlanes(2) }],
            );
        });

        it("refuses an even number of control planes (4)", () => {
            assert.deepStrictEqual(
                problemsOf(prod((s) => {
                    s.cluster.nodes.push({ name: "cp-4", address: "10.0.0.14", role: "controlplane" });
                })),
                [{ path: "cluster.nodes", message: oddControlPlanes(4) }],
            );
        });

        it("refuses a cluster without control planes", () => {
            assert.deepStrictEqual(
                problemsOf(prod((s) => {
                    s.cluster.nodes = s.cluster.nodes.filter((n: Sections) => n.role === "worker");
                })),
                [{ path: "cluster.nodes", message: oddControlPlanes(0) }],
            );
        });

        it("refuses a cluster without workers unless control planes take workloads", () => {
            const onlyControlPlanes = (s: Sections) => {
                s.cluster.nodes = s.cluster.nodes.filter((n: Sections) => n.role === "controlplane");
            };
            assert.deepStrictEqual(problemsOf(prod(onlyControlPlanes)), [
                { path: "cluster.allowSchedulingOnControlPlanes", message: "must be true when the cluster has no worker nodes, or no workload could run" },
            ]);
            assert.doesNotThrow(() =>
                parse(prod((s) => {
                    onlyControlPlanes(s);
                    s.cluster.allowSchedulingOnControlPlanes = true;
                })),
            );
        });

        it("refuses a Talos cluster without nodes or endpoint", () => {
            assert.deepStrictEqual(
                problemsOf(prod((s) => {
                    delete s.cluster.endpoint;
                    s.cluster.nodes = [];
                })),
                [
                    { path: "cluster.endpoint", message: "is required for a Talos cluster (e.g. https://10.0.0.10:6443), or set cluster.kubeconfig to use an existing cluster" },
                    { path: "cluster.nodes", message: "must list at least one node with name, address and role (controlplane or worker)" },
                ],
            );
        });
    });

    describe("installDisk", () => {
        it("is required on every node when the cluster sets none", () => {
            assert.deepStrictEqual(
                problemsOf(prod((s) => delete s.cluster.installDisk)),
                [0, 1, 2, 3, 4, 5, 6].map((i) => ({ path: `cluster.nodes[${i}].installDisk`, message: "is required when cluster.installDisk is not set (e.g. /dev/nvme0n1)" })),
            );
        });

        it("is satisfied by a per-node installDisk on every node", () => {
            const spec = parse(prod((s) => {
                delete s.cluster.installDisk;
                s.cluster.nodes.forEach((n: Sections, i: number) => (n.installDisk = `/dev/disk/by-id/nvme-${i}`));
            }));
            assert.equal(spec.cluster.installDisk, undefined);
            assert.equal(spec.cluster.nodes?.[5].installDisk, "/dev/disk/by-id/nvme-5");
        });

        it("is reported only for the nodes without an override", () => {
            assert.deepStrictEqual(
                problemsOf(prod((s) => {
                    delete s.cluster.installDisk;
                    s.cluster.nodes.forEach((n: Sections, i: number) => {
                        if (i !== 5) n.installDisk = "/dev/sda";
                    });
                })),
                [{ path: "cluster.nodes[5].installDisk", message: "is required when cluster.installDisk is not set (e.g. /dev/nvme0n1)" }],
            );
        });

        it("must be a device path", () => {
            assert.deepStrictEqual(problemsOf(prod((s) => (s.cluster.nodes[0].installDisk = "nvme0n1"))), [
                { path: "cluster.nodes[0].installDisk", message: "must be a device path such as /dev/nvme0n1 or /dev/disk/by-id/…" },
            ]);
        });
    });

    describe("networks", () => {
        it("refuses a CIDR with host bits set", () => {
            assert.deepStrictEqual(problemsOf(prod((s) => (s.cluster.network.nodeSubnet = "10.0.0.1/8"))), [{ path: "cluster.network.nodeSubnet", message: cidrMessage }]);
            assert.deepStrictEqual(problemsOf(prod((s) => (s.cluster.network.podSubnets = ["10.244.0.0/16", "10.245.1.0/16"]))), [
                { path: "cluster.network.podSubnets[1]", message: cidrMessage },
            ]);
        });

        it("refuses an address without prefix as a CIDR", () => {
            assert.deepStrictEqual(problemsOf(prod((s) => (s.cluster.network.serviceSubnets = ["10.96.0.0"]))), [
                { path: "cluster.network.serviceSubnets[0]", message: cidrMessage },
            ]);
        });

        it("refuses overlapping pod and service networks", () => {
            assert.deepStrictEqual(problemsOf(prod((s) => (s.cluster.network.podSubnets = ["10.96.0.0/16"]))), [
                {
                    path: "cluster.network.serviceSubnets[0]",
                    message: "10.96.0.0/12 overlaps cluster.network.podSubnets[0] (10.96.0.0/16); pod, service and node networks must be disjoint",
                },
            ]);
        });

        it("refuses a node network overlapping the service network", () => {
            assert.deepStrictEqual(problemsOf(dev((s) => (s.cluster.network.serviceSubnets = ["192.168.50.64/26"]))), [
                {
                    path: "cluster.network.nodeSubnet",
                    message: "192.168.50.0/24 overlaps cluster.network.serviceSubnets[0] (192.168.50.64/26); pod, service and node networks must be disjoint",
                },
            ]);
        });

        it("refuses a node network overlapping the pod network", () => {
            assert.deepStrictEqual(problemsOf(dev((s) => (s.cluster.network.podSubnets = ["192.168.50.64/26"]))), [
                {
                    path: "cluster.network.nodeSubnet",
                    message: "192.168.50.0/24 overlaps cluster.network.podSubnets[0] (192.168.50.64/26); pod, service and node networks must be disjoint",
                },
            ]);
        });

        it("refuses overlapping pod networks", () => {
            assert.deepStrictEqual(problemsOf(prod((s) => (s.cluster.network.podSubnets = ["10.244.0.0/16", "10.244.128.0/17"]))), [
                {
                    path: "cluster.network.podSubnets[1]",
                    message: "10.244.128.0/17 overlaps cluster.network.podSubnets[0] (10.244.0.0/16); pod, service and node networks must be disjoint",
                },
            ]);
        });

        it("refuses a VIP that is a node's address", () => {
            assert.deepStrictEqual(problemsOf(prod((s) => (s.cluster.vip = "10.0.0.12"))), [
                { path: "cluster.vip", message: "10.0.0.12 is also the address of cluster.nodes[1]; the VIP must be a free address" },
            ]);
        });

        it("refuses a VIP outside nodeSubnet", () => {
            assert.deepStrictEqual(problemsOf(prod((s) => (s.cluster.vip = "10.0.1.10"))), [
                { path: "cluster.vip", message: "10.0.1.10 is outside cluster.network.nodeSubnet 10.0.0.0/24" },
            ]);
        });

        it("refuses an invalid VIP", () => {
            assert.deepStrictEqual(problemsOf(prod((s) => (s.cluster.vip = "10.0.0.10/24"))), [{ path: "cluster.vip", message: ipMessage }]);
        });

        for (const endpoint of ["http://10.0.0.10:6443", "https://10.0.0.10:6443/", "https://10.0.0.10:6443/api", "10.0.0.10:6443", "https://"]) {
            it(`refuses the endpoint ${endpoint}`, () => {
                assert.deepStrictEqual(problemsOf(prod((s) => (s.cluster.endpoint = endpoint))), [{ path: "cluster.endpoint", message: httpsMessage }]);
            });
        }

        it("accepts a DNS name endpoint", () => {
            assert.equal(parse(prod((s) => (s.cluster.endpoint = "https://k8s.dc1.example.com:6443"))).cluster.endpoint, "https://k8s.dc1.example.com:6443");
        });

        it("refuses loadBalancerIPs overlapping the pod network", () => {
            assert.deepStrictEqual(problemsOf(prod((s) => (s.platform.loadBalancerIPs = ["10.0.0.200/29", "10.244.10.0/29"]))), [
                { path: "platform.loadBalancerIPs[1]", message: "10.244.10.0/29 overlaps the pod or service network 10.244.0.0/16" },
            ]);
        });

        it("refuses loadBalancerIPs containing the pod network and the node addresses", () => {
            assert.deepStrictEqual(problemsOf(prod((s) => (s.platform.loadBalancerIPs = ["10.0.0.200/29", "10.0.0.0/8"]))), [
                { path: "platform.loadBalancerIPs[1]", message: "10.0.0.0/8 overlaps the pod or service network 10.244.0.0/16" },
                {
                    path: "platform.loadBalancerIPs[1]",
                    message: "10.0.0.0/8 contains node or VIP addresses (10.0.0.10, 10.0.0.11, 10.0.0.12, 10.0.0.13, 10.0.0.21, 10.0.0.22, 10.0.0.23, 10.0.0.24); LoadBalancer addresses must be free",
                },
            ]);
        });

        it("refuses a loadBalancerIPs pool that holds the VIP", () => {
            assert.deepStrictEqual(problemsOf(prod((s) => (s.platform.loadBalancerIPs = ["10.0.0.8/29", "10.0.0.200/29"]))), [
                { path: "platform.loadBalancerIPs[0]", message: "10.0.0.8/29 contains node or VIP addresses (10.0.0.10, 10.0.0.11, 10.0.0.12, 10.0.0.13); LoadBalancer addresses must be free" },
            ]);
        });

        it("refuses a loadBalancerIPs pool that is not a network address", () => {
            assert.deepStrictEqual(problemsOf(prod((s) => (s.platform.loadBalancerIPs = ["10.0.0.201/29"])))[0], { path: "platform.loadBalancerIPs[0]", message: cidrMessage });
        });
    });

    describe("versions", () => {
        const withVersions = (talosVersion: string, kubernetesVersion: string) =>
            prod((s) => {
                s.cluster.talosVersion = talosVersion;
                s.cluster.kubernetesVersion = kubernetesVersion;
            });

        it("refuses Kubernetes 1.30.0 with Talos v1.13.9 (too old)", () => {
            assert.deepStrictEqual(problemsOf(withVersions("v1.13.9", "1.30.0")), [
                { path: "cluster.kubernetesVersion", message: "Kubernetes 1.30.0 is outside what Talos v1.13.9 supports (1.31.x to 1.36.x)" },
            ]);
        });

        it("refuses Kubernetes 1.37.0 with Talos v1.13.9 (too new)", () => {
            assert.deepStrictEqual(problemsOf(withVersions("v1.13.9", "1.37.0")), [
                { path: "cluster.kubernetesVersion", message: "Kubernetes 1.37.0 is outside what Talos v1.13.9 supports (1.31.x to 1.36.x)" },
            ]);
        });

        it("accepts the oldest and newest supported Kubernetes minors", () => {
            assert.equal(parse(withVersions("v1.13.9", "1.31.0")).cluster.kubernetesVersion, "1.31.0");
            assert.equal(parse(withVersions("v1.13.0", "1.36.9")).cluster.kubernetesVersion, "1.36.9");
        });

        it("refuses an unsupported Talos minor (v1.12.0)", () => {
            assert.deepStrictEqual(problemsOf(withVersions("v1.12.0", "1.33.0")), [
                { path: "cluster.talosVersion", message: "Talos v1.12.0 is not supported by this ironcloud release; supported: v1.13.x" },
            ]);
        });

        it("refuses a Talos version without the leading v", () => {
            assert.deepStrictEqual(problemsOf(withVersions("1.13.9", "1.36.3")), [{ path: "cluster.talosVersion", message: 'must be an exact Talos release such as v1.13.9, not "1.13.9"' }]);
        });

        it("refuses a Kubernetes version with a leading v or without patch", () => {
            assert.deepStrictEqual(problemsOf(withVersions("v1.13.9", "v1.36.3")), [
                { path: "cluster.kubernetesVersion", message: 'must be an exact Kubernetes release such as 1.36.3 (no leading v), not "v1.36.3"' },
            ]);
            assert.deepStrictEqual(problemsOf(withVersions("v1.13.9", "1.36")), [
                { path: "cluster.kubernetesVersion", message: 'must be an exact Kubernetes release such as 1.36.3 (no leading v), not "1.36"' },
            ]);
        });
    });

    describe("existing-cluster mode", () => {
        it("refuses kubeconfig combined with Talos-only keys", () => {
            assert.deepStrictEqual(
                problemsOf(prod((s) => (s.cluster.kubeconfig = "apiVersion: v1\nkind: Config\n"))),
                [
                    ...["nodes", "endpoint", "vip", "installDisk"].map((key) => ({ path: `cluster.${key}`, message: talosOnlyMessage })),
                    { path: "platform.networking.enabled", message: existingCniMessage },
                ],
            );
        });

        it("refuses kubeconfig with only nodes and endpoint", () => {
            assert.deepStrictEqual(
                problemsOf(dev((s) => {
                    s.cluster = { name: "lab", kubeconfig: "k", endpoint: "https://192.168.50.10:6443", nodes: [{ name: "lab-1", address: "192.168.50.11", role: "controlplane" }] };
                })),
                [
                    { path: "cluster.nodes", message: talosOnlyMessage },
                    { path: "cluster.endpoint", message: talosOnlyMessage },
                    { path: "platform.networking.enabled", message: existingCniMessage },
                ],
            );
        });

        it("refuses netboot settings for an existing cluster: it has no Talos nodes to boot", () => {
            assert.deepStrictEqual(
                problemsOf(dev((s) => {
                    s.cluster = { name: "lab", kubeconfig: "k", netboot: { unknownMachines: "default" } };
                    s.platform.networking = { enabled: false };
                })),
                [{ path: "cluster.netboot", message: talosOnlyMessage }],
            );
        });

        it("does not ask an existing cluster for the DRBD extension", () => {
            const spec = parse(prod((s) => {
                s.cluster = { name: "dc1", kubeconfig: "k" };
                s.platform.networking = { enabled: false };
            }));
            assert.deepStrictEqual(spec.cluster.extensions, []);
            assert.equal(spec.platform.storage.enabled, true);
        });
    });

    describe("virtualization provided by an existing cluster", () => {
        const providedTalosMessage =
            "is only allowed for an existing cluster (cluster.kubeconfig): a Talos cluster ironcloud builds has no KubeVirt or CDI unless ironcloud installs them; remove provided (default false)";
        const providedDisabledMessage =
            "says the cluster runs KubeVirt and CDI, but platform.virtualization.enabled is false (no VMs on this cluster); remove one of the two";
        const providedEmulationMessage =
            "configures the KubeVirt ironcloud installs and cannot be combined with platform.virtualization.provided: true; remove it and set spec.configuration.developerConfiguration.useEmulation in the cluster's own KubeVirt CR";

        /** The dev stack on an existing cluster with no platform service of ours but the given virtualization. */
        const existing = (virtualization: Values, change: (s: Sections) => void = () => undefined) => dev((s) => {
            s.cluster = { name: "lab", kubeconfig: "apiVersion: v1\nkind: Config\n" };
            s.platform = { networking: { enabled: false }, certManager: { enabled: false }, storage: { enabled: false }, virtualization };
            change(s);
        });

        it("accepts provided: true on an existing cluster, with VMs and a persistent disk on the cluster's StorageClass", () => {
            const spec = parse(existing({ provided: true }, (s) => { Object.assign(s.vms[0], { disk: "20Gi", storageClass: "standard" }); }));
            assert.deepStrictEqual(spec.platform.virtualization, { enabled: true, provided: true, emulation: false });
            assert.deepStrictEqual([spec.vms[0].disk, spec.vms[0].storageClass], ["20Gi", "standard"]);
        });

        it("defaults to ironcloud installing KubeVirt and CDI", () => {
            assert.equal(parse(prod()).platform.virtualization.provided, false);
        });

        it("refuses provided on a Talos stack, which installs its own KubeVirt", () => {
            assert.deepStrictEqual(problemsOf(prod((s) => { s.platform.virtualization = { provided: true }; })), [
                { path: "platform.virtualization.provided", message: providedTalosMessage },
            ]);
        });

        it("refuses provided together with enabled: false", () => {
            assert.deepStrictEqual(problemsOf(existing({ provided: true, enabled: false }, (s) => { s.vms = []; s.fleets = []; })), [
                { path: "platform.virtualization.provided", message: providedDisabledMessage },
            ]);
        });

        it("refuses emulation, a setting of the KubeVirt ironcloud would install", () => {
            assert.deepStrictEqual(problemsOf(existing({ provided: true, emulation: true })), [
                { path: "platform.virtualization.emulation", message: providedEmulationMessage },
            ]);
        });

        it("reports every conflict at once, each with its path", () => {
            assert.deepStrictEqual(problemsOf(dev((s) => { s.platform.virtualization = { provided: true, enabled: false, emulation: true }; })), [
                { path: "platform.virtualization.provided", message: providedTalosMessage },
                { path: "platform.virtualization.provided", message: providedDisabledMessage },
                { path: "platform.virtualization.emulation", message: providedEmulationMessage },
                { path: "platform.virtualization.enabled", message: "must be true while ironcloud:vms or ironcloud:fleets declare VMs" },
            ]);
        });

        it("says what is allowed for a wrong type or a misspelt key", () => {
            assert.deepStrictEqual(problemsOf(existing({ provided: "yes", provide: true })), [
                { path: "platform.virtualization.provided", message: 'must be a boolean, not "yes"' },
                { path: "platform.virtualization.provide", message: "unknown key; allowed: enabled, provided, emulation" },
            ]);
        });

        it("still needs a StorageClass for persistent disks while platform.storage is off", () => {
            assert.deepStrictEqual(problemsOf(existing({ provided: true }, (s) => { s.vms[0].disk = "20Gi"; })), [
                { path: "vms[0].storageClass", message: "is required for disk when platform.storage is off (name an existing StorageClass)" },
            ]);
        });
    });

    describe("storage", () => {
        it("refuses storage without the siderolabs/drbd extension", () => {
            assert.deepStrictEqual(problemsOf(prod((s) => (s.cluster.extensions = ["siderolabs/intel-ucode"]))), [{ path: "platform.storage.enabled", message: drbdMessage }]);
            assert.doesNotThrow(() =>
                parse(prod((s) => {
                    s.cluster.extensions = ["siderolabs/intel-ucode"];
                    s.platform.storage.enabled = false;
                    s.vms.forEach((vm: Sections) => (vm.storageClass = "local-path"));
                })),
            );
        });

        it("refuses zfs-thin without siderolabs/zfs", () => {
            assert.deepStrictEqual(problemsOf(prod((s) => (s.platform.storage.pool = "zfs-thin"))), [
                { path: "platform.storage.pool", message: "zfs-thin needs the siderolabs/zfs extension in ironcloud:cluster.extensions; or use lvm-thin" },
            ]);
            assert.doesNotThrow(() =>
                parse(prod((s) => {
                    s.platform.storage.pool = "zfs-thin";
                    s.cluster.extensions.push("siderolabs/zfs");
                })),
            );
        });

        it("refuses lvm-thin without devices", () => {
            assert.deepStrictEqual(problemsOf(prod((s) => delete s.platform.storage.devices)), [
                { path: "platform.storage.devices", message: "must list at least one disk (e.g. /dev/sdb) for the lvm-thin pool, or use pool: file-thin for a lab" },
            ]);
        });

        it("refuses more replicas than storage-capable nodes", () => {
            assert.deepStrictEqual(problemsOf(prod((s) => (s.platform.storage.replicas = 5))), [
                { path: "platform.storage.replicas", message: "is 5, but only 4 nodes can hold replicas; use at most 4" },
            ]);
            // dev: control planes take workloads, so its three control planes count.
            assert.deepStrictEqual(problemsOf(dev((s) => (s.platform.storage.replicas = 4))), [
                { path: "platform.storage.replicas", message: "is 4, but only 3 nodes can hold replicas; use at most 3" },
            ]);
            assert.equal(parse(prod((s) => (s.platform.storage.replicas = 4))).platform.storage.replicas, 4);
        });

        it("refuses more than 5 replicas", () => {
            // Only the first problem is asserted: a platform section that does not parse currently
            // also yields follow-on problems from rules that read it (see the report on accessProblems).
            assert.deepStrictEqual(problemsOf(prod((s) => (s.platform.storage.replicas = 6)))[0], { path: "platform.storage.replicas", message: "must be at most 5" });
        });

        it("refuses an unknown pool", () => {
            assert.deepStrictEqual(problemsOf(prod((s) => (s.platform.storage.pool = "ceph")))[0], {
                path: "platform.storage.pool",
                message: 'must be one of lvm-thin, zfs-thin, file-thin, not "ceph"',
            });
        });
    });

    describe("access", () => {
        it("refuses access.loadBalancerIP outside the pools", () => {
            assert.deepStrictEqual(problemsOf(prod((s) => (s.access.loadBalancerIP = "10.0.0.100"))), [
                { path: "access.loadBalancerIP", message: "10.0.0.100 is not inside any of platform.loadBalancerIPs (10.0.0.200/29)" },
            ]);
            assert.deepStrictEqual(problemsOf(prod((s) => (s.platform.loadBalancerIPs = []))), [
                { path: "access.loadBalancerIP", message: "10.0.0.200 is not inside any of platform.loadBalancerIPs (none declared)" },
            ]);
        });

        it("requires keys or CAs while VMs exist", () => {
            assert.deepStrictEqual(problemsOf(dev((s) => delete s.access.authorizedKeys)), [
                { path: "access", message: "needs at least one entry in authorizedKeys or trustedUserCAKeys, or nobody can pass the jump host to reach the VMs" },
            ]);
            assert.doesNotThrow(() =>
                parse(dev((s) => {
                    delete s.access;
                    delete s.vms;
                    delete s.fleets;
                })),
            );
        });

        it("refuses ports outside 1-65535", () => {
            assert.deepStrictEqual(problemsOf(prod((s) => (s.access.port = 70000))), [{ path: "access.port", message: "must be at most 65535" }]);
            assert.deepStrictEqual(problemsOf(prod((s) => (s.access.port = 0))), [{ path: "access.port", message: "must be at least 1" }]);
        });
    });

    describe("SSH keys", () => {
        it("refuses a line that is not a public key", () => {
            assert.deepStrictEqual(
                problemsOf(prod((s) => {
                    s.vms[1].authorizedKeys = ["ssh-ed25519 not-base64 bob@example.com"];
                    s.access.trustedUserCAKeys.push("-----BEGIN OPENSSH PRIVATE KEY-----");
                })),
                [
                    { path: "access.trustedUserCAKeys[1]", message: notSshKeyMessage },
                    { path: "vms[1].authorizedKeys[0]", message: notSshKeyMessage },
                ],
            );
        });

        it("refuses DSA keys", () => {
            assert.deepStrictEqual(problemsOf(prod((s) => s.access.authorizedKeys.push(dsaKey))), [
                { path: "access.authorizedKeys[1]", message: "DSA keys are refused by OpenSSH 9; use ed25519, ecdsa or rsa" },
            ]);
        });

        it("puts the key declared in sshKeys in place of its name, in the jump host, VMs and fleets", () => {
            const spec = parse(dev((s) => {
                withKeysInline(s);
                s.sshKeys = { alice: aliceKey, "ops-ca": ecdsaKey };
                s.access.authorizedKeys = ["alice"];
                s.access.trustedUserCAKeys = ["ops-ca"];
                s.vms[0].authorizedKeys = ["alice", rsa2048Key];
                s.fleets[0].trustedUserCAKeys = ["ops-ca"];
            }));
            assert.deepStrictEqual(spec.access.authorizedKeys, [aliceKey]);
            assert.deepStrictEqual(spec.access.trustedUserCAKeys, [ecdsaKey]);
            assert.deepStrictEqual(spec.vms[0].authorizedKeys, [aliceKey, rsa2048Key]);
            assert.deepStrictEqual(spec.fleets[0].trustedUserCAKeys, [ecdsaKey]);
            assert.equal("sshKeys" in spec, false);
        });

        it("refuses a name that sshKeys does not declare, at its own path, with the names declared", () => {
            assert.deepStrictEqual(problemsOf(dev((s) => {
                withKeysInline(s);
                s.sshKeys = { alice: aliceKey };
                s.access.authorizedKeys = ["alice", "bob"];
                s.fleets[0].trustedUserCAKeys = ["ops-ca"];
            })), [
                { path: "access.authorizedKeys[1]", message: "names no key in ironcloud:sshKeys (declared: alice)" },
                { path: "fleets[0].trustedUserCAKeys[0]", message: "names no key in ironcloud:sshKeys (declared: alice)" },
            ]);
            assert.deepStrictEqual(problemsOf(dev((s) => {
                withKeysInline(s);
                s.vms[0].authorizedKeys = ["alice"];
            })), [
                { path: "vms[0].authorizedKeys[0]", message: "names no key in ironcloud:sshKeys (declared: none)" },
            ]);
        });

        it("refuses sshKeys entries that are not public keys, or whose name is not a DNS label", () => {
            assert.deepStrictEqual(problemsOf(prod((s) => (s.sshKeys = { alice: "alice", Bob: aliceKey }))), [
                { path: "sshKeys.alice", message: notSshKeyLine },
                { path: "sshKeys.Bob", message: 'key "Bob": must be a DNS-1123 label: lower-case letters, digits and \'-\', starting and ending with a letter or digit' },
            ]);
        });

        it("refuses RSA keys shorter than 2048 bits", () => {
            assert.deepStrictEqual(problemsOf(prod((s) => (s.fleets[0].authorizedKeys = [rsa1024Key]))), [
                { path: "fleets[0].authorizedKeys[0]", message: "RSA key of 1024 bits is too short; use at least 2048 bits (3072 or more recommended), or ed25519" },
            ]);
        });
    });

    describe("operating systems", () => {
        it("refuses a defaultVersion that is not in versions", () => {
            assert.deepStrictEqual(problemsOf(prod((s) => (s.operatingSystems.ubuntu.defaultVersion = "25.04"))), [
                { path: "operatingSystems.ubuntu.defaultVersion", message: '"25.04" is not in versions (22.04, 24.04)' },
            ]);
        });

        it("refuses an OS without versions, and duplicate versions", () => {
            assert.deepStrictEqual(
                problemsOf(dev((s) => {
                    s.operatingSystems.debian.versions = [];
                    s.operatingSystems.ubuntu.versions = ["22.04", "24.04", "22.04"];
                })),
                [
                    { path: "operatingSystems.ubuntu.versions[2]", message: 'duplicate entry "22.04"' },
                    { path: "operatingSystems.debian.versions", message: "must not be empty" },
                ],
            );
        });

        it("refuses bad default resources", () => {
            assert.deepStrictEqual(problemsOf(prod((s) => (s.operatingSystems.ubuntu.resources = { cpu: "2 cores", memory: "4Gi" }))), [
                { path: "operatingSystems.ubuntu.resources.cpu", message: "must be a positive CPU quantity such as 2, 0.5 or 500m" },
            ]);
        });
    });

    describe("teams", () => {
        it("refuses duplicate team names", () => {
            assert.deepStrictEqual(problemsOf(prod((s) => (s.teams[1].name = "alpha"))), [
                { path: "teams[1].name", message: 'duplicate team name "alpha" (first used at index 0)' },
                { path: "vms[1].team", message: 'unknown team "beta"; declared: alpha, alpha' },
            ]);
        });
    });

    describe("VMs and fleets", () => {
        it("refuses an unknown team", () => {
            assert.deepStrictEqual(problemsOf(prod((s) => (s.vms[0].team = "gamma"))), [{ path: "vms[0].team", message: 'unknown team "gamma"; declared: alpha, beta' }]);
            assert.deepStrictEqual(problemsOf(dev((s) => (s.fleets[0].team = "ops"))), [{ path: "fleets[0].team", message: 'unknown team "ops"; declared: lab' }]);
        });

        it("refuses an unknown OS, listing the known ones", () => {
            assert.deepStrictEqual(problemsOf(dev((s) => (s.vms[0].os = "ubunto"))), [{ path: "vms[0].os", message: 'unknown OS "ubunto"; known: ubuntu, debian' }]);
        });

        it("refuses a version the OS does not have", () => {
            assert.deepStrictEqual(problemsOf(prod((s) => (s.vms[0].version = "20.04"))), [
                { path: "vms[0].version", message: '"20.04" is not a version of ubuntu; allowed: 22.04, 24.04' },
            ]);
            assert.deepStrictEqual(problemsOf(dev((s) => (s.fleets[0].version = "11"))), [{ path: "fleets[0].version", message: '"11" is not a version of debian; allowed: 12' }]);
        });

        it("refuses duplicate VM names within a team, but not across teams", () => {
            assert.deepStrictEqual(
                problemsOf(prod((s) => {
                    s.vms.push({ ...clone(s.vms[0]), cpu: 1, memory: "1Gi" });
                })),
                [{ path: "vms[2].name", message: 'VM "build" already exists in team "alpha" (declared at vms[0])' }],
            );
            assert.doesNotThrow(() => parse(prod((s) => (s.vms[1].name = "build"))));
        });

        it("refuses a fleet whose <fleet>-<i> names clash with a VM", () => {
            assert.deepStrictEqual(
                problemsOf(prod((s) => {
                    s.vms.push({ name: "ci-3", team: "alpha", os: "ubuntu", cpu: 1, memory: "1Gi", authorizedKeys: [aliceKey] });
                })),
                [{ path: "fleets[0].name", message: 'VM "ci-3" already exists in team "alpha" (declared at vms[2])' }],
            );
            // ci-5 is past the fleet's last replica (ci-0 … ci-4).
            assert.doesNotThrow(() =>
                parse(prod((s) => {
                    s.vms.push({ name: "ci-5", team: "alpha", os: "ubuntu", cpu: 1, memory: "1Gi", authorizedKeys: [aliceKey] });
                })),
            );
        });

        it("refuses fleet replica names longer than 63 characters", () => {
            const name = "f".repeat(62);
            assert.deepStrictEqual(
                problemsOf(prod((s) => {
                    s.fleets[0].name = name;
                    s.fleets[0].replicas = 1;
                })),
                [{ path: "fleets[0].name", message: `VM name "${name}-0" is longer than 63 characters` }],
            );
        });

        it("refuses a VM or fleet without keys or CAs", () => {
            assert.deepStrictEqual(
                problemsOf(prod((s) => {
                    delete s.vms[0].trustedUserCAKeys;
                    s.fleets[0].trustedUserCAKeys = [];
                })),
                [
                    { path: "vms[0]", message: vmNoKeysMessage },
                    { path: "fleets[0]", message: vmNoKeysMessage },
                ],
            );
        });

        it("refuses bad cpu and memory quantities", () => {
            assert.deepStrictEqual(
                problemsOf(prod((s) => {
                    s.vms[0].cpu = "two";
                    s.vms[0].memory = "8GB";
                    s.vms[1].cpu = 0;
                    s.vms[1].memory = true;
                    s.fleets[0].cpu = "-1";
                    s.fleets[0].memory = "0Gi";
                })),
                [
                    { path: "vms[0].cpu", message: "must be a positive CPU quantity such as 2, 0.5 or 500m" },
                    { path: "vms[0].memory", message: "must be a positive byte quantity such as 8Gi, 512Mi or 40G" },
                    { path: "vms[1].cpu", message: "must be a positive CPU quantity such as 2, 0.5 or 500m" },
                    { path: "vms[1].memory", message: "must be a number or a string, not true" },
                    { path: "fleets[0].cpu", message: "must be a positive CPU quantity such as 2, 0.5 or 500m" },
                    { path: "fleets[0].memory", message: "must be a positive byte quantity such as 8Gi, 512Mi or 40G" },
                ],
            );
        });

        it("accepts millicores, decimal cores and decimal byte suffixes", () => {
            const spec = parse(prod((s) => {
                s.vms[0].cpu = "500m";
                s.vms[0].memory = "8G";
                s.vms[1].cpu = 1.5;
            }));
            assert.deepStrictEqual([spec.vms[0].cpu, spec.vms[0].memory, spec.vms[1].cpu], ["500m", "8G", "1.5"]);
        });

        it("refuses a team's VMs above the CPU quota, counting fleet replicas", () => {
            // alpha: build 4 + ci 5 × 6 = 34 CPUs against 32 (without replicas it would be 10).
            assert.deepStrictEqual(problemsOf(prod((s) => (s.fleets[0].cpu = 6))), [
                { path: "teams[0].quota.cpu", message: 'VMs of team "alpha" request 34 CPUs in total, more than the quota of 32' },
            ]);
            assert.doesNotThrow(() =>
                parse(prod((s) => {
                    s.fleets[0].cpu = 6;
                    s.teams[0].quota.cpu = 34;
                })),
            );
        });

        it("counts the OS default CPU for VMs that set none", () => {
            // beta: db 4 + 7 × ubuntu's default 2 = 18 CPUs against 16.
            assert.deepStrictEqual(
                problemsOf(prod((s) => {
                    s.fleets.push({ name: "web", team: "beta", os: "ubuntu", replicas: 7, memory: "1Gi", authorizedKeys: [aliceKey] });
                })),
                [{ path: "teams[1].quota.cpu", message: 'VMs of team "beta" request 18 CPUs in total, more than the quota of 16' }],
            );
        });

        it("refuses a team's VMs above the memory quota, counting the OS default memory", () => {
            // beta: db 16Gi + 13 × ubuntu's default 4Gi = 68Gi against 64Gi; CPU 4 + 13 × 0.5 = 10.5.
            assert.deepStrictEqual(
                problemsOf(prod((s) => {
                    s.fleets.push({ name: "web", team: "beta", os: "ubuntu", replicas: 13, cpu: "500m", authorizedKeys: [aliceKey] });
                })),
                [{ path: "teams[1].quota.memory", message: 'VMs of team "beta" request 68Gi of memory in total, more than the quota of 64Gi' }],
            );
            assert.doesNotThrow(() =>
                parse(prod((s) => {
                    s.fleets.push({ name: "web", team: "beta", os: "ubuntu", replicas: 12, cpu: "500m", authorizedKeys: [aliceKey] });
                })),
            );
        });

        it("refuses a team's disks and volumes above its storage quota, as team-quota-fits does", () => {
            // beta: db's disk 100Gi + a 30Gi volume on each of 3 fleet VMs with 10Gi disks = 220Gi against 200Gi.
            const values = prod((s) => {
                s.teams[1].quota.storage = "200Gi";
                s.fleets.push({ name: "web", team: "beta", os: "ubuntu", replicas: 3, cpu: "500m", memory: "1Gi", disk: "10Gi", volumes: [{ name: "data", size: "30Gi" }], authorizedKeys: [aliceKey] });
            });
            assert.deepStrictEqual(problemsOf(values), [
                { path: "teams[1].quota.storage", message: 'VMs of team "beta" request 220Gi of disk in total, more than the quota of 200Gi' },
            ]);
            assert.doesNotThrow(() => parse(prod((s) => {
                s.teams[1].quota.storage = "220Gi";
                s.fleets.push({ name: "web", team: "beta", os: "ubuntu", replicas: 3, cpu: "500m", memory: "1Gi", disk: "10Gi", volumes: [{ name: "data", size: "30Gi" }], authorizedKeys: [aliceKey] });
            })));
        });

        it("requires a storageClass for disks when storage is off", () => {
            assert.deepStrictEqual(
                problemsOf(prod((s) => {
                    s.platform.storage.enabled = false;
                    s.vms[1].volumes = [{ name: "data", size: "200Gi" }];
                })),
                [
                    { path: "vms[0].storageClass", message: "is required for disk when platform.storage is off (name an existing StorageClass)" },
                    { path: "vms[1].storageClass", message: "is required for disk, volumes[0] when platform.storage is off (name an existing StorageClass)" },
                ],
            );
            assert.doesNotThrow(() =>
                parse(prod((s) => {
                    s.platform.storage.enabled = false;
                    s.vms[0].storageClass = "local-path";
                    s.vms[1].storageClass = "local-path";
                })),
            );
        });

        it("refuses an unknown runStrategy and a bad host alias", () => {
            assert.deepStrictEqual(
                problemsOf(prod((s) => {
                    s.vms[0].runStrategy = "Once";
                    s.vms[1].hostAliases = [{ ip: "db.internal", hostnames: ["db"] }];
                })),
                [
                    { path: "vms[0].runStrategy", message: 'must be one of Always, RerunOnFailure, Manual, Halted, not "Once"' },
                    { path: "vms[1].hostAliases[0].ip", message: ipMessage },
                ],
            );
        });
    });

    describe("properties", () => {
        const dnsLabel = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);

        it("accepts any DNS-1123 label as a node name", () => {
            const taken = new Set(["cp-2", "cp-3", "worker-1", "worker-2", "worker-3", "worker-4"]);
            fc.assert(
                fc.property(
                    dnsLabel.filter((name) => !taken.has(name)),
                    (name) => {
                        const spec = parse(prod((s) => (s.cluster.nodes[0].name = name)));
                        assert.equal(spec.cluster.nodes?.[0].name, name);
                    },
                ),
                { numRuns: 100 },
            );
        });

        it("refuses any node name with a character outside [a-z0-9-]", () => {
            const bad = fc.constantFrom("_", "A", "Z", ".", " ", "/", "é", ":");
            fc.assert(
                fc.property(fc.string({ unit: fc.constantFrom(..."abc019-"), maxLength: 30 }), bad, fc.string({ unit: fc.constantFrom(..."xyz2-"), maxLength: 30 }), (head, char, tail) => {
                    const name = `a${head}${char}${tail}z`;
                    assert.deepStrictEqual(problemsOf(prod((s) => (s.cluster.nodes[0].name = name))), [{ path: "cluster.nodes[0].name", message: dnsLabelMessage }]);
                }),
                { numRuns: 100 },
            );
        });

        it("refuses any two-node set with an even number of control planes", () => {
            fc.assert(
                fc.property(
                    fc.constantFrom("controlplane", "worker"),
                    fc.uniqueArray(fc.integer({ min: 11, max: 199 }), { minLength: 2, maxLength: 2 }),
                    fc.boolean(),
                    (role, [a, b], allowScheduling) => {
                        const problems = problemsOf(prod((s) => {
                            s.cluster.allowSchedulingOnControlPlanes = allowScheduling;
                            s.cluster.nodes = [
                                { name: "n1", address: `10.0.0.${a}`, role },
                                { name: "n2", address: `10.0.0.${b}`, role },
                            ];
                        }));
                        assertIncludes(problems, { path: "cluster.nodes", message: oddControlPlanes(role === "controlplane" ? 2 : 0) });
                    },
                ),
                { numRuns: 100 },
            );
        });

        it("accepts 3 or 5 control planes (prod) with workers on distinct addresses", () => {
            const layout = fc
                .tuple(fc.constantFrom(3, 5), fc.integer({ min: 2, max: 4 }))
                .chain(([controlPlanes, workers]) =>
                    fc.uniqueArray(fc.integer({ min: 11, max: 199 }), { minLength: controlPlanes + workers, maxLength: controlPlanes + workers }).map((hosts) => ({ controlPlanes, hosts })),
                );
            fc.assert(
                fc.property(layout, ({ controlPlanes, hosts }) => {
                    const spec = parse(prod((s) => {
                        s.platform.storage.replicas = 2;
                        s.cluster.nodes = hosts.map((host, i) => ({ name: `n${i}`, address: `10.0.0.${host}`, role: i < controlPlanes ? "controlplane" : "worker" }));
                    }));
                    assert.equal(spec.cluster.nodes?.length, hosts.length);
                }),
                { numRuns: 100 },
            );
        });

        it("accepts a CIDR exactly when its host bits are zero", () => {
            fc.assert(
                fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 16, max: 32 }), (third, fourth, prefix) => {
                    const pool = `172.16.${third}.${fourth}/${prefix}`;
                    const host = (third << 8) | fourth;
                    const mask = prefix === 32 ? 0xffff : (0xffff << (32 - prefix)) & 0xffff;
                    const values = dev((s) => (s.platform.loadBalancerIPs = [pool, "192.168.50.240/28"]));
                    if ((host & mask) === host) assert.deepStrictEqual(parse(values).platform.loadBalancerIPs, [pool, "192.168.50.240/28"]);
                    else assert.deepStrictEqual(problemsOf(values), [{ path: "platform.loadBalancerIPs[0]", message: cidrMessage }]);
                }),
                { numRuns: 100 },
            );
        });

        it("refuses a fleet exactly when replicas × cpu exceed the team's CPU quota", () => {
            fc.assert(
                fc.property(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 8 }), (quota, replicas, cpu) => {
                    const values = dev((s) => {
                        s.teams = [{ name: "lab", quota: { cpu: quota, memory: "1Ti" } }];
                        delete s.vms;
                        s.fleets[0].replicas = replicas;
                        s.fleets[0].cpu = cpu;
                    });
                    if (replicas * cpu <= quota) assert.doesNotThrow(() => parse(values));
                    else
                        assert.deepStrictEqual(problemsOf(values), [
                            { path: "teams[0].quota.cpu", message: `VMs of team "lab" request ${replicas * cpu} CPUs in total, more than the quota of ${quota}` },
                        ]);
                }),
                { numRuns: 100 },
            );
        });
    });

    describe("VM service rules", () => {
        it("refuses a team named after a namespace the platform uses", () => {
            assert.deepStrictEqual(problemsOf(prod((s) => {
                s.teams[1].name = "monitoring";
                s.vms[1].team = "monitoring";
            })), [{
                path: "teams[1].name",
                message: '"monitoring" is a namespace the platform uses; reserved: default, kube-system, kube-public, kube-node-lease, cert-manager, piraeus-datastore, kubevirt, cdi, monitoring, ironcloud-access, kube-*',
            }]);
            assert.equal(problemsOf(prod((s) => { s.teams[1].name = "kube-team"; s.vms[1].team = "kube-team"; }))[0].path, "teams[1].name");
        });

        it("needs the jump host's address while VMs exist, because its certificate names it", () => {
            assert.deepStrictEqual(problemsOf(prod((s) => { delete s.access.loadBalancerIP; })), [{
                path: "access.loadBalancerIP",
                message: "is required while VMs exist (or set access.hostnames): the jump host's certificate names the address clients connect to",
            }]);
            assert.doesNotThrow(() => parse(prod((s) => { delete s.access.loadBalancerIP; s.access.hostnames = ["jump.dc1.example.com"]; })));
            assert.doesNotThrow(() => parse(prod((s) => { delete s.access.loadBalancerIP; s.vms = []; s.fleets = []; })));
        });

        it("needs virtualization while VMs exist", () => {
            assert.deepStrictEqual(problemsOf(prod((s) => { s.platform.virtualization = { enabled: false }; })), [{
                path: "platform.virtualization.enabled",
                message: "must be true while ironcloud:vms or ironcloud:fleets declare VMs",
            }]);
        });

        it("needs cert-manager while LINSTOR storage is on", () => {
            assert.deepStrictEqual(problemsOf(prod((s) => { s.platform.certManager = { enabled: false }; })), [{
                path: "platform.certManager.enabled",
                message: "must be true while platform.storage is on: LINSTOR takes its TLS certificates from cert-manager",
            }]);
        });
    });
    describe("config that passes validation but fails, or harms, later", () => {
        describe("names that become object names are unique", () => {
            const vm = (name: string, extra: Record<string, unknown> = {}) => ({ name, team: "alpha", os: "ubuntu", cpu: 1, memory: "1Gi", authorizedKeys: [aliceKey], ...extra });

            it("refuses two volumes of one VM with one name, and the names of the VM's own disks", () => {
                assert.deepStrictEqual(problemsOf(prod((s) => (s.vms[0].volumes = [{ name: "data", size: "10Gi" }, { name: "logs", size: "1Gi" }, { name: "data", size: "20Gi" }]))), [
                    { path: "vms[0].volumes[2].name", message: 'duplicate volume name "data" (first used at index 0); each volume is a disk of the VM and a DataVolume named <vm>-<volume>' },
                ]);
                const builtIn = "must not be root or cloudinit: the VM's own disks use those names";
                assert.deepStrictEqual(problemsOf(prod((s) => (s.vms[0].volumes = [{ name: "root", size: "1Gi" }, { name: "cloudinit", size: "1Gi" }]))), [
                    { path: "vms[0].volumes[0].name", message: builtIn },
                    { path: "vms[0].volumes[1].name", message: builtIn },
                ]);
            });

            it("refuses a volume whose DataVolume is another VM's root disk, and fleet members' volumes likewise", () => {
                assert.deepStrictEqual(problemsOf(prod((s) => s.vms.push(vm("a-b", { disk: "1Gi" }), vm("a", { volumes: [{ name: "b-root", size: "1Gi" }] })))), [
                    { path: "vms[3].volumes[0].name", message: 'volume "b-root" of VM "a" would be the DataVolume "a-b-root" in team "alpha", which is already the root disk of VM "a-b" (vms[2]); rename the VM or the volume' },
                ]);
                // ci-0 … ci-4 each get ci-<i>-data; a VM "ci" with volume "0-data" takes ci-0's.
                assert.deepStrictEqual(problemsOf(prod((s) => {
                    s.fleets[0].volumes = [{ name: "data", size: "1Gi" }];
                    s.vms.push(vm("ci", { volumes: [{ name: "0-data", size: "1Gi" }] }));
                })), [
                    { path: "fleets[0].volumes[0].name", message: 'volume "data" of VM "ci-0" would be the DataVolume "ci-0-data" in team "alpha", which is already volume "0-data" of VM "ci" (vms[2]); rename the VM or the volume' },
                ]);
            });

            it("refuses VMs of two teams whose Pulumi resource names (<team>-<object>) clash", () => {
                assert.deepStrictEqual(problemsOf(prod((s) => {
                    s.teams.push({ name: "alpha-x", quota: { cpu: 4, memory: "8Gi" } });
                    s.vms.push(vm("x-y"), { ...vm("y"), team: "alpha-x" });
                })), [
                    { path: "vms[3].name", message: 'VM "y" of team "alpha-x" and VM "x-y" of team "alpha" (vms[2]) would both be the VirtualMachine resource "alpha-x-y" (resources are named <team>-<object>); rename one of them' },
                ]);
                assert.doesNotThrow(() => parse(prod((s) => {
                    s.teams.push({ name: "alpha-x", quota: { cpu: 4, memory: "8Gi" } });
                    s.vms.push(vm("x-z"), { ...vm("y"), team: "alpha-x" });
                })));
            });

            it("refuses repeated extra releases, extra objects, storage devices, taints and team members", () => {
                const problems = problemsOf(prod((s) => {
                    s.platform.extraReleases = [
                        { name: "cnpg", namespace: "cnpg-system", chart: "cloudnative-pg", version: "0.26.1" },
                        { name: "cnpg", namespace: "other", chart: "cloudnative-pg", version: "0.26.1" },
                    ];
                    s.platform.extraObjects = [
                        { apiVersion: "autoscaling/v1", kind: "HorizontalPodAutoscaler", metadata: { name: "web", namespace: "alpha" } },
                        { apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", metadata: { name: "web", namespace: "alpha" } },
                        { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "b-c", namespace: "a" } },
                        { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "a-b" } },
                    ];
                    s.platform.storage.devices = ["/dev/nvme1n1", "/dev/nvme2n1", "/dev/nvme1n1"];
                    s.cluster.nodes[3].taints = [{ key: "dedicated", value: "db", effect: "NoSchedule" }, { key: "dedicated", value: "ci", effect: "NoSchedule" }, { key: "dedicated", effect: "NoExecute" }];
                    s.teams[0].users = ["alice", "alice"];
                    s.teams[0].groups = ["team-alpha", "team-alpha"];
                }));
                assert.deepStrictEqual(problems, [
                    { path: "cluster.nodes[3].taints[1]", message: 'duplicate taint "dedicated:NoSchedule" (first used at index 0); Kubernetes allows one taint per key and effect' },
                    { path: "platform.storage.devices[2]", message: 'duplicate entry "/dev/nvme1n1"' },
                    { path: "platform.extraReleases[1].name", message: 'duplicate release name "cnpg" (first used at index 0); each release is one Pulumi resource named after it (and one Helm release per name and namespace)' },
                    { path: "platform.extraObjects[1].metadata", message: 'duplicate object "horizontalpodautoscaler-alpha-web" (first used at index 0); the Pulumi resource is named <kind>-<namespace>-<name>, so kind, namespace and name together must differ' },
                    { path: "platform.extraObjects[3].metadata", message: 'duplicate object "configmap-a-b-c" (first used at index 2); the Pulumi resource is named <kind>-<namespace>-<name>, so kind, namespace and name together must differ' },
                    { path: "teams[0].users[1]", message: 'duplicate entry "alice"' },
                    { path: "teams[0].groups[1]", message: 'duplicate entry "team-alpha"' },
                ]);
            });
        });

        describe("versions are exact at validation time", () => {
            const release = (version: string) => prod((s) => (s.platform.extraReleases = [{ name: "cnpg", namespace: "cnpg-system", chart: "cloudnative-pg", version, repository: "https://cloudnative-pg.github.io/charts" }]));

            it("refuses an extra release's version that is latest, a range or a pre-release", () => {
                for (const version of ["latest", "^1.0", "~0.26", ">=0.26.0", "0.26", "0.27.0-rc.1", "*"]) {
                    assert.deepStrictEqual(problemsOf(release(version)), [
                        { path: "platform.extraReleases[0].version", message: `must be an exact chart version such as 1.2.3 (no range, latest or pre-release), not "${version}"` },
                    ], version);
                }
                assert.equal(parse(release("0.26.1")).platform.extraReleases[0].version, "0.26.1");
                assert.equal(parse(release("v0.26.1")).platform.extraReleases[0].version, "v0.26.1");
            });

            it("refuses a jump host image without a tag or tagged latest, and an OS version latest", () => {
                assert.deepStrictEqual(problemsOf(prod((s) => (s.access.image = "quay.io/panubo/sshd:latest"))), [
                    { path: "access.image", message: 'image "quay.io/panubo/sshd:latest" uses the latest tag; pin a released version tag or a digest' },
                ]);
                assert.deepStrictEqual(problemsOf(prod((s) => (s.access.image = "registry.dc1.example.com:5000/panubo/sshd"))), [
                    { path: "access.image", message: 'image "registry.dc1.example.com:5000/panubo/sshd" has no tag and pulls latest; pin a released version tag or a digest' },
                ]);
                assert.deepStrictEqual(problemsOf(prod((s) => (s.operatingSystems.ubuntu.versions = ["24.04", "latest"]))), [
                    { path: "operatingSystems.ubuntu.versions[1]", message: "must be a released image tag such as 24.04, not latest (which moves)" },
                ]);
                assert.equal(parse(prod((s) => (s.access.image = `quay.io/panubo/sshd@sha256:${"a".repeat(64)}`))).access.image, `quay.io/panubo/sshd@sha256:${"a".repeat(64)}`);
                assert.equal(parse(prod((s) => (s.access.image = "registry.dc1.example.com:5000/panubo/sshd:1.10.0"))).access.image, "registry.dc1.example.com:5000/panubo/sshd:1.10.0");
            });

            it("refuses exactly the chart versions and images the policy gate refuses", async () => {
                for (const version of ["1.2.3", "v1.2.3", "latest", "^1.2", "1.2", "1.2.3-beta.1", "1.2.3+build"]) {
                    const refused = problemsOrNone(release(version)).length > 0;
                    const violated = (await violationsOf(helmChartsPinned, [{ type: "kubernetes:helm.sh/v3:Release", name: "r", props: { chart: "c", version } }])).length > 0;
                    assert.equal(refused, violated, version);
                }
                for (const image of ["quay.io/panubo/sshd:1.10.0", "quay.io/panubo/sshd", "quay.io/panubo/sshd:latest", "quay.io/panubo/sshd:LATEST", `quay.io/panubo/sshd:latest@sha256:${"b".repeat(64)}`]) {
                    const refused = problemsOrNone(prod((s) => (s.access.image = image))).length > 0;
                    const deployment = { type: "kubernetes:apps/v1:Deployment", name: "d", props: { metadata: { name: "d", namespace: "x" }, spec: { template: { spec: { containers: [{ name: "c", image }] } } } } };
                    const violated = (await violationsOf(workloadImagePinned, [deployment])).length > 0;
                    assert.equal(refused, violated, image);
                }
            });
        });

        describe("validation and policies agree", () => {
            const withControlPlanes = (environment: "dev" | "prod", count: number) => stack(environment, (s) => {
                const subnet = (s.cluster.nodes[0].address as string).replace(/\.\d+$/, "");
                s.cluster.nodes = [
                    ...Array.from({ length: count }, (_, i) => ({ name: `cp-${i}`, address: `${subnet}.${11 + i}`, role: "controlplane" })),
                    ...Array.from({ length: 4 }, (_, i) => ({ name: `worker-${i}`, address: `${subnet}.${31 + i}`, role: "worker" })),
                ];
                if (environment === "dev") s.platform.storage.replicas = 1;
            });

            it("refuses seven control planes in prod (3 or 5), accepts them in dev", () => {
                assert.deepStrictEqual(problemsOf(withControlPlanes("prod", 7)), [
                    { path: "cluster.nodes", message: "has 7 control-plane nodes; prod needs 3 or 5: every etcd write waits for a majority, so more members slow the cluster (5 already survives two losses)" },
                ]);
                assert.equal(parse(withControlPlanes("dev", 7)).cluster.nodes?.length, 11);
            });

            it("refuses a control-plane count exactly when talos-control-plane-quorum does", async () => {
                for (const environment of ["dev", "prod"] as const) {
                    for (let count = 1; count <= 9; count++) {
                        const refused = problemsOrNone(withControlPlanes(environment, count)).some((p) => p.path === "cluster.nodes");
                        const cluster = { type: "ironcloud:talos:TalosCluster", name: "dc1", props: { controlPlanes: count } };
                        const violated = (await violationsOf(talosControlPlaneQuorum, [cluster], { environment })).length > 0;
                        assert.equal(refused, violated, `${environment}: ${count} control planes`);
                    }
                }
            });
        });

        describe("production keeps copies of data", () => {
            const copiesMessage = "is 1: the replicated StorageClass keeps 1 copy of each volume; prod needs at least 2, so losing one node or disk loses no data; use 2 or more (at most the nodes that run workloads)";

            it("refuses storage.replicas 1 in prod and says why; accepts it in dev and with storage off", () => {
                assert.deepStrictEqual(problemsOf(prod((s) => (s.platform.storage.replicas = 1))), [{ path: "platform.storage.replicas", message: copiesMessage }]);
                assert.equal(parse(prod((s) => (s.platform.storage.replicas = 2))).platform.storage.replicas, 2);
                assert.equal(parse(dev((s) => (s.platform.storage.replicas = 1))).platform.storage.replicas, 1);
                assert.doesNotThrow(() => parse(prod((s) => {
                    s.platform.storage = { enabled: false, replicas: 1 };
                    s.vms.forEach((v: Sections) => (v.storageClass = "ceph"));
                })));
            });

            it("refuses a replica count exactly when storage-keeps-copies refuses the replicated class it becomes", async () => {
                for (const environment of ["dev", "prod"] as const) {
                    for (const replicas of [1, 2, 3]) {
                        const refused = problemsOrNone(stack(environment, (s) => (s.platform.storage.replicas = replicas))).some((p) => p.path === "platform.storage.replicas");
                        const props = storageClass({ name: "replicated", isDefault: true, placementCount: replicas });
                        const violated = (await violationsOf(storageKeepsCopies, [{ type: "kubernetes:storage.k8s.io/v1:StorageClass", name: "dc1-storage-replicated", props }], { environment })).length > 0;
                        assert.equal(refused, violated, `${environment}: ${replicas} replicas`);
                    }
                }
            });
        });

        describe("stack files as the Pulumi CLI reads them", () => {
            const dir = mkdtempSync(join(tmpdir(), "ironcloud-stackfile-"));
            /** The dev stack as a file, its first VM carrying `labels` written as given (YAML flow). */
            const devStackFile = (name: string, labelsYaml: string, header = "") => {
                const values = stackValues("dev") as Sections;
                values["ironcloud:vms"][0].labels = { placeholder: "x" };
                const lines = Object.entries(values).map(([key, value]) => `  ${key}: ${JSON.stringify(value).replace('{"placeholder":"x"}', labelsYaml)}`);
                const path = join(dir, `Pulumi.${name}.yaml`);
                writeFileSync(path, `${header}config:\n${lines.join("\n")}\n`);
                return path;
            };

            it("accepts more than 100 aliases, as the CLI does (go-yaml has no fixed alias count)", () => {
                const labels = `{ a0: &v web, ${Array.from({ length: 150 }, (_, i) => `a${i + 1}: *v`).join(", ")} }`;
                const { config } = readStackFile(devStackFile("aliases", labels));
                const spec = parseStackConfig("aliases", config.values);
                assert.equal(Object.keys(spec.vms[0].labels).length, 151);
                assert.equal(spec.vms[0].labels.a150, "web");
            });

            it("reads YAML 1.1 merge keys (<<) as the CLI does", () => {
                const path = devStackFile("merge", "{ <<: *base, tier: web }", "base: &base { zone: a, team: alpha }\n");
                const spec = parseStackConfig("merge", readStackFile(path).config.values);
                assert.deepStrictEqual(spec.vms[0].labels, { zone: "a", team: "alpha", tier: "web" });
            });

            it("refuses what the CLI refuses, naming the file and the limit", () => {
                // Each level repeats the previous one ten times: 10^7 strings from a few hundred bytes.
                const levels = ["l0: &l0 [x, x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 7 }, (_, i) => `l${i + 1}: &l${i + 1} [${Array(10).fill(`*l${i}`).join(", ")}]`)];
                const bomb = devStackFile("bomb", "{}", `${levels.join("\n")}\n`);
                assert.throws(() => readStackFile(bomb), (error: Error) => {
                    assert.match(error.message, new RegExp(`^${bomb.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: the Pulumi CLI would refuse this stack file \\(go-yaml: "document contains excessive aliasing"\\): \\d+ of its first \\d+ decoded nodes come from aliases, over the allowed 99% \\(the limit applies beyond 100 aliased nodes and 1000 decoded nodes\\)`));
                    return true;
                });
                const looped = devStackFile("loop", "{}", "a: &a [x, *a]\n");
                assert.throws(() => readStackFile(looped), (error: Error) => error.message === `${looped}: the Pulumi CLI would refuse this stack file (go-yaml): anchor 'a' value contains itself`);
                const repeated = devStackFile("repeated", "{}", "base: 1\nbase: 2\n");
                assert.throws(() => readStackFile(repeated), /Pulumi\.repeated\.yaml: not valid YAML as the Pulumi CLI reads it: Map keys must be unique/);
            });
        });
    });
});
