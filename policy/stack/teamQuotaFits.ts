import { PolicyResource } from "@pulumi/policy";
import { parseBytes, parseCpu } from "../lib/rules/quantity";
import { stackPolicy, types } from "../lib/policy";
import { inNamespace } from "../namespaces/teamNamespaces";
import { vmRequestsOf } from "../vms/virtualMachine";

interface TeamProps {
    name: string;
    namespace: string;
    quota: { cpu: string | number; memory: string | number; storage?: string | number };
}

const binaryUnits = ["Ki", "Mi", "Gi", "Ti", "Pi"];

/** 8589934592 → "8Gi", 1610612736 → "1.5Gi": the largest binary unit, at most two decimals. */
export function formatBytes(bytes: number): string {
    let unit = "";
    let value = bytes;
    for (const next of binaryUnits) {
        if (value < 1024) break;
        value /= 1024;
        unit = next;
    }
    return `${Number(value.toFixed(2))}${unit}`;
}

const formatCpu = (cores: number) => String(Number(cores.toFixed(3)));

const sum = (values: (number | undefined)[]) => values.reduce<number>((total, v) => total + (v ?? 0), 0);

/** Storage a DataVolume asks for (spec.storage or the older spec.pvc). */
function dataVolumeStorage(r: PolicyResource): number | undefined {
    const spec = (r.props.spec ?? {}) as { storage?: { resources?: { requests?: { storage?: string } } }; pvc?: { resources?: { requests?: { storage?: string } } } };
    const size = spec.storage?.resources?.requests?.storage ?? spec.pvc?.resources?.requests?.storage;
    return size === undefined ? undefined : parseBytes(size);
}

/** VMs that do not fit the team quota are admitted by Pulumi and then refused by Kubernetes. */
export const teamQuotaFits = stackPolicy({
    name: "team-quota-fits",
    description: "For every team of the VM service, the CPU and memory its VirtualMachines request (and the storage its DataVolumes request, when the quota caps storage) fit the team's quota.",
    severity: "high",
    remediationSteps: "Raise the team's quota in ironcloud:teams, or give its VMs (and fleets) less cpu, memory or disk.",
    validate: (args, report) => {
        for (const service of args.resources.filter((r) => r.type === types.vmService)) {
            for (const team of (service.props.teams ?? []) as TeamProps[]) {
                const vms = inNamespace(args.resources, types.virtualMachine, team.namespace);
                const dimensions = [
                    { key: "cpu", what: "CPU", quota: parseCpu(team.quota.cpu), used: sum(vms.map((vm) => { const cpu = vmRequestsOf(vm).cpu; return cpu === undefined ? 0 : parseCpu(cpu); })), format: formatCpu },
                    { key: "memory", what: "memory", quota: parseBytes(team.quota.memory), used: sum(vms.map((vm) => { const memory = vmRequestsOf(vm).memory; return memory === undefined ? 0 : parseBytes(memory); })), format: formatBytes },
                    ...(team.quota.storage === undefined ? [] : [{
                        key: "storage", what: "storage", quota: parseBytes(team.quota.storage),
                        used: sum(inNamespace(args.resources, types.dataVolume, team.namespace).map(dataVolumeStorage)), format: formatBytes,
                    }]),
                ];
                for (const { key, what, quota, used, format } of dimensions) {
                    const raw = team.quota[key as keyof TeamProps["quota"]];
                    if (quota === undefined) {
                        report(`Team ${team.name}: quota.${key} "${raw}" is not a quantity; fix it in ironcloud:teams.`, service.urn);
                    } else if (used > quota) {
                        report(`Team ${team.name}: ${key === "storage" ? "DataVolumes" : "VMs"} in namespace ${team.namespace} request ${format(used)} ${what}, over the quota of ${format(quota)}; raise quota.${key} in ironcloud:teams or shrink the VMs.`, service.urn);
                    }
                }
            }
        }
    },
});
