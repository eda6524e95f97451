import { ClientRequest } from "node:http";
import { request } from "node:https";
import type { ControlPlane } from "./controlPlane";

/**
 * Cilium's LB IPAM, reduced to what `pulumi up` waits for: every Service of type LoadBalancer
 * gets the address it asked for (the `lbipam.cilium.io/ips` annotation, or spec.loadBalancerIP)
 * or the next one of a loopback pool, written into its status. Without it pulumi-kubernetes
 * waits for an address forever.
 */

interface Service {
    metadata: { name: string; namespace: string; annotations?: Record<string, string>; resourceVersion: string };
    spec: { type?: string; loadBalancerIP?: string };
    status?: { loadBalancer?: { ingress?: { ip?: string }[] } };
}

/** The address a LoadBalancer Service gets, or undefined when it is not one or has one already. */
export function addressFor(service: Service, nextFromPool: () => string): string | undefined {
    if (service.spec.type !== "LoadBalancer" || (service.status?.loadBalancer?.ingress?.length ?? 0) > 0) return undefined;
    const requested = service.metadata.annotations?.["lbipam.cilium.io/ips"]?.split(",")[0]?.trim() || service.spec.loadBalancerIP;
    return requested || nextFromPool();
}

export class LoadBalancerStandIn {
    private watch?: ClientRequest;
    private stopped = false;
    private poolIndex = 0;
    /** Every address handed out, for tests to check. */
    readonly assigned = new Map<string, string>();

    constructor(private readonly plane: ControlPlane) {}

    async start(): Promise<void> {
        const { status, body } = await this.plane.call("GET", "/api/v1/services");
        if (status !== 200) throw new Error(`listing services failed: ${status} ${body}`);
        const list = JSON.parse(body) as { items: Service[]; metadata: { resourceVersion: string } };
        for (const service of list.items) await this.reconcile(service);
        this.follow(list.metadata.resourceVersion);
    }

    stop(): void {
        this.stopped = true;
        this.watch?.destroy();
    }

    private nextFromPool = () => `127.200.${Math.floor(this.poolIndex / 250)}.${(this.poolIndex++ % 250) + 1}`;

    private async reconcile(service: Service): Promise<void> {
        const ip = addressFor(service, this.nextFromPool);
        if (ip === undefined) return;
        const { namespace, name } = service.metadata;
        const patch = await this.plane.call("PATCH", `/api/v1/namespaces/${namespace}/services/${name}/status`,
            { status: { loadBalancer: { ingress: [{ ip, ipMode: "VIP" }] } } }, "application/merge-patch+json");
        if (patch.status === 200) this.assigned.set(`${namespace}/${name}`, ip);
    }

    /** A watch from `resourceVersion`; the API server ends watches now and then, so it resumes. */
    private follow(resourceVersion: string): void {
        if (this.stopped) return;
        const { ca, cert, key } = this.plane.pki();
        let latest = resourceVersion;
        let buffered = "";
        this.watch = request(`${this.plane.server}/api/v1/services?watch=1&allowWatchBookmarks=true&resourceVersion=${resourceVersion}`, { ca, cert, key }, (res) => {
            res.setEncoding("utf8");
            res.on("data", (chunk: string) => {
                buffered += chunk;
                let newline: number;
                while ((newline = buffered.indexOf("\n")) >= 0) {
                    const line = buffered.slice(0, newline);
                    buffered = buffered.slice(newline + 1);
                    if (!line.trim()) continue;
                    const event = JSON.parse(line) as { type: string; object: Service };
                    if (event.type === "ERROR") return this.restart();
                    latest = event.object.metadata.resourceVersion;
                    if (event.type === "ADDED" || event.type === "MODIFIED") void this.reconcile(event.object);
                }
            });
            res.on("end", () => this.follow(latest));
        });
        this.watch.on("error", () => this.restart());
        this.watch.end();
    }

    /** After an expired resource version: list again and follow from there. */
    private restart(): void {
        if (this.stopped) return;
        this.watch?.destroy();
        void this.start().catch(() => undefined);
    }
}
