/**
 * ironcloud as a library: the components a Pulumi program can declare on its own, with their
 * documented args. The stack program (infra/index.ts) is one user of them; an example that
 * declares only a VmService on an existing cluster is in examples/vm-service.
 */
export { TalosCluster } from "./talos/cluster";
export type { TalosClusterArgs } from "./talos/cluster";
export { Platform } from "./platform/platform";
export type { PlatformArgs } from "./platform/platform";
export { VmService } from "./vms/vmService";
export type { VmServiceArgs } from "./vms/vmService";
export { Access } from "./access/access";
export type { AccessArgs } from "./access/access";
export { Tenancy } from "./tenancy/tenancy";
export type { TenancyArgs } from "./tenancy/tenancy";
export { TeamVms } from "./vms/teamVms";
export type { TeamVmsArgs } from "./vms/teamVms";
export type { BootAssets } from "./talos/imageFactory";
export { ConfigError, parseStackConfig } from "../infra/config";
export type { CloudSpec, Problem } from "../infra/config";
export { declareCloud } from "../infra/cloud";
export type { CloudOutputs } from "../infra/cloud";
export * as versions from "../infra/versions";
