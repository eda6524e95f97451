import { execFile, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { stringify } from "yaml";
import { repoRoot } from "../../harness/program";
import { killProcessesWithEnvironmentAndWait } from "./processes";

/**
 * The real Pulumi CLI on a throw-away project: a temporary directory holding the project file, a
 * stack file and links to the program, with its own file backend. Nothing is written into the
 * checkout, and every command has a time limit.
 */

/** What a project directory needs from the checkout to run the program. */
const programEntries = ["infra", "components", "node_modules", "package.json", "tsconfig.json", "tsconfig.pulumi.json"];

export interface PulumiResult {
    code: number;
    stdout: string;
    stderr: string;
}

export interface RunOptions {
    /** Written to the command's stdin, e.g. a secret config value. */
    input?: string;
    /** Extra environment, e.g. PATH with test doubles first. */
    env?: Record<string, string>;
    timeoutSeconds?: number;
}

export class PulumiProject {
    readonly dir: string;
    readonly stateDir: string;

    private constructor(readonly stack: string, readonly root: string) {
        this.dir = join(root, "project");
        this.stateDir = join(root, "state");
    }

    /**
     * A project whose one stack `stack` has the config `config` (the `config:` map of a stack
     * file), with `files` (path relative to the project directory → text, or a value written as
     * YAML) beside it, e.g. the team inventories the config names.
     */
    static async create(stack: string, config: Record<string, unknown>, files: Record<string, unknown> = {}): Promise<PulumiProject> {
        const project = new PulumiProject(stack, mkdtempSync(join(tmpdir(), `ironcloud-engine-${stack}-`)));
        mkdirSync(join(project.dir, "stacks"), { recursive: true });
        mkdirSync(project.stateDir);
        cpSync(join(repoRoot, "Pulumi.yaml"), join(project.dir, "Pulumi.yaml"));
        for (const entry of programEntries) symlinkSync(join(repoRoot, entry), join(project.dir, entry));
        for (const [path, content] of Object.entries(files)) {
            const target = resolve(project.dir, path);
            if (!target.startsWith(`${project.dir}/`)) throw new Error(`${path}: extra project files stay inside the project directory`);
            mkdirSync(dirname(target), { recursive: true });
            writeFileSync(target, typeof content === "string" ? content : stringify(content));
        }
        project.writeConfig(config);
        await project.mustRun(["stack", "init", "--secrets-provider", "passphrase"]);
        return project;
    }

    get stackFile(): string {
        return join(this.dir, "stacks", `Pulumi.${this.stack}.yaml`);
    }

    /** Replaces the stack's config, keeping the secrets salt `stack init` wrote. */
    writeConfig(config: Record<string, unknown>): void {
        let salt: string | undefined;
        try {
            salt = /^encryptionsalt: (.+)$/m.exec(readFileSync(this.stackFile, "utf8"))?.[1];
        } catch {
            salt = undefined;
        }
        writeFileSync(this.stackFile, stringify({ ...(salt ? { encryptionsalt: salt } : {}), config }));
    }

    /** Sets one config value as a secret; the value travels on stdin, never on a command line. */
    async setSecret(path: string, value: string): Promise<void> {
        await this.mustRun(["config", "set", "--secret", "--path", path], { input: value });
    }

    env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
        return {
            ...process.env,
            PULUMI_BACKEND_URL: `file://${this.stateDir}`,
            PULUMI_CONFIG_PASSPHRASE: "engine-suite",
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            ...extra,
        };
    }

    run(args: string[], options: RunOptions = {}): Promise<PulumiResult> {
        const fullArgs = [...args, "--stack", this.stack, "--non-interactive", "--color", "never"];
        return new Promise((resolve) => {
            const child = execFile("pulumi", fullArgs, {
                cwd: this.dir,
                env: this.env(options.env),
                maxBuffer: 256 * 1024 * 1024,
                timeout: (options.timeoutSeconds ?? 600) * 1000,
                killSignal: "SIGKILL",
            }, (error, stdout, stderr) => {
                const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
                resolve({ code, stdout, stderr });
            });
            child.stdin?.end(options.input ?? "");
        });
    }

    /**
     * Starts a command without waiting for it, in its own process group, so a test can kill it
     * the way a crash or a lost CI runner would. The CLI starts its plugins (language host,
     * providers) in process groups of their own: they outlive `kill()`, as they would a crash.
     */
    start(args: string[], options: RunOptions = {}): RunningCommand {
        const fullArgs = [...args, "--stack", this.stack, "--non-interactive", "--color", "never"];
        const child = spawn("pulumi", fullArgs, { cwd: this.dir, env: this.env(options.env), detached: true, stdio: ["ignore", "pipe", "pipe"] });
        const out = { stdout: "", stderr: "" };
        child.stdout.on("data", (chunk) => (out.stdout += chunk));
        child.stderr.on("data", (chunk) => (out.stderr += chunk));
        const done = new Promise<PulumiResult>((resolve) => child.on("close", (code, signal) => resolve({ code: code ?? (signal ? -1 : 0), ...out })));
        return { done, kill: () => process.kill(-(child.pid as number), "SIGKILL") };
    }

    /**
     * SIGKILL to every process this project's commands started — the CLI, the language host, the
     * providers and what they run — found by the backend URL in their environment: a crash, as
     * far as the stack can tell. Resolves once none of them runs any more (bounded; throws
     * otherwise), so nothing writes to the backend after it. Returns the pids.
     */
    killAll(): Promise<number[]> {
        return killProcessesWithEnvironmentAndWait(`PULUMI_BACKEND_URL=file://${this.stateDir}`);
    }

    /** The stack's checkpoint in the file backend, the file `pulumi` reads the stack's state from. */
    get checkpointFile(): string {
        return join(this.stateDir, ".pulumi", "stacks", "ironcloud", `${this.stack}.json`);
    }

    /**
     * What the README's recovery does, before `pulumi cancel`, to a file backend that a killed run
     * left behind; returns what it repaired (nothing, most times). The backend (gocloud.dev
     * fileblob) replaces a file by renaming a complete temporary one into place, but first
     * rewrites the file's metadata sidecar `<file>.attrs` in place (truncate, then write): a run
     * killed in between leaves `<stack>.json.attrs` empty, and every command on the stack, even
     * `pulumi cancel`, stops with `failed to load checkpoint: EOF`. An empty or unreadable
     * sidecar is deleted (it holds only a content type and a checksum; without it the defaults
     * apply). An unreadable checkpoint (not a kill's doing, since it is renamed into place) is
     * replaced by the newest readable copy: the `.bak`, else the newest of the backend's backups
     * (`.pulumi/backups/<project>/<stack>/`).
     */
    repairCheckpoint(): string[] {
        const repaired: string[] = [];
        const checkpoint = this.checkpointFile;
        const readable = (file: string) => {
            try {
                return JSON.parse(readFileSync(file, "utf8")) !== null;
            } catch {
                return false;
            }
        };
        const sidecar = `${checkpoint}.attrs`;
        if (existsSync(sidecar) && !readable(sidecar)) {
            rmSync(sidecar);
            repaired.push(`deleted the unreadable ${sidecar}`);
        }
        if (readable(checkpoint)) return repaired;
        const backups = join(this.stateDir, ".pulumi", "backups", "ironcloud", this.stack);
        const candidates = [`${checkpoint}.bak`, ...(existsSync(backups) ? readdirSync(backups).filter((f) => !f.endsWith(".attrs")).sort().reverse().map((f) => join(backups, f)) : [])];
        const copy = candidates.find(readable);
        if (copy === undefined) throw new Error(`no readable checkpoint of ${this.stack} among ${candidates.join(", ")}`);
        cpSync(copy, checkpoint);
        return [...repaired, `restored ${checkpoint} from ${copy}`];
    }

    async mustRun(args: string[], options: RunOptions = {}): Promise<PulumiResult> {
        const result = await this.run(args, options);
        if (result.code !== 0) {
            throw new Error(`pulumi ${args.join(" ")} exited ${result.code}\n--- stdout\n${result.stdout.slice(-8000)}\n--- stderr\n${result.stderr.slice(-4000)}`);
        }
        return result;
    }

    /** `pulumi preview --json`: the steps the engine plans. */
    async previewSteps(args: string[] = [], options: RunOptions = {}): Promise<PreviewStep[]> {
        const result = await this.mustRun(["preview", "--json", ...args], options);
        return (JSON.parse(result.stdout) as { steps: PreviewStep[] }).steps;
    }

    /** `pulumi up` with `--json` events… kept simple: the summary of what changed, by operation. */
    async up(args: string[] = [], options: RunOptions = {}): Promise<PulumiResult> {
        return this.mustRun(["up", "--yes", "--skip-preview", ...args], options);
    }

    /** The resources in the stack's state (from `pulumi stack export`). */
    async stateResources(): Promise<StateResource[]> {
        const result = await this.mustRun(["stack", "export"]);
        return ((JSON.parse(result.stdout) as { deployment: { resources?: StateResource[] } }).deployment.resources ?? []);
    }

    remove(): void {
        rmSync(this.root, { recursive: true, force: true });
    }
}

export interface RunningCommand {
    done: Promise<PulumiResult>;
    /** SIGKILL to the CLI's process group (not its plugins). */
    kill(): void;
}

export interface PreviewStep {
    op: string;
    urn: string;
    type?: string;
    diffReasons?: string[];
    detailedDiff?: Record<string, unknown>;
}

export interface StateResource {
    urn: string;
    type: string;
    id?: string;
    protect?: boolean;
    parent?: string;
    outputs?: Record<string, unknown>;
    inputs?: Record<string, unknown>;
}

/** The resource name at the end of a URN. */
export function urnName(urn: string): string {
    return urn.split("::").pop() as string;
}
