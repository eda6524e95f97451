/* global require, process */
/* eslint-disable @typescript-eslint/no-require-imports -- node preloads this file itself (--require): plain CommonJS, no TypeScript */
// Preloaded into the Pulumi program with NODE_OPTIONS=--require (Node 20 refuses --cpu-prof
// there): when IRONCLOUD_BENCH_CPU_PROFILE_DIR is set, profiles the process from its start and
// writes CPU.<pid>.cpuprofile there at exit, for Chrome DevTools or `npx speedscope`.
const dir = process.env.IRONCLOUD_BENCH_CPU_PROFILE_DIR;
if (dir) {
    const { Session } = require("node:inspector");
    const { writeFileSync } = require("node:fs");
    const { join } = require("node:path");
    const session = new Session();
    session.connect();
    session.post("Profiler.enable");
    session.post("Profiler.start");
    // An in-process inspector session answers synchronously, so the profile is written before exit.
    process.on("exit", () => session.post("Profiler.stop", (error, result) => {
        if (!error) writeFileSync(join(dir, `CPU.${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    }));
}
