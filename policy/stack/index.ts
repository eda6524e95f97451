import { airGapped } from "./airGapped";
import { teamQuotaFits } from "./teamQuotaFits";

export const stackPolicies = [teamQuotaFits, airGapped];
