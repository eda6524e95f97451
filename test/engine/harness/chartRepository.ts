import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, Server } from "node:http";
import { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";

/**
 * A Helm chart repository on 127.0.0.1 serving one chart the test builds itself: Chart.yaml and
 * templates packaged with `tar` as `<name>-<version>.tgz`, and the index.yaml Helm reads first
 * (apiVersion v1, entries by chart name, each with the archive's sha256 digest and its URL
 * relative to the repository). Every request is recorded, so a test can tell what Helm fetched.
 */

export interface TestChart {
    name: string;
    version: string;
    /** File name under templates/ → template text. */
    templates: Record<string, string>;
}

const repositoryPath = "/charts";

export class ChartRepository {
    /** Request paths in the order they came, answered or not. */
    readonly requests: string[] = [];

    private constructor(private readonly server: Server, private readonly dir: string) {}

    /** The repository URL, as `ironcloud:mirrors.charts.<chart>.repository` names it. */
    get url(): string {
        return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${repositoryPath}`;
    }

    static async serve(chart: TestChart): Promise<ChartRepository> {
        const dir = mkdtempSync(join(tmpdir(), "ironcloud-chart-repository-"));
        const files = packageChart(dir, chart);
        const server = createServer();
        const repository = new ChartRepository(server, dir);
        server.on("request", (request, response) => {
            const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
            repository.requests.push(path);
            const body = path.startsWith(`${repositoryPath}/`) ? files.get(path.slice(repositoryPath.length + 1)) : undefined;
            response.writeHead(body ? 200 : 404, { "content-type": path.endsWith(".yaml") ? "application/yaml" : "application/gzip" });
            response.end(body ?? "not found\n");
        });
        await new Promise<void>((resolve, reject) => {
            server.once("error", reject);
            server.listen(0, "127.0.0.1", resolve);
        });
        return repository;
    }

    async close(): Promise<void> {
        await new Promise<void>((resolve) => this.server.close(() => resolve()));
        rmSync(this.dir, { recursive: true, force: true });
    }
}

/** The archive and the index that lists it, by file name in the repository. */
function packageChart(dir: string, chart: TestChart): Map<string, Buffer> {
    const source = join(dir, "source");
    mkdirSync(join(source, chart.name, "templates"), { recursive: true });
    writeFileSync(join(source, chart.name, "Chart.yaml"), stringify({ apiVersion: "v2", name: chart.name, version: chart.version, type: "application" }));
    for (const [file, text] of Object.entries(chart.templates)) writeFileSync(join(source, chart.name, "templates", file), text);
    const archiveName = `${chart.name}-${chart.version}.tgz`;
    execFileSync("tar", ["-czf", join(dir, archiveName), "-C", source, chart.name]);
    const archive = readFileSync(join(dir, archiveName));
    const index = stringify({
        apiVersion: "v1",
        entries: {
            [chart.name]: [{
                apiVersion: "v2",
                name: chart.name,
                version: chart.version,
                type: "application",
                digest: createHash("sha256").update(archive).digest("hex"),
                urls: [archiveName],
                created: new Date(0).toISOString(),
            }],
        },
        generated: new Date(0).toISOString(),
    });
    return new Map([["index.yaml", Buffer.from(index)], [archiveName, archive]]);
}
