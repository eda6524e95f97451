import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { repoRoot } from "./harness/program";
import { debianPackageOf, findOnPath, missingTools, missingToolsMessage, requiredGoVersion } from "./harness/tools";

/**
 * tools/prerequisites.sh, run on a made-up machine: a copy of the script in a sandbox checkout,
 * with dpkg-query, id, go and apt-get replaced by fakes on PATH that read and record files of the
 * sandbox. So every path (all there, a user missing things, root installing) runs for real here,
 * and nothing touches this machine's packages or its /usr/sbin/policy-rc.d (DPKG_ROOT points at
 * the sandbox).
 */

const script = join(repoRoot, "tools", "prerequisites.sh");
const allPackages = spawnSync("bash", [script, "--list"], { encoding: "utf8" }).stdout.trim().split("\n");

const fakes: Record<string, string> = {
    // `dpkg-query -W -f=… PACKAGE`: installed unless listed in state/missing.
    "dpkg-query": `#!/bin/sh\ngrep -qx "$3" "$FAKE_STATE/missing" && exit 1\nprintf installed\n`,
    id: `#!/bin/sh\necho "$FAKE_UID"\n`,
    go: `#!/bin/sh\necho "go version go$FAKE_GO_VERSION linux/amd64"\n`,
    // Records each call and what policy-rc.d answers during it; "installs" by emptying state/missing.
    "apt-get": [
        "#!/bin/sh",
        `echo "apt-get $* (DEBIAN_FRONTEND=$DEBIAN_FRONTEND)" >> "$FAKE_STATE/apt.log"`,
        `"$DPKG_ROOT/usr/sbin/policy-rc.d" ssh start; echo "policy-rc.d: $?" >> "$FAKE_STATE/apt.log"`,
        `[ "$1" = install ] && [ -z "$FAKE_APT_BROKEN" ] && : > "$FAKE_STATE/missing"`,
        "exit 0",
        "",
    ].join("\n"),
};

interface Machine {
    uid: number;
    missing: string[];
    goVersion: string;
    sharedSchemas?: boolean;
    npmDependencies?: boolean;
    policyRcD?: string;
    aptBroken?: boolean;
}

interface Outcome {
    status: number | null;
    stderr: string;
    aptLog: string;
    /** /usr/sbin/policy-rc.d under DPKG_ROOT after the run, or undefined. */
    policyRcD: string | undefined;
}

describe("tools/prerequisites.sh", () => {
    let sandbox: string;
    beforeEach(() => { sandbox = mkdtempSync(join(tmpdir(), "ironcloud-prerequisites-")); });
    afterEach(() => rmSync(sandbox, { recursive: true, force: true }));

    const at = (...parts: string[]) => join(sandbox, ...parts);
    function write(path: string, content: string, mode = 0o644): void {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, content);
        chmodSync(path, mode);
    }

    function runOn(machine: Machine): Outcome {
        const checkout = at("checkout");
        write(join(checkout, "tools", "prerequisites.sh"), readFileSync(script, "utf8"), 0o755);
        write(join(checkout, "test", "talos-validate", "go.mod"), readFileSync(join(repoRoot, "test", "talos-validate", "go.mod"), "utf8"));
        if (machine.npmDependencies ?? true) write(join(checkout, "node_modules", ".bin", "mocha"), "", 0o755);
        if (machine.sharedSchemas ?? true) mkdirSync(at("shared", "schemas"), { recursive: true });
        mkdirSync(at("root", "usr", "sbin"), { recursive: true });
        if (machine.policyRcD !== undefined) write(at("root", "usr", "sbin", "policy-rc.d"), machine.policyRcD, 0o755);
        for (const [name, content] of Object.entries(fakes)) write(at("bin", name), content, 0o755);
        write(at("state", "missing"), machine.missing.map((p) => `${p}\n`).join(""));

        const result = spawnSync("bash", [join(checkout, "tools", "prerequisites.sh")], {
            encoding: "utf8",
            timeout: 30_000,
            env: {
                PATH: `${at("bin")}:${process.env.PATH ?? "/usr/bin:/bin"}`,
                DPKG_ROOT: at("root"),
                FAKE_STATE: at("state"),
                FAKE_UID: String(machine.uid),
                FAKE_GO_VERSION: machine.goVersion,
                FAKE_APT_BROKEN: machine.aptBroken ? "1" : "",
            },
        });
        const policy = at("root", "usr", "sbin", "policy-rc.d");
        return {
            status: result.status,
            stderr: result.stderr,
            aptLog: existsSync(at("state", "apt.log")) ? readFileSync(at("state", "apt.log"), "utf8") : "",
            policyRcD: existsSync(policy) ? readFileSync(policy, "utf8") : undefined,
        };
    }

    const goodGo = requiredGoVersion();

    it("passes silently and installs nothing when everything is there", () => {
        const outcome = runOn({ uid: 1000, missing: [], goVersion: goodGo });
        assert.equal(outcome.status, 0, outcome.stderr);
        assert.equal(outcome.stderr, "");
        assert.equal(outcome.aptLog, "");
    });

    it("as a user, names every missing package and how to install them in one message, and installs nothing", () => {
        const outcome = runOn({ uid: 1000, missing: ["openssh-server", "cloud-init"], goVersion: goodGo });
        assert.equal(outcome.status, 1);
        assert.equal(outcome.stderr.match(/ironcloud prerequisites:/g)?.length, 1, outcome.stderr);
        assert.match(outcome.stderr, /nothing was run/);
        assert.match(outcome.stderr, /- Debian packages: openssh-server cloud-init\n/);
        assert.match(outcome.stderr, /apt-get update && apt-get install -y --no-install-recommends openssh-server cloud-init\n/);
        assert.doesNotMatch(outcome.stderr, /Go >=|shared|npm ci/);
        assert.equal(outcome.aptLog, "");
    });

    it("as a user, adds an old Go, missing shared schemas and npm dependencies to the same message", () => {
        const outcome = runOn({ uid: 1000, missing: ["libnss-wrapper"], goVersion: "1.19.8", sharedSchemas: false, npmDependencies: false });
        assert.equal(outcome.status, 1);
        assert.equal(outcome.stderr.match(/ironcloud prerequisites:/g)?.length, 1, outcome.stderr);
        assert.match(outcome.stderr, /apt-get install -y --no-install-recommends libnss-wrapper\n/);
        assert.match(outcome.stderr, new RegExp(`Go >= ${goodGo.replaceAll(".", "\\.")} \\(test/talos-validate/go\\.mod\\): \\S+/bin/go is 1\\.19\\.8`));
        assert.match(outcome.stderr, /\.\.\/shared\/schemas: /);
        assert.match(outcome.stderr, /npm dependencies: npm ci --ignore-scripts/);
    });

    it("refuses a Go older than go.mod asks for by a patch release, and accepts a newer one", () => {
        const [major, minor, patch = "0"] = goodGo.split(".");
        if (Number(patch) > 0) {
            const older = runOn({ uid: 1000, missing: [], goVersion: `${major}.${minor}.${Number(patch) - 1}` });
            assert.equal(older.status, 1, older.stderr);
            assert.match(older.stderr, /Go >= /);
        }
        const newer = runOn({ uid: 1000, missing: [], goVersion: `${major}.${Number(minor) + 1}.0` });
        assert.equal(newer.status, 0, newer.stderr);
    });

    it("as root with apt-get, installs exactly the missing packages while policy-rc.d forbids services, then restores policy-rc.d", () => {
        const own = "#!/bin/sh\n# the machine's own\nexit 0\n";
        const outcome = runOn({ uid: 0, missing: ["libnss-wrapper", "cloud-init"], goVersion: goodGo, policyRcD: own });
        assert.equal(outcome.status, 0, outcome.stderr);
        assert.equal(outcome.aptLog, [
            "apt-get update -qq (DEBIAN_FRONTEND=)",
            "policy-rc.d: 101",
            "apt-get install -y -qq --no-install-recommends libnss-wrapper cloud-init (DEBIAN_FRONTEND=noninteractive)",
            "policy-rc.d: 101",
            "",
        ].join("\n"));
        assert.equal(outcome.policyRcD, own);
    });

    it("as root, leaves no policy-rc.d behind when there was none", () => {
        const outcome = runOn({ uid: 0, missing: ["iproute2"], goVersion: goodGo });
        assert.equal(outcome.status, 0, outcome.stderr);
        assert.match(outcome.aptLog, /install -y -qq --no-install-recommends iproute2 /);
        assert.equal(outcome.policyRcD, undefined);
    });

    it("as root, stops before installing anything when something it cannot install is missing too", () => {
        const outcome = runOn({ uid: 0, missing: ["openssh-server"], goVersion: "1.22.0" });
        assert.equal(outcome.status, 1);
        assert.equal(outcome.aptLog, "");
        assert.match(outcome.stderr, /Debian packages: openssh-server\n/);
        assert.match(outcome.stderr, /Go >= .* is 1\.22\.0/);
    });

    it("as root, fails when apt-get leaves a package missing", () => {
        const outcome = runOn({ uid: 0, missing: ["cloud-init"], goVersion: goodGo, aptBroken: true });
        assert.equal(outcome.status, 1);
        assert.match(outcome.stderr, /apt-get did not install: cloud-init/);
    });

    it("is the one package list: every tool the harness checks comes from it, and CI and the engine suite use the script", () => {
        for (const [tool, pkg] of Object.entries(debianPackageOf)) assert.ok(allPackages.includes(pkg), `${tool}: ${pkg} is not in tools/prerequisites.sh`);
        assert.ok(allPackages.includes("iproute2"), "the engine suite's ip netns");
        const scripts = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")).scripts as Record<string, string>;
        assert.equal(scripts.pretest, "bash tools/prerequisites.sh");
        for (const file of [".ci/run", "test/engine/run.sh"]) {
            const text = readFileSync(join(repoRoot, file), "utf8");
            assert.match(text, /^bash tools\/prerequisites\.sh$/m, file);
            assert.doesNotMatch(text, /apt-get install|dpkg/, `${file} keeps no package list of its own`);
        }
    });
});

describe("test/harness/tools", () => {
    it("finds commands only in the directories of PATH", () => {
        assert.equal(findOnPath("sh", "/nonexistent"), undefined);
        assert.equal(findOnPath("sh", "/nonexistent:/bin"), "/bin/sh");
    });

    it("reports the tools missing from a PATH, and the packages and command that install them", () => {
        assert.deepEqual(missingTools(["cloud-init", "openssl", "ssh-keygen"], "/nonexistent"), ["cloud-init", "openssl", "ssh-keygen"]);
        assert.equal(missingToolsMessage(["ssh", "ssh-keygen", "cloud-init"]),
            "not installed: ssh, ssh-keygen, cloud-init (Debian packages: openssh-client cloud-init). "
            + "Run `npm test` as root to install them (tools/prerequisites.sh), or as root: apt-get install -y --no-install-recommends openssh-client cloud-init");
    });

    it("finds every tool the tests use on this machine", () => {
        assert.deepEqual(missingTools(Object.keys(debianPackageOf) as (keyof typeof debianPackageOf)[]), []);
    });
});
