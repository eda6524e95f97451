import { strict as assert } from "node:assert";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parse } from "yaml";
import { repoRoot } from "./harness/program";

// The SDK's own reader of the tsconfig `pulumi` runs the program with: its `noCheck` becomes
// ts-node's transpileOnly (@pulumi/pulumi cmd/run/run.js).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { loadTypeScriptCompilerOptions } = require("@pulumi/pulumi/tsutils") as { loadTypeScriptCompilerOptions(path: string): Record<string, unknown> };

interface ProjectFile {
    main: string;
    runtime: { name: string; options: { typescript: boolean; tsconfig: string } };
}

describe("project settings", () => {
    const project = parse(readFileSync(join(repoRoot, "Pulumi.yaml"), "utf8")) as ProjectFile;
    // The language host runs the program in the directory of `main`, and reads the path from there.
    const deployTsconfig = join(repoRoot, dirname(project.main), project.runtime.options.tsconfig);

    it("deploys without type-checking the program again: the tsconfig pulumi uses sets noCheck", () => {
        assert.ok(existsSync(deployTsconfig), `${project.runtime.options.tsconfig} from ${dirname(project.main)}/ must exist`);
        assert.equal(loadTypeScriptCompilerOptions(deployTsconfig).noCheck, true);
    });

    it("type-checks in npm test and CI: tsconfig.json does not set noCheck", () => {
        assert.equal(loadTypeScriptCompilerOptions(join(repoRoot, "tsconfig.json")).noCheck, undefined);
    });
});
