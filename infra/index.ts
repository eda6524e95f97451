import { cheapenSdkStackTraces } from "./stackTraces";
import { declareStack } from "./program";

cheapenSdkStackTraces();

// Pulumi turns this module's exports into the stack outputs.
export = declareStack();
