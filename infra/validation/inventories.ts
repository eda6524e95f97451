import { ProjectFiles } from "../projectFiles";
import { parseStackYaml } from "../stackYaml";
import { describeIssue, describeValue } from "./issues";
import { Problem } from "./problem";
import { FleetConfig, inventory, TeamConfig, VmConfig } from "./sections";

/**
 * Team inventories: each team may keep its VMs and fleets in a file of its own
 * (`teams[].inventory`), so a team reviews and owns its file and a stack of thousands of VMs stays
 * within the engine's 128 KiB config limit. Their VMs join the stack's own after its inline ones,
 * and every later rule reports a VM at the file and path where it was written.
 */

/**
 * The inventory files a stack file's `config:` map names, read before (and whatever the outcome
 * of) validation: for the secrets lint and for tools that copy a stack with its files.
 */
export function inventoryPaths(config: Record<string, unknown>): string[] {
    const teams = config["ironcloud:teams"];
    return (Array.isArray(teams) ? teams : []).flatMap((team) => (typeof team?.inventory === "string" ? [team.inventory as string] : []));
}

/** Where a VM or fleet of the merged lists was written: a path in the stack config or in `file`. */
export interface Origin {
    path: string;
    file?: string;
}

export interface Workloads {
    vms: VmConfig[];
    fleets: FleetConfig[];
    vmOrigins: Origin[];
    fleetOrigins: Origin[];
}

/** The inline VMs and fleets followed by every team inventory's, with each one's origin. */
export function mergeInventories(inline: { vms: VmConfig[]; fleets: FleetConfig[] }, teams: TeamConfig[], files: ProjectFiles): { workloads: Workloads; problems: Problem[] } {
    const problems: Problem[] = [];
    const workloads: Workloads = {
        vms: [...inline.vms],
        fleets: [...inline.fleets],
        vmOrigins: inline.vms.map((_, i) => ({ path: `vms[${i}]` })),
        fleetOrigins: inline.fleets.map((_, i) => ({ path: `fleets[${i}]` })),
    };
    const owners = new Map<string, number>();
    teams.forEach((team, t) => {
        if (team.inventory === undefined) return;
        const owner = owners.get(team.inventory);
        if (owner !== undefined) {
            problems.push({ path: `teams[${t}].inventory`, message: `"${team.inventory}" is already the inventory of team "${teams[owner].name}" (teams[${owner}]); each team owns its own file` });
            return;
        }
        owners.set(team.inventory, t);
        const read = readInventory(team, `teams[${t}].inventory`, files);
        problems.push(...read.problems);
        if (!read.inventory) return;
        const file = team.inventory;
        read.inventory.vms.forEach((vm, i) => {
            workloads.vms.push(vm);
            workloads.vmOrigins.push({ file, path: `vms[${i}]` });
        });
        read.inventory.fleets.forEach((fleet, i) => {
            workloads.fleets.push(fleet);
            workloads.fleetOrigins.push({ file, path: `fleets[${i}]` });
        });
    });
    problems.push(...inlineWorkloadsOfInventoryTeams(inline, teams));
    return { workloads, problems };
}

/** A team with an inventory keeps all its VMs there: one place to read, one owner to review. */
function inlineWorkloadsOfInventoryTeams(inline: { vms: VmConfig[]; fleets: FleetConfig[] }, teams: TeamConfig[]): Problem[] {
    const withInventory = new Map(teams.flatMap((team, t) => (team.inventory === undefined ? [] : [[team.name, { file: team.inventory, t }] as const])));
    const check = (list: "vms" | "fleets") => inline[list].flatMap((workload, i) => {
        const home = withInventory.get(workload.team);
        return home ? [{ path: `${list}[${i}].team`, message: `team "${workload.team}" keeps its VMs in ${home.file} (teams[${home.t}].inventory); declare this one there` }] : [];
    });
    return [...check("vms"), ...check("fleets")];
}

function readInventory(team: TeamConfig, configPath: string, files: ProjectFiles): { inventory?: { vms: VmConfig[]; fleets: FleetConfig[] }; problems: Problem[] } {
    const file = team.inventory as string;
    const read = files.read(file);
    if ("problem" in read) return { problems: [{ path: configPath, message: `"${file}" ${read.problem}` }] };
    let document: unknown;
    try {
        document = parseStackYaml(read.text, file) ?? {};
    } catch (error) {
        return { problems: [{ file, path: "", message: (error as Error).message.replace(`${file}: `, "") }] };
    }
    if (typeof document !== "object" || Array.isArray(document) || document === null) {
        return { problems: [{ file, path: "", message: `must be a map with vms and fleets, not ${describeValue(document)}` }] };
    }
    const parsed = inventory.safeParse(document, { reportInput: true });
    if (!parsed.success) return { problems: parsed.error.issues.flatMap((issue) => describeIssue("", inventory, issue)).map((p) => ({ ...p, file })) };

    const problems: Problem[] = [];
    const owned = <T extends { team?: string }>(list: string, workloads: T[]) => workloads.map((workload, i) => {
        if (workload.team !== undefined && workload.team !== team.name) {
            problems.push({ file, path: `${list}[${i}].team`, message: `is "${workload.team}", but this file is the inventory of team "${team.name}" (${configPath}); a team declares only its own VMs` });
        }
        return { ...workload, team: team.name };
    });
    return { inventory: { vms: owned("vms", parsed.data.vms), fleets: owned("fleets", parsed.data.fleets) }, problems };
}

/** Moves a problem about the merged lists (`vms[12].os`) to where that VM was written. */
export function locate(problem: Problem, workloads: Workloads): Problem {
    const match = /^(vms|fleets)\[(\d+)\](.*)$/.exec(problem.path);
    if (problem.file !== undefined || !match) return problem;
    const origin = (match[1] === "vms" ? workloads.vmOrigins : workloads.fleetOrigins)[Number(match[2])];
    return origin ? { ...problem, path: `${origin.path}${match[3]}`, ...(origin.file ? { file: origin.file } : {}) } : problem;
}
