import { networkDefaultDeny } from "./defaultDeny";
import { loadBalancerAllowlist } from "./loadBalancerAllowlist";
import { noExternalIps } from "./noExternalIps";
import { noNodePort } from "./noNodePort";

export const networkingPolicies = [networkDefaultDeny, noNodePort, loadBalancerAllowlist, noExternalIps];
