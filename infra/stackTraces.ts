/**
 * Stack traces are costly under ts-node, which source-maps every frame of every trace, and the
 * Pulumi SDK takes many: one per resource (its source position, sent to the engine) and one per
 * promise it tracks (`debuggablePromise`, several per resource). In a preview of 500 VMs that was a
 * third of the program's CPU time (README.md, Benchmarks). So:
 *
 * - a promise's trace is printed only when PULUMI_DEBUG_PROMISE_LEAKS asks which promise an
 *   exiting program left unresolved; unless leaks are being debugged it is left empty;
 * - the SDK's own traces (message-less Errors) repeat: every VM's resources are declared from the
 *   same lines, so each distinct trace is source-mapped once and reused.
 *
 * Every trace keeps its source-mapped text: errors and resource source positions still name the
 * TypeScript lines.
 */
type PrepareStackTrace = (error: Error, frames: NodeJS.CallSite[]) => unknown;

/** Distinct SDK traces kept; a program declares resources from a few dozen call paths. */
const cacheLimit = 1000;

export function cheapenSdkStackTraces(): void {
    const mapped = Error.prepareStackTrace as PrepareStackTrace | undefined;
    if (mapped === undefined) return;
    const skipPromiseTraces = !process.env.PULUMI_DEBUG_PROMISE_LEAKS;
    const cache = new Map<string, unknown>();
    Error.prepareStackTrace = (error: Error, frames: NodeJS.CallSite[]) => {
        if (skipPromiseTraces && frames[0]?.getFunctionName() === "debuggablePromise") return String(error);
        if (error.message !== "" || error.constructor !== Error) return mapped(error, frames);
        const key = frames.join("\n");
        let trace = cache.get(key);
        if (trace === undefined) {
            trace = mapped(error, frames);
            if (cache.size < cacheLimit) cache.set(key, trace);
        }
        return trace;
    };
}
