/**
 * The Pulumi SDK keeps a stack trace with every promise it tracks (`debuggablePromise`, only read
 * to name a promise left unresolved at exit), several per resource. Under ts-node every trace is
 * source-mapped frame by frame, which was a third of the program's CPU time in a preview of 500
 * VMs (README.md, Benchmarks). Those traces keep V8's own format; every other trace — errors,
 * and the one per resource the SDK reports as the resource's source position — stays mapped to
 * the TypeScript source.
 */
type PrepareStackTrace = (error: Error, frames: NodeJS.CallSite[]) => unknown;

export function skipSourceMapsForPromiseTraces(): void {
    const mapped = Error.prepareStackTrace as PrepareStackTrace | undefined;
    if (mapped === undefined) return;
    Error.prepareStackTrace = (error: Error, frames: NodeJS.CallSite[]) =>
        frames[0]?.getFunctionName() === "debuggablePromise"
            ? `${String(error)}${frames.map((frame) => `\n    at ${String(frame)}`).join("")}`
            : mapped(error, frames);
}
