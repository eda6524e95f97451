/**
 * Quantity parsing is a rule the policy pack shares (policy/lib/rules/quantity.ts); this keeps
 * the older import path working for components/vms until it imports from the pack directly.
 */
export { parseBytes, parseCpu } from "../../policy/lib/rules/quantity";
