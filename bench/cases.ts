import { generatedClusterConfig, generatedVmConfig } from "./generatedStack";

export interface BenchCase {
    name: string;
    vms: number;
    config: () => Record<string, unknown>;
}

export const benchCases: BenchCase[] = [
    { name: "cluster 3 cp + 50 workers", vms: 0, config: () => generatedClusterConfig(3, 50) },
    { name: "100 VMs, 20 teams", vms: 100, config: () => generatedVmConfig(100, 20) },
    { name: "1000 VMs, 20 teams", vms: 1000, config: () => generatedVmConfig(1000, 20) },
];
