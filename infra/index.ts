import { skipSourceMapsForPromiseTraces } from "./stackTraces";
import { declareStack } from "./program";

skipSourceMapsForPromiseTraces();

// Pulumi turns this module's exports into the stack outputs.
export = declareStack();
