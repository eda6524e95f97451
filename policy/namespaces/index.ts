import { teamNamespaceGuardrails } from "./guardrails";
import { nothingInDefault } from "./nothingInDefault";

export const namespacePolicies = [teamNamespaceGuardrails, nothingInDefault];
