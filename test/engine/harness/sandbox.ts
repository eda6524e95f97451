import { readdirSync } from "node:fs";

/**
 * The engine suite's safety gate. Every engine, talosctl and API-server process of the suite is
 * a child of this process, so they share its network namespace; the suite runs only when that
 * namespace has no interface but `lo`. A stack that names 10.x or 192.168.x nodes then cannot
 * reach them, whatever the program does.
 */
export function networkInterfaces(): string[] {
    return readdirSync("/sys/class/net").sort();
}

export function loopbackOnlyProblem(interfaces: string[]): string | undefined {
    if (interfaces.length === 1 && interfaces[0] === "lo") return undefined;
    return `the engine suite runs only in a network namespace with nothing but lo; this one has ${interfaces.join(", ") || "no interfaces"}. ` +
        "Run it with `npm run test:engine`, which creates that namespace.";
}
