import { resourcePolicy, types } from "../lib/policy";
import { metadataOf } from "../namespaces/teamNamespaces";
import { objectRef } from "./virtualMachine";

/** Labels ironcloud reads on VMs (components/labels.ts). */
export const requiredVmLabels = ["ironcloud.dev/team", "ironcloud.dev/owner"];

/** Every VM answers "whose is this?" — for quota, cost and who to call before deleting it. */
export const vmLabels = resourcePolicy({
    name: "vm-labels",
    description: "Every VirtualMachine carries the ironcloud.dev/team and ironcloud.dev/owner labels.",
    severity: "medium",
    remediationSteps: "Set team and owner on the VM or fleet in ironcloud:vms / ironcloud:fleets; ironcloud turns them into labels.",
    validate: (args, report) => {
        if (args.type !== types.virtualMachine) args.notApplicable("only VirtualMachines carry VM labels");
        const labels = metadataOf(args).labels ?? {};
        const missing = requiredVmLabels.filter((label) => !labels[label]);
        if (missing.length > 0) report(`VirtualMachine ${objectRef(args)} has no ${missing.join(" or ")} label; set ${missing.map((l) => l.replace("ironcloud.dev/", "")).join(" and ")} on the VM or its fleet.`);
    },
});
