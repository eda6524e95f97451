import { workloadImageDigest } from "./imageDigest";
import { workloadImagePinned } from "./imagePinned";
import { workloadProbes } from "./probes";
import { workloadResources } from "./resources";
import { workloadSecurityContext } from "./securityContext";

export const workloadPolicies = [workloadSecurityContext, workloadResources, workloadProbes, workloadImagePinned, workloadImageDigest];
