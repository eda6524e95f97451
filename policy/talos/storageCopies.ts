import * as k8s from "@pulumi/kubernetes";
import { environmentOf, resourcePolicyOfType } from "../lib/policy";
import { copiesProblem } from "../lib/rules/storageRules";

const linstor = "linstor.csi.linbit.com";

/**
 * Copies a LINSTOR StorageClass keeps of each volume: placementCount (or the older autoPlace);
 * LINSTOR places one copy when neither is set.
 */
export function linstorCopies(parameters: Record<string, unknown> | undefined): number {
    const count = parameters?.[`${linstor}/placementCount`] ?? parameters?.[`${linstor}/autoPlace`] ?? parameters?.autoPlace ?? "1";
    return Number(count);
}

/**
 * Production keeps copies of data: the rule validation applies to platform.storage.replicas
 * (policy/lib/rules/storageRules.ts), here for every LINSTOR StorageClass, a site's own included.
 * ironcloud's `local` class keeps one copy by design and is exempt by name in config.prod.json.
 */
export const storageKeepsCopies = resourcePolicyOfType(k8s.storage.v1.StorageClass, {
    name: "storage-keeps-copies",
    description: "In production every LINSTOR StorageClass keeps at least 2 copies of each volume (placementCount), so losing a node or disk loses no data.",
    severity: "critical",
    remediationSteps: "Set ironcloud:platform.storage.replicas to 2 or more (or placementCount of the site's StorageClass); a deliberate single-copy class needs a named exemption.",
    validate: (storageClass, args, report) => {
        if (storageClass.provisioner !== linstor) args.notApplicable("only LINSTOR StorageClasses place copies");
        const copies = linstorCopies(storageClass.parameters);
        const problem = copiesProblem(environmentOf(args), copies);
        if (problem) report(`StorageClass ${storageClass.metadata?.name ?? args.name} ${problem}; raise linstor.csi.linbit.com/placementCount (platform.storage.replicas for ironcloud's replicated class).`);
    },
});
