import { createServer, IncomingMessage, Server, ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import { AssetSource, openAsset } from "./assets";
import { BootPlan } from "./bootPlan";
import { scriptFor, ServerUrl } from "./ipxeScript";

/**
 * netboot's HTTP server: `/boot.ipxe?mac=…&arch=…` (the per-MAC iPXE script) and the plan's
 * kernels and initramfs images under the factory's paths. Nothing else, and never a machine
 * config: those go to the nodes over the Talos API.
 */
export function netbootHttpServer(plan: BootPlan, source: AssetSource, server: ServerUrl, cmdlines: Record<string, string>, log: (line: string) => void): Server {
    return createServer((request, response) => {
        handle(request, response).catch((error: unknown) => {
            log(`http: ${request.url}: ${error instanceof Error ? error.message : String(error)}`);
            if (!response.headersSent) response.writeHead(502, { "content-type": "text/plain" });
            response.end();
        });
    });

    async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
        const url = new URL(request.url ?? "/", "http://netboot");
        if (request.method !== "GET" && request.method !== "HEAD") {
            response.writeHead(405, { allow: "GET, HEAD" }).end();
            return;
        }
        if (url.pathname === "/boot.ipxe") {
            const mac = url.searchParams.get("mac") ?? undefined;
            const script = scriptFor(plan, { mac, buildarch: url.searchParams.get("arch") ?? undefined }, server, cmdlines);
            log(`http: boot.ipxe for ${mac ?? "no MAC"}: ${script.split("\n")[1].replace(/^# /, "")}`);
            response.writeHead(200, { "content-type": "text/plain; charset=utf-8", "content-length": Buffer.byteLength(script) });
            response.end(request.method === "HEAD" ? undefined : script);
            return;
        }
        const asset = await openAsset(source, plan, url.pathname.replace(/^\//, ""));
        if (asset === undefined) {
            response.writeHead(404, { "content-type": "text/plain" }).end("not a file netboot serves\n");
            return;
        }
        log(`http: ${url.pathname}`);
        response.writeHead(200, { "content-type": "application/octet-stream", ...(asset.size === undefined ? {} : { "content-length": asset.size }) });
        if (request.method === "HEAD") {
            asset.body.destroy();
            response.end();
            return;
        }
        await pipeline(asset.body, response);
    }
}
