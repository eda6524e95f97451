import { drbdExtension, lacksDrbd } from "../lib/rules/storageRules";
import { stackPolicy, types } from "../lib/policy";

/** LINSTOR replicates through DRBD, which on Talos comes from the extension and its modules. */
export const storageNeedsDrbd = stackPolicy({
    name: "storage-needs-drbd",
    description: "When LINSTOR storage is on, Talos nodes carry the siderolabs/drbd extension and load the drbd and drbd_transport_tcp modules.",
    severity: "critical",
    remediationSteps: "Add siderolabs/drbd to ironcloud:cluster.extensions (ironcloud then loads the modules), or turn platform.storage off.",
    validate: (args, report) => {
        if (!args.resources.some((r) => r.type === types.storage)) return;
        for (const cluster of args.resources.filter((r) => r.type === types.talosCluster)) {
            const { extensions = [], kernelModules = [] } = cluster.props as { extensions?: string[]; kernelModules?: string[] };
            if (lacksDrbd(extensions)) report(`${cluster.name} runs LINSTOR storage without the ${drbdExtension} extension.`, cluster.urn);
            for (const module of ["drbd", "drbd_transport_tcp"]) {
                if (!kernelModules.includes(module)) report(`${cluster.name} runs LINSTOR storage without loading the ${module} kernel module.`, cluster.urn);
            }
        }
    },
});
