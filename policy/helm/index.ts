import { helmChartsPinned, manifestsPinned } from "./chartsPinned";

export const helmPolicies = [helmChartsPinned, manifestsPinned];
