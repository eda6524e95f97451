import { environmentOf, resourcePolicy, types } from "../lib/policy";

/** A stolen or returned disk must not carry the cluster's secrets. */
export const talosDiskEncryption = resourcePolicy({
    name: "talos-disk-encryption",
    description: "Talos system disks (STATE and EPHEMERAL) are encrypted in production.",
    severity: "high",
    remediationSteps: "Set ironcloud:cluster.diskEncryption to tpm (or nodeID where nodes have no TPM).",
    validate: (args, report) => {
        if (args.type !== types.talosCluster) args.notApplicable("only Talos clusters have system disks");
        if (environmentOf(args) !== "prod") args.notApplicable("disk encryption is required in prod only");
        if (args.props.diskEncryption === "none") report(`${args.name} does not encrypt its system disks; set cluster.diskEncryption to tpm or nodeID.`);
    },
});
