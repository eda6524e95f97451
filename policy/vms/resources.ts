import { parseBytes, parseCpu } from "../lib/rules/quantity";
import { resourcePolicy, types } from "../lib/policy";
import { objectRef, vmRequestsOf } from "./virtualMachine";

/** Requests are what the scheduler and the team quota count; a VM without them is invisible to both. */
export const vmResources = resourcePolicy({
    name: "vm-resources",
    description: "Every VirtualMachine requests CPU and memory (spec.template.spec.domain.resources.requests) as valid quantities.",
    severity: "high",
    remediationSteps: "Set cpu and memory on the VM, its fleet or its operating system's resources in the stack config.",
    validate: (args, report) => {
        if (args.type !== types.virtualMachine) args.notApplicable("only VirtualMachines request VM resources");
        const requests = vmRequestsOf(args);
        const vm = objectRef(args);
        if (requests.cpu === undefined) report(`VirtualMachine ${vm} requests no CPU; set spec.template.spec.domain.resources.requests.cpu.`);
        else if (!((parseCpu(requests.cpu) ?? 0) > 0)) report(`VirtualMachine ${vm} requests CPU "${requests.cpu}", which is not a positive CPU quantity such as 2 or 500m.`);
        if (requests.memory === undefined) report(`VirtualMachine ${vm} requests no memory; set spec.template.spec.domain.resources.requests.memory.`);
        else if (!((parseBytes(requests.memory) ?? 0) > 0)) report(`VirtualMachine ${vm} requests memory "${requests.memory}", which is not a positive byte quantity such as 4Gi.`);
    },
});
