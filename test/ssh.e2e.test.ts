import { strict as assert } from "node:assert";
import { chmodSync, existsSync, readFileSync } from "node:fs";
import { Server } from "node:net";
import * as sshpk from "sshpk";
import { jumpHostNames } from "../components/access/access";
import { knownHostsLines, sshConfigBlock } from "../components/access/clientConfig";
import { passwdFiles } from "../components/access/jumpHostObjects";
import { serialFor, signSshCertificate, SshCertificateRequest } from "../components/access/sshCertificates";
import { containerPaths, jumpSshdConfig } from "../components/access/sshdConfig";
import { ResolvedVm } from "../components/vms/catalog";
import { cloudConfig } from "../components/vms/cloudInit";
import { AccessConfig, access as accessSection, operatingSystem } from "../infra/validation/sections";
import {
    CertificateAuthority, chownIfRoot, CommandResult, countingListener, ed25519Ca, ensurePrivsepDir, FakeUser, isRoot, KeyPair, nssWrapperEnv, parsePasswd, run,
    Sandbox, Sshd, sshKeygen,
} from "./harness/openssh";
import { requireTools } from "./harness/tools";

/**
 * The access path as users get it, with real OpenSSH (Debian: openssh-server, openssh-client,
 * libnss-wrapper): the generated jump host sshd_config, a VM sshd built from the generated
 * cloud-init, and the generated ~/.ssh/config block and known_hosts lines, on loopback only.
 *
 *   ssh client ──► jump sshd 127.0.0.2:2222 ──► VM sshd 127.0.0.3:22 (build.vm, team alpha)
 *                                          └─► 127.0.0.4:22 rogue.vm: host certificate from another CA
 *                                          └─► 127.0.0.5:22 victim.vm: a valid certificate, for evil.vm
 *                                          └─╳ 127.0.0.3:2201 a TCP service on another port
 *
 * Names and the users `jump` and `ubuntu` exist only inside these processes (libnss_wrapper).
 */

const jumpAddress = "127.0.0.2";
const vmAddress = "127.0.0.3";
const rogueAddress = "127.0.0.4";
const victimAddress = "127.0.0.5";
const forbiddenPort = 2201;
const connectTimeout = ["-o", "ConnectTimeout=5"];

const fingerprint = (publicKey: string) => sshpk.parseKey(publicKey, "ssh").fingerprint("sha256").toString();
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

describe("OpenSSH end to end", function () {
    this.timeout(60_000);

    let sandbox: Sandbox;
    const daemons: Sshd[] = [];
    let listener: { server: Server; connections: () => number } | undefined;

    const hostCa = ed25519Ca("ironcloud-host-ca");
    const otherHostCa = ed25519Ca("someone-elses-host-ca");
    const userCa = ed25519Ca("ironcloud-user-ca");
    let env: NodeJS.ProcessEnv;
    let keys: Record<"alice" | "carol" | "mallory" | "dave" | "erin" | "frank" | "grace", KeyPair>;
    let certificates: Record<"carol" | "dave" | "erin" | "frank" | "grace", string>;
    let knownHostsPath: string;
    let knownHosts: string;
    let jumpUser: FakeUser;
    let vmUser: FakeUser;
    let vm: ResolvedVm;
    let jump: Sshd;
    let vmSshd: Sshd;
    let jumpEndpoint: string;

    function resolvedVm(name: string, authorizedKeys: string[], trustedUserCAKeys: string[]): ResolvedVm {
        const osConfig = operatingSystem.parse({ image: "quay.io/containerdisks/ubuntu", versions: ["24.04"], user: "ubuntu", resources: { cpu: "1", memory: "1Gi" } });
        return {
            name, team: "alpha", namespace: "alpha", os: "ubuntu", osConfig, version: "24.04", image: `${osConfig.image}:24.04`, user: osConfig.user, cpu: "1", memory: "1Gi",
            runStrategy: "Always", labels: {}, authorizedKeys, trustedUserCAKeys, volumes: [], hostAliases: [],
            fqdn: `${name}.vm.alpha.svc.cluster.local`, shortName: `${name}.vm`, hostPrincipals: [`${name}.vm`, `${name}.vm.alpha.svc.cluster.local`],
        };
    }

    /**
     * A VM's sshd made from its generated cloud-init, as cloud-init would lay it out, under
     * <sandbox>/<dir> instead of / . Returns the sshd_config path.
     */
    function vmSshdConfig(dir: string, config: Record<string, unknown>, user: FakeUser, address: string): string {
        const root = sandbox.path(dir);
        const relocate = (text: string) => text.replaceAll("/etc/ssh/", `${root}/etc/ssh/`);
        const files = config.write_files as { path: string; permissions: string; content: string }[];
        for (const file of files) {
            assert.ok(file.path.startsWith("/etc/ssh/"), `unexpected write_files path ${file.path}`);
            sandbox.write(`${dir}${file.path}`, relocate(file.content), parseInt(file.permissions, 8));
        }
        // cloud-init's cc_ssh runs after write_files: it writes ssh_keys.ed25519_* to /etc/ssh.
        const sshKeys = config.ssh_keys as Record<string, string>;
        sandbox.write(`${dir}/etc/ssh/ssh_host_ed25519_key`, sshKeys.ed25519_private, 0o600);
        sandbox.write(`${dir}/etc/ssh/ssh_host_ed25519_key.pub`, `${sshKeys.ed25519_public}\n`);
        sandbox.write(`${dir}/etc/ssh/ssh_host_ed25519_key-cert.pub`, `${sshKeys.ed25519_certificate}\n`);
        // ... and users[0].ssh_authorized_keys to ~/.ssh/authorized_keys (home relocated to the sandbox).
        const [login] = config.users as { name: string; ssh_authorized_keys?: string[] }[];
        assert.equal(login.name, user.name);
        sandbox.dir(`${dir}/home/${user.name}/.ssh`, 0o700);
        const authorizedKeys = sandbox.write(`${dir}/home/${user.name}/.ssh/authorized_keys`, (login.ssh_authorized_keys ?? []).map((k) => `${k}\n`).join(""), 0o600);
        for (const path of [sandbox.path(dir, "home", user.name), sandbox.path(dir, "home", user.name, ".ssh"), authorizedKeys]) chownIfRoot(path, user.uid, user.gid);
        return sandbox.write(`${dir}/etc/ssh/sshd_config`, [
            // As Debian's and Ubuntu's /etc/ssh/sshd_config: drop-ins first, so they win. The
            // generated drop-in (HostCertificate, TrustedUserCAKeys, PasswordAuthentication no,
            // KbdInteractiveAuthentication no, PermitRootLogin no) is the file written above.
            `Include ${root}/etc/ssh/sshd_config.d/*.conf`,
            // Test plumbing: sshd's defaults relocated (port 22 and the default host key path), and
            // what a test sshd needs (no PID file, no PAM, and sandbox paths under the world-writable
            // /tmp, which StrictModes would reject). Nothing here grants or denies authentication.
            "Port 22",
            `ListenAddress ${address}`,
            `HostKey ${root}/etc/ssh/ssh_host_ed25519_key`,
            "PidFile none",
            "UsePAM no",
            "StrictModes no",
            // What cloud-init's cc_ssh appends for ssh_keys.ed25519_certificate: the same certificate
            // as the drop-in's HostCertificate, so real VMs load it twice.
            `HostCertificate ${root}/etc/ssh/ssh_host_ed25519_key-cert.pub`,
            "",
        ].join("\n"));
    }

    /**
     * A VM named `name` whose sshd listens on address:22, with a host certificate from `ca`. There
     * is one fake `ubuntu` user, with build's home: rogue and evil never get as far as authentication.
     */
    async function startVm(name: string, address: string, ca: CertificateAuthority, users: { authorizedKeys: string[]; trustedUserCAKeys: string[] }): Promise<Sshd> {
        const machine = resolvedVm(name, users.authorizedKeys, users.trustedUserCAKeys);
        const hostKey = sshKeygen(sandbox, `keys/${name}-host`, `${name}-host`);
        // As components/vms/teamVms.ts signs it.
        const certificate = signSshCertificate({
            caPrivateKey: ca.privateKey, publicKey: hostKey.publicKey, kind: "host", principals: [machine.shortName, machine.fqdn],
            keyId: `vm/${machine.namespace}/${machine.name}`, serial: serialFor(machine.fqdn),
        });
        const config = cloudConfig(machine, { privateKey: hostKey.privateKey, publicKey: hostKey.publicKey, certificate });
        const daemon = await Sshd.start(`vm ${name}`, vmSshdConfig(`vm-${name}`, config, vmUser, address), { env, address, port: 22 });
        daemons.push(daemon);
        return daemon;
    }

    /**
     * The client's config file: optionally the generated block first (ssh takes the first value
     * it finds), then test plumbing: which key, only the generated known_hosts lines, no agent,
     * no prompts. ProxyJump's inner ssh gets the same file (ssh passes -F on).
     */
    function clientConfig(name: string, key: KeyPair, { certificate, generatedBlock }: { certificate?: string; generatedBlock: boolean }): string {
        const certificatePath = certificate ? sandbox.write(`client/${name}-cert.pub`, `${certificate}\n`) : undefined;
        return sandbox.write(`client/${name}.config`, [
            ...(generatedBlock ? [sshConfigBlock({ address: jumpHostNames(access)[0], port: access.port, user: access.user })] : []),
            "# Test plumbing",
            "Host *",
            `    IdentityFile ${key.privatePath}`,
            ...(certificatePath ? [`    CertificateFile ${certificatePath}`] : []),
            "    IdentitiesOnly yes",
            "    IdentityAgent none",
            `    UserKnownHostsFile ${knownHostsPath}`,
            "    GlobalKnownHostsFile /dev/null",
            "    StrictHostKeyChecking yes",
            "    BatchMode yes",
            "    ConnectTimeout 5",
            "    ConnectionAttempts 1",
            "",
        ].join("\n"));
    }

    /** `ssh` with the given config file, ConnectTimeout=5 and a process timeout. */
    function ssh(config: string, ...args: string[]): Promise<CommandResult> {
        return run("ssh", ["-F", config, ...connectTimeout, ...args], env);
    }

    let access: AccessConfig;

    before(async function () {
        requireTools("sshd", "ssh", "ssh-keygen", "libnss_wrapper.so");
        sandbox = new Sandbox("ironcloud-ssh-e2e-");
        ensurePrivsepDir();
        keys = {
            alice: sshKeygen(sandbox, "keys/alice", "alice"), carol: sshKeygen(sandbox, "keys/carol", "carol"), mallory: sshKeygen(sandbox, "keys/mallory", "mallory"),
            dave: sshKeygen(sandbox, "keys/dave", "dave"), erin: sshKeygen(sandbox, "keys/erin", "erin"), frank: sshKeygen(sandbox, "keys/frank", "frank"),
            grace: sshKeygen(sandbox, "keys/grace", "grace"),
        };
        access = accessSection.parse({ loadBalancerIP: jumpAddress, hostnames: ["jump.ironcloud.test"], authorizedKeys: [keys.alice.publicKey], trustedUserCAKeys: [userCa.publicKey] });
        // Users: the jump host's passwd line is generated; the VM user comes from cloud-init.
        const generatedJump = parsePasswd(passwdFiles(access).passwd);
        // The jump user's shell is /bin/false in its image; a real shell here makes ForceCommand,
        // not the shell, what must stop commands on the jump host.
        jumpUser = { ...generatedJump, shell: "/bin/sh", ...(isRoot ? {} : { uid: process.getuid!(), gid: process.getgid!() }) };
        vmUser = { name: "ubuntu", uid: isRoot ? 2300 : process.getuid!(), gid: isRoot ? 2300 : process.getgid!(), gecos: "", home: "", shell: "/bin/bash" };

        // The jump host forwards only for certificates with permit-port-forwarding (as ssh-keygen -s
        // grants by default); signSshCertificate grants no extension unless asked.
        const userCertificate = (who: keyof typeof certificates, principals: string[], options: Partial<SshCertificateRequest> = {}) => signSshCertificate({
            caPrivateKey: userCa.privateKey, publicKey: keys[who].publicKey, kind: "user", principals, keyId: who, serial: serialFor(who),
            extensions: ["permit-port-forwarding", "permit-pty"], ...options,
        });
        certificates = {
            carol: userCertificate("carol", [access.user, "ubuntu"]),
            dave: userCertificate("dave", ["someone-else"]),
            erin: userCertificate("erin", [access.user]),
            frank: userCertificate("frank", [access.user, "ubuntu"], { validAfter: new Date("2020-01-01T00:00:00Z"), validBefore: new Date("2021-01-01T00:00:00Z") }),
            grace: userCertificate("grace", [access.user, "ubuntu"], { extensions: [] }),
        };

        vm = resolvedVm("build", [keys.alice.publicKey], [userCa.publicKey]);
        vmUser.home = sandbox.path("vm-build", "home", vmUser.name);
        assert.equal(vm.user, vmUser.name);
        env = nssWrapperEnv(sandbox, {
            hosts: {
                [jumpAddress]: ["jump.ironcloud.test"],
                [vmAddress]: [vm.shortName, vm.fqdn],
                [rogueAddress]: ["rogue.vm", "rogue.vm.alpha.svc.cluster.local"],
                [victimAddress]: ["victim.vm", "victim.vm.alpha.svc.cluster.local"],
            },
            users: [jumpUser, vmUser],
            clientHome: sandbox.dir("client-home", 0o700),
        });

        // The client trusts exactly the generated lines.
        knownHosts = `${knownHostsLines(hostCa.publicKey, jumpHostNames(access), access.port).join("\n")}\n`;
        knownHostsPath = sandbox.write("client/known_hosts", knownHosts, 0o600);

        // The jump host: generated sshd_config, host certificate and user files, laid out as its pod mounts them.
        const hostKey = sshKeygen(sandbox, "jump/host/ssh_host_ed25519_key", "jump-host");
        const paths = {
            hostKey: hostKey.privatePath,
            hostCertificate: sandbox.write("jump/host/ssh_host_ed25519_key-cert.pub", `${signSshCertificate({
                // As components/access/access.ts signs it.
                caPrivateKey: hostCa.privateKey, publicKey: hostKey.publicKey, kind: "host", principals: jumpHostNames(access), keyId: "jump-host", serial: serialFor("jump-host"),
            })}\n`),
            authorizedKeys: sandbox.write("jump/users/authorized_keys", access.authorizedKeys.map((k) => `${k}\n`).join("")),
            trustedUserCaKeys: sandbox.write("jump/users/trusted_user_ca_keys", access.trustedUserCAKeys.map((k) => `${k}\n`).join("")),
            noopCommand: containerPaths.noopCommand,
        };
        // The Secret mount: root-owned, group fsGroup, defaultMode 0440 (0600 when not root: sshd refuses group-readable keys of its own user).
        chownIfRoot(hostKey.privatePath, 0, access.gid);
        if (isRoot) chmodSync(hostKey.privatePath, 0o440);
        const jumpConfig = sandbox.write("jump/sshd_config", jumpSshdConfig({ port: access.port, user: access.user, listenAddress: jumpAddress, paths }));
        jump = await Sshd.start("jump host", jumpConfig, { env, address: jumpAddress, port: access.port, ...(isRoot ? { uid: jumpUser.uid, gid: jumpUser.gid } : {}) });
        daemons.push(jump);
        jumpEndpoint = `${access.user}@${jumpAddress}:${access.port}`;

        vmSshd = await startVm("build", vmAddress, hostCa, { authorizedKeys: vm.authorizedKeys, trustedUserCAKeys: vm.trustedUserCAKeys });
        // A VM whose host certificate another CA signed, and one with a valid certificate for another name.
        await startVm("rogue", rogueAddress, otherHostCa, { authorizedKeys: [keys.alice.publicKey], trustedUserCAKeys: [] });
        await startVm("evil", victimAddress, hostCa, { authorizedKeys: [keys.alice.publicKey], trustedUserCAKeys: [] });
        listener = await countingListener(vmAddress, forbiddenPort);
    });

    after(async () => {
        await Promise.all(daemons.map((d) => d.stop()));
        if (listener) await new Promise<void>((resolve) => listener!.server.close(() => resolve()));
        sandbox?.remove();
    });

    it("logs in to a VM through the jump host with an authorized key, trusting only the generated known_hosts lines", async () => {
        const config = clientConfig("alice-plain", keys.alice, { generatedBlock: false });
        const accepted = new RegExp(`Accepted publickey for ${access.user} from .* ssh2: ED25519 ${escape(fingerprint(keys.alice.publicKey))}`);
        const before = jump.count(accepted);
        const result = await ssh(config, "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", "-J", jumpEndpoint, `${vm.user}@${vm.shortName}`, "echo ok-from-vm");
        assert.equal(result.stdout, "ok-from-vm\n", result.stderr);
        assert.equal(result.code, 0, result.stderr);
        // Through the jump host, and no host key was learned or prompted for.
        await jump.waitForCount(accepted, before + 1);
        await vmSshd.waitForLog(new RegExp(`Accepted publickey for ${vm.user} from .* ssh2: ED25519 ${escape(fingerprint(keys.alice.publicKey))}`));
        assert.equal(readFileSync(knownHostsPath, "utf8"), knownHosts);
        assert.doesNotMatch(result.stderr, /Permanently added|authenticity/);
    });

    it("logs in with a user certificate (principals jump and the VM user) trusted through TrustedUserCAKeys, the key authorized nowhere", async () => {
        const config = clientConfig("carol", keys.carol, { certificate: certificates.carol, generatedBlock: true });
        const result = await ssh(config, `${vm.user}@${vm.shortName}`, "echo ok-from-vm");
        assert.equal(result.stdout, "ok-from-vm\n", result.stderr);
        assert.equal(result.code, 0, result.stderr);
        await jump.waitForLog(new RegExp(`Accepted publickey for ${access.user} from .* ED25519-CERT ${escape(fingerprint(keys.carol.publicKey))} ID carol \\(serial ${serialFor("carol")}\\) CA ED25519`));
        await vmSshd.waitForLog(new RegExp(`Accepted publickey for ${vm.user} from .* ED25519-CERT ${escape(fingerprint(keys.carol.publicKey))} ID carol \\(serial ${serialFor("carol")}\\) CA ED25519`));
    });

    it("uses the generated ~/.ssh/config block: `ssh ubuntu@build.vm` and the FQDN go through the jump host", async () => {
        const config = clientConfig("alice-generated", keys.alice, { generatedBlock: true });
        assert.match(readFileSync(config, "utf8"), new RegExp(`ProxyJump ${escape(jumpEndpoint)}`));
        const accepted = new RegExp(`Accepted publickey for ${access.user} from .* ${escape(fingerprint(keys.alice.publicKey))}`);
        const before = jump.count(accepted);
        for (const name of [vm.shortName, vm.fqdn]) {
            const result = await ssh(config, `${vm.user}@${name}`, "echo ok-from-vm");
            assert.equal(result.stdout, "ok-from-vm\n", `${name}: ${result.stderr}`);
            assert.equal(result.code, 0, result.stderr);
        }
        await jump.waitForCount(accepted, before + 2);
        assert.equal(readFileSync(knownHostsPath, "utf8"), knownHosts);
    });

    describe("refuses", () => {
        /** ssh through the generated block must fail like this, without running the command. */
        async function refused(config: string, target: string, message: RegExp): Promise<CommandResult> {
            const result = await ssh(config, `${vm.user}@${target}`, "echo ok-from-vm");
            assert.equal(result.stdout, "", result.stderr);
            assert.equal(result.code, 255, result.stderr);
            assert.match(result.stderr, message);
            return result;
        }

        it("an unknown key at the jump host", async () => {
            await refused(clientConfig("mallory", keys.mallory, { generatedBlock: true }), vm.shortName, /Permission denied \(publickey\)/);
            await jump.waitForLog(new RegExp(`Failed publickey for ${access.user} from .* ${escape(fingerprint(keys.mallory.publicKey))}`));
        });

        it("a user certificate without the jump principal, and one without the VM user's", async () => {
            await refused(clientConfig("dave", keys.dave, { certificate: certificates.dave, generatedBlock: true }), vm.shortName, /Permission denied \(publickey\)/);
            await jump.waitForLog(/Certificate invalid: name is not a listed principal/);
            // erin's certificate is good for the jump host only: the VM refuses her.
            await refused(clientConfig("erin", keys.erin, { certificate: certificates.erin, generatedBlock: true }), vm.shortName, /Permission denied \(publickey\)/);
            await jump.waitForLog(new RegExp(`Accepted publickey for ${access.user} from .* ID erin `));
            await vmSshd.waitForLog(/Certificate invalid: name is not a listed principal/);
            assert.doesNotMatch(vmSshd.log, new RegExp(`Accepted publickey for .* ID erin `));
        });

        it("an expired user certificate", async () => {
            await refused(clientConfig("frank", keys.frank, { certificate: certificates.frank, generatedBlock: true }), vm.shortName, /Permission denied \(publickey\)/);
            await jump.waitForLog(/Certificate invalid: expired/);
            assert.doesNotMatch(jump.log, /Accepted publickey for .* ID frank /);
        });

        it("a user certificate without the permit-port-forwarding extension, at the jump host", async () => {
            await refused(clientConfig("grace", keys.grace, { certificate: certificates.grace, generatedBlock: true }), vm.shortName, /administratively prohibited/);
            await jump.waitForLog(new RegExp(`Accepted publickey for ${access.user} from .* ID grace `));
            await jump.waitForLog(new RegExp(`refused local port forward: .* target ${escape(vm.shortName)} port 22`));
            assert.doesNotMatch(vmSshd.log, /ID grace /);
        });

        it("passwords and keyboard-interactive: the jump host and the VM offer only publickey", async () => {
            const config = clientConfig("alice-password", keys.alice, { generatedBlock: true });
            const password = ["-o", "PreferredAuthentications=password,keyboard-interactive", "-o", "BatchMode=yes"];
            const atJump = await ssh(config, ...password, "-p", String(access.port), `${access.user}@${jumpAddress}`, "true");
            assert.equal(atJump.code, 255, atJump.stderr);
            assert.match(atJump.stderr, /Permission denied \(publickey\)\./);
            // Command-line options apply to the VM hop only; the jump hop (inner ssh) uses the key.
            const atVm = await ssh(config, ...password, `${vm.user}@${vm.shortName}`, "true");
            assert.equal(atVm.code, 255, atVm.stderr);
            assert.match(atVm.stderr, /Permission denied \(publickey\)\./);
        });

        it("a shell or command on the jump host (ForceCommand), while the same command runs on the VM", async () => {
            const forced = /Starting session: forced-command \(config\) '\/bin\/false' for jump/;
            const before = jump.count(forced);
            const markers = sandbox.dir("markers", 0o777);
            const config = clientConfig("alice-command", keys.alice, { generatedBlock: true });
            const onJump = await ssh(config, "-p", String(access.port), `${access.user}@${jumpAddress}`, `touch ${markers}/jump; echo ran-on-jump`);
            assert.notEqual(onJump.code, 0, onJump.stderr);
            assert.doesNotMatch(onJump.stdout, /ran-on-jump/);
            assert.equal(existsSync(`${markers}/jump`), false);
            const shell = await ssh(config, "-tt", "-p", String(access.port), `${access.user}@${jumpAddress}`);
            assert.notEqual(shell.code, 0, shell.stderr);
            assert.match(shell.stderr, /PTY allocation request failed/);
            // Both the command and the shell were replaced by the no-op.
            await jump.waitForCount(forced, before + 2);
            // Control: the same user can write there from the VM, so the jump host's refusal is what stopped it.
            const onVm = await ssh(config, `${vm.user}@${vm.shortName}`, `touch ${markers}/vm; echo ran-on-vm`);
            assert.equal(onVm.stdout, "ran-on-vm\n", onVm.stderr);
            assert.equal(existsSync(`${markers}/vm`), true);
        });

        it("forwarding to any port but 22 (PermitOpen *:22) and remote forwarding, while port 22 is forwarded", async () => {
            const config = clientConfig("alice-forward", keys.alice, { generatedBlock: true });
            const jumpArgs = ["-p", String(access.port), `${access.user}@${jumpAddress}`];
            const other = await ssh(config, "-W", `${vmAddress}:${forbiddenPort}`, ...jumpArgs);
            assert.notEqual(other.code, 0);
            assert.match(other.stderr, /administratively prohibited/);
            await jump.waitForLog(new RegExp(`to connect to host ${escape(vmAddress)} port ${forbiddenPort}, but the request was denied`));
            assert.equal(listener!.connections(), 0);
            const byName = await ssh(config, "-W", `${vm.shortName}:${forbiddenPort}`, ...jumpArgs);
            assert.match(byName.stderr, /administratively prohibited/);
            assert.equal(listener!.connections(), 0);
            // Nor remote forwarding (AllowTcpForwarding local, PermitListen none).
            const remote = await ssh(config, "-N", "-o", "ExitOnForwardFailure=yes", "-R", `${jumpAddress}:${forbiddenPort}:${vmAddress}:22`, ...jumpArgs);
            assert.equal(remote.timedOut, false);
            assert.equal(remote.code, 255, remote.stderr);
            assert.match(remote.stderr, /remote port forwarding failed/);
            // Control: port 22 of the same address answers with the VM sshd's banner.
            const ssh22 = await ssh(config, "-W", `${vmAddress}:22`, ...jumpArgs);
            assert.match(ssh22.stdout, /^SSH-2\.0-OpenSSH/);
        });

        it("a VM whose host certificate another CA signed (Host key verification failed)", async () => {
            const result = await refused(clientConfig("alice-rogue", keys.alice, { generatedBlock: true }), "rogue.vm", /Host key verification failed/);
            assert.match(result.stderr, /No ED25519 host key is known for rogue\.vm/);
            assert.equal(readFileSync(knownHostsPath, "utf8"), knownHosts);
        });

        it("a VM presenting a valid certificate issued to another VM's name", async () => {
            const result = await refused(clientConfig("alice-victim", keys.alice, { generatedBlock: true }), "victim.vm", /Host key verification failed/);
            assert.match(result.stderr, /Certificate invalid: name is not a listed principal/);
        });
    });
});
