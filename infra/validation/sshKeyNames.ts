import { isSshKeyName } from "./fields";
import { Problem } from "./problem";

interface KeyLists { authorizedKeys: string[]; trustedUserCAKeys: string[] }

/**
 * Replaces each key name in the keyholders' authorizedKeys and trustedUserCAKeys with the key
 * it names in `ironcloud:sshKeys`; a name that is not declared is a problem at its own path.
 * `holders` maps a config path (e.g. `vms[3]`) to the section that holds the lists.
 */
export function resolveSshKeyNames<Holder extends KeyLists>(holders: [string, Holder][], sshKeys: Record<string, string>): { problems: Problem[]; resolved: Holder[] } {
    const problems: Problem[] = [];
    const declared = Object.keys(sshKeys);
    const resolveList = (path: string, entries: string[]) => entries.map((entry, i) => {
        if (!isSshKeyName(entry)) return entry;
        const key = sshKeys[entry];
        if (key === undefined) {
            problems.push({ path: `${path}[${i}]`, message: `names no key in ironcloud:sshKeys (declared: ${declared.length > 0 ? declared.join(", ") : "none"})` });
        }
        return key ?? entry;
    });
    const resolved = holders.map(([path, holder]) => ({
        ...holder,
        authorizedKeys: resolveList(`${path}.authorizedKeys`, holder.authorizedKeys),
        trustedUserCAKeys: resolveList(`${path}.trustedUserCAKeys`, holder.trustedUserCAKeys),
    }));
    return { problems, resolved };
}
