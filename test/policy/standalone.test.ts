import { strict as assert } from "node:assert";
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import * as ts from "typescript";
import { policies } from "../../policy/policies";
import { repoRoot } from "../harness/program";

/**
 * `pulumi policy publish` packs policy/ and nothing else, and whoever runs the published pack
 * installs what policy/package.json declares. So the pack must compile and load from its folder
 * alone: a copy of it in an empty temp dir, with the root node_modules linked in where
 * `npm install` would put the declared packages (the tests must not need the registry).
 */

const policyDir = join(repoRoot, "policy");
const rootNodeModules = realpathSync(join(repoRoot, "node_modules"));
const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
const isInside = (root: string, path: string) => {
    const rest = relative(root, path);
    return !rest.startsWith("..") && !isAbsolute(rest);
};

function sourceFiles(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        if (entry.name === "node_modules") return [];
        const path = join(dir, entry.name);
        if (entry.isDirectory()) return sourceFiles(path);
        return entry.name.endsWith(".ts") ? [path] : [];
    });
}

/** "@pulumi/policy/proxy" → "@pulumi/policy"; "yaml" → "yaml". */
const packageOf = (specifier: string) => specifier.split("/").slice(0, specifier.startsWith("@") ? 2 : 1).join("/");
const isBuiltin = (specifier: string) => specifier.startsWith("node:") || builtinModules.includes(packageOf(specifier));

/** Every import, export-from, require() and import() of the pack's sources that leaves `dir` or names an undeclared package. */
function importProblems(dir: string): string[] {
    const declared = Object.keys((readJson(join(dir, "package.json")).dependencies ?? {}) as Record<string, string>);
    return sourceFiles(dir).flatMap((file) => {
        const where = relative(dir, file);
        return ts.preProcessFile(readFileSync(file, "utf8"), true, true).importedFiles.flatMap(({ fileName: specifier }) => {
            if (isAbsolute(specifier)) return [`${where} imports the absolute path ${specifier}`];
            if (specifier.startsWith(".")) {
                return isInside(dir, resolve(dirname(file), specifier)) ? [] : [`${where} imports ${specifier}, outside the pack`];
            }
            if (isBuiltin(specifier) || declared.includes(packageOf(specifier))) return [];
            return [`${where} imports ${packageOf(specifier)}, which policy/package.json does not declare in dependencies`];
        });
    });
}

/** The files read that are neither the pack's own nor from its installed packages. */
function outsideThePack(packDir: string, files: string[]): string[] {
    const allowed = [realpathSync(packDir), rootNodeModules];
    return files.filter((file) => !allowed.some((root) => isInside(root, realpathSync(file))));
}

describe("policy pack: stands alone", () => {
    it("imports nothing from outside policy/ and only packages policy/package.json declares", () => {
        assert.deepEqual(importProblems(policyDir), []);
    });

    it("the import check finds a path that leaves the pack and an undeclared package", () => {
        const dir = mkdtempSync(join(tmpdir(), "ironcloud-policy-imports-"));
        try {
            cpSync(policyDir, dir, { recursive: true, filter: (source) => basename(source) !== "node_modules" });
            writeFileSync(join(dir, "lib", "leak.ts"), 'import * as versions from "../../infra/versions";\nimport { z } from "zod";\nexport const leak = [versions, z];\n');
            assert.deepEqual(importProblems(dir), [
                "lib/leak.ts imports ../../infra/versions, outside the pack",
                "lib/leak.ts imports zod, which policy/package.json does not declare in dependencies",
            ]);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    it("has its own tsconfig.json and pins every package to the version the project uses", () => {
        const tsconfig = readJson(join(policyDir, "tsconfig.json"));
        assert.equal(tsconfig.extends, undefined, "a published pack has no parent tsconfig to extend");
        for (const pattern of [...((tsconfig.include ?? []) as string[]), ...((tsconfig.files ?? []) as string[])]) {
            assert.ok(!pattern.startsWith(".."), `tsconfig.json includes ${pattern}, outside the pack`);
        }
        const root = readJson(join(repoRoot, "package.json"));
        const rootVersions = { ...(root.dependencies as Record<string, string>), ...(root.devDependencies as Record<string, string>) };
        const pack = readJson(join(policyDir, "package.json"));
        const packVersions = { ...(pack.dependencies as Record<string, string>), ...(pack.devDependencies as Record<string, string>) };
        for (const [name, version] of Object.entries(packVersions)) assert.equal(version, rootVersions[name], name);
        // The Pulumi CLI compiles the pack with the TypeScript it finds beside it (else a vendored 3.8).
        for (const name of ["typescript", "ts-node", "@types/node"]) assert.ok(name in packVersions, name);
    });

    describe("a copy of policy/ alone", () => {
        let tmp: string;
        let packDir: string;
        // Nothing of this process's module setup may help the pack find its files.
        const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== "NODE_PATH" && !name.startsWith("TS_NODE_")));

        before(() => {
            tmp = mkdtempSync(join(tmpdir(), "ironcloud-policy-"));
            packDir = join(tmp, "policy");
            cpSync(policyDir, packDir, { recursive: true, filter: (source) => basename(source) !== "node_modules" });
            symlinkSync(rootNodeModules, join(packDir, "node_modules"), "dir");
        });

        after(() => rmSync(tmp, { recursive: true, force: true }));

        it("type-checks with its own tsconfig.json, from files inside it and its packages only", function () {
            this.timeout(300_000);
            const tsc = spawnSync(process.execPath, [join(packDir, "node_modules", "typescript", "bin", "tsc"), "-p", packDir, "--noEmit", "--listFiles"], { cwd: packDir, env, encoding: "utf8" });
            assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
            const files = tsc.stdout.split("\n").filter((line) => line.trim() !== "");
            assert.ok(files.some((file) => realpathSync(file) === realpathSync(join(packDir, "index.ts"))), "index.ts is compiled");
            assert.deepEqual(outsideThePack(packDir, files), []);
        });

        it("loads as the Pulumi CLI runs it (run-policy-pack, type-checked) and serves, reading no file outside it", async function () {
            this.timeout(300_000);
            const loadedList = join(tmp, "loaded.json");
            const probe = join(tmp, "probe.js");
            writeFileSync(probe, `process.on("SIGTERM", () => { require("fs").writeFileSync(${JSON.stringify(loadedList)}, JSON.stringify(Object.keys(require.cache))); process.exit(0); });\n`);
            const runPolicyPack = join(packDir, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack");
            const child = spawn(process.execPath, ["-r", probe, runPolicyPack, "127.0.0.1:0", packDir], { cwd: packDir, env, stdio: ["ignore", "pipe", "pipe"] });
            let stdout = "";
            let stderr = "";
            child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
            const port = await new Promise<string>((resolvePort, reject) => {
                child.stdout.on("data", (chunk: Buffer) => {
                    stdout += chunk.toString();
                    const served = /^(\d+)$/m.exec(stdout);
                    if (served) resolvePort(served[1]);
                });
                child.on("exit", (code) => reject(new Error(`the pack exited (${code}) before serving:\n${stdout}${stderr}`)));
            });
            assert.ok(Number(port) > 0);
            const exited = new Promise((done) => child.on("exit", done));
            child.kill("SIGTERM");
            await exited;
            const loaded = (JSON.parse(readFileSync(loadedList, "utf8")) as string[]).filter((file) => file !== probe && isAbsolute(file));
            assert.ok(loaded.some((file) => realpathSync(file) === realpathSync(join(packDir, "policies.ts"))), "policies.ts is loaded");
            assert.deepEqual(outsideThePack(packDir, loaded), []);
            assert.equal(stderr, "");
        });

        it("assembles the same policies as the repository's pack", () => {
            const listed = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", 'console.log(JSON.stringify(require("./policies").policies.map((p) => p.name)))'], { cwd: packDir, env, encoding: "utf8" });
            assert.equal(listed.status, 0, listed.stderr);
            assert.deepEqual(JSON.parse(listed.stdout), policies.map((p) => p.name));
        });
    });
});
