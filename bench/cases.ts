import { GeneratedStack, generatedClusterConfig, generatedVmStack } from "./generatedStack";

export interface BenchCase {
    name: string;
    vms: number;
    stack: () => GeneratedStack;
}

export const benchCases: BenchCase[] = [
    { name: "cluster 3 cp + 50 workers", vms: 0, stack: () => ({ config: generatedClusterConfig(3, 50), files: {} }) },
    { name: "100 VMs, 20 teams", vms: 100, stack: () => generatedVmStack(100, 20) },
    { name: "1000 VMs, 20 teams", vms: 1000, stack: () => generatedVmStack(1000, 20) },
];
