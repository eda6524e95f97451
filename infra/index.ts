import { declareStack } from "./program";

// Pulumi turns this module's exports into the stack outputs.
export = declareStack();
