import { loopbackOnlyProblem, networkInterfaces } from "./sandbox";

// Loaded by .mocharc.engine.json before any test file: refuses to run outside the sandbox.
const problem = loopbackOnlyProblem(networkInterfaces());
if (problem !== undefined) {
    console.error(`test:engine: ${problem}`);
    process.exit(1);
}
