import { resourcePolicy, types } from "../lib/policy";
import { objectRef, vmSpecOf } from "./virtualMachine";

export const runStrategies = ["Always", "RerunOnFailure", "Manual", "Halted", "Once", "WaitAsReceiver"];

/** KubeVirt deprecated spec.running; runStrategy says what happens after a crash or a shutdown. */
export const vmRunStrategy = resourcePolicy({
    name: "vm-run-strategy",
    description: "Every VirtualMachine sets spec.runStrategy to a known strategy and does not set the deprecated spec.running.",
    severity: "low",
    remediationSteps: "Set runStrategy on the VM or fleet (Always, RerunOnFailure, Manual, Halted or Once) and remove running.",
    validate: (args, report) => {
        if (args.type !== types.virtualMachine) args.notApplicable("only VirtualMachines have a run strategy");
        const spec = vmSpecOf(args);
        const vm = objectRef(args);
        if (spec.running !== undefined) report(`VirtualMachine ${vm} sets the deprecated spec.running; remove it and set spec.runStrategy.`);
        if (spec.runStrategy === undefined) report(`VirtualMachine ${vm} sets no spec.runStrategy; set one of ${runStrategies.join(", ")}.`);
        else if (!runStrategies.includes(spec.runStrategy)) report(`VirtualMachine ${vm} has unknown runStrategy "${spec.runStrategy}"; use one of ${runStrategies.join(", ")}.`);
    },
});
