import { teamQuotaFits } from "./teamQuotaFits";

export const stackPolicies = [teamQuotaFits];
