import { watch } from "node:fs";

/**
 * A Talos stack reduced to its Talos layer: every platform service off and no VMs, so nothing
 * is declared through the Kubernetes provider and no API server is needed. Node addresses are
 * loopback addresses (127.0.0.0/8), which the recording doubles answer for.
 */
export interface ReplayNode {
    name: string;
    address: string;
    role: "controlplane" | "worker";
    reset?: boolean;
}

export function replayConfig(prefix: string, nodes: ReplayNode[], cluster: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        "ironcloud:environment": "dev",
        "ironcloud:cluster": {
            name: "lab",
            endpoint: `https://${prefix}.10:6443`,
            installDisk: "/dev/sda",
            allowSchedulingOnControlPlanes: true,
            nodes,
            ...cluster,
        },
        "ironcloud:platform": {
            networking: { enabled: false },
            certManager: { enabled: false },
            storage: { enabled: false },
            virtualization: { enabled: false },
        },
    };
}

/** Resolves once `condition()` holds, re-checking whenever `dir` changes; rejects after `seconds`. */
export function waitForChange(dir: string, condition: () => boolean, seconds: number): Promise<void> {
    return new Promise((resolve, reject) => {
        if (condition()) return resolve();
        const watcher = watch(dir, () => {
            if (!condition()) return;
            clearTimeout(timer);
            watcher.close();
            resolve();
        });
        const timer = setTimeout(() => {
            watcher.close();
            reject(new Error(`condition not met within ${seconds} s`));
        }, seconds * 1000);
    });
}

/** The calls matching `pattern`. */
export function matching(calls: string[], pattern: RegExp): string[] {
    return calls.filter((c) => pattern.test(c));
}
