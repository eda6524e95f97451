import { vmDisksProtected } from "./disksProtected";
import { vmLabels } from "./labels";
import { vmLoginConfigured } from "./loginConfigured";
import { vmNoPasswordAuth } from "./noPasswordAuth";
import { vmResources } from "./resources";
import { vmRunStrategy } from "./runStrategy";

export const vmPolicies = [vmResources, vmNoPasswordAuth, vmLoginConfigured, vmDisksProtected, vmRunStrategy, vmLabels];
