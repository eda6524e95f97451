import { environmentOf, resourcePolicy, types } from "../lib/policy";
import { objectRef, vmSpecOf } from "./virtualMachine";

/** A production disk is data: deleting it must take an explicit unprotect first. */
export const vmDisksProtected = resourcePolicy({
    name: "vm-disks-protected",
    description: "In production every DataVolume (and every VirtualMachine that owns dataVolumeTemplates) is protected from deletion.",
    severity: "high",
    remediationSteps: "Create persistent disks as separate DataVolumes with protect: true (components/vms/teamVms.ts does this when environment is prod).",
    validate: (args, report) => {
        if (args.type !== types.dataVolume && args.type !== types.virtualMachine) args.notApplicable("only DataVolumes and VirtualMachines hold persistent disks");
        if (environmentOf(args) !== "prod") args.notApplicable("disks are protected in prod only");
        if (args.opts.protect) return;
        if (args.type === types.dataVolume) {
            report(`DataVolume ${objectRef(args)} is not protected; set protect: true so the disk cannot be deleted by an update.`);
        } else if ((vmSpecOf(args).dataVolumeTemplates ?? []).length > 0) {
            report(`VirtualMachine ${objectRef(args)} owns dataVolumeTemplates but is not protected; set protect: true or move the disks to protected DataVolumes.`);
        }
    },
});
