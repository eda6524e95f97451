import { PolicyResource } from "@pulumi/policy";
import { parseBytes, parseCpu } from "../lib/rules/quantity";
import { Quota, quotaOverruns, QuotaKey } from "../lib/rules/quotaRules";
import { stackPolicy, types } from "../lib/policy";
import { inNamespace } from "../namespaces/teamNamespaces";
import { vmRequestsOf } from "../vms/virtualMachine";

interface TeamProps {
    name: string;
    namespace: string;
    quota: Quota;
}

const what: Record<QuotaKey, string> = { cpu: "CPU", memory: "memory", storage: "storage" };

/** The sum of quantities; absent or unreadable ones count as nothing (vm-resources reports those). */
const total = (values: (string | number | undefined)[], parse: (value: string | number) => number | undefined) =>
    values.reduce<number>((sum, v) => sum + (v === undefined ? 0 : (parse(v) ?? 0)), 0);

/** Storage a DataVolume asks for (spec.storage or the older spec.pvc). */
function dataVolumeStorage(r: PolicyResource): string | undefined {
    const spec = (r.props.spec ?? {}) as { storage?: { resources?: { requests?: { storage?: string } } }; pvc?: { resources?: { requests?: { storage?: string } } } };
    return spec.storage?.resources?.requests?.storage ?? spec.pvc?.resources?.requests?.storage;
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
                const usage = {
                    cpu: total(vms.map((vm) => vmRequestsOf(vm).cpu), parseCpu),
                    memory: total(vms.map((vm) => vmRequestsOf(vm).memory), parseBytes),
                    storage: total(inNamespace(args.resources, types.dataVolume, team.namespace).map(dataVolumeStorage), parseBytes),
                };
                for (const overrun of quotaOverruns(team.quota, usage)) {
                    if ("invalid" in overrun) {
                        report(`Team ${team.name}: quota.${overrun.key} "${overrun.invalid}" is not a quantity; fix it in ironcloud:teams.`, service.urn);
                    } else {
                        report(`Team ${team.name}: ${overrun.key === "storage" ? "DataVolumes" : "VMs"} in namespace ${team.namespace} request ${overrun.used} ${what[overrun.key]}, over the quota of ${overrun.limit}; raise quota.${overrun.key} in ironcloud:teams or shrink the VMs.`, service.urn);
                    }
                }
            }
        }
    },
});
