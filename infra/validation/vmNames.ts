import { Problem } from "./problem";

/**
 * The names of the objects a VM becomes. components/vms names its objects with these functions
 * and validation checks them for clashes, so the names checked are the names created.
 */

export const rootDiskName = (vm: string) => `${vm}-root`;
export const volumeName = (vm: string, volume: string) => `${vm}-${volume}`;
export const cloudInitSecretName = (vm: string) => `${vm}-cloud-init`;
/** A team's objects are Pulumi resources named `<namespace>-<object>`, unique in the whole stack. */
export const teamResourceName = (namespace: string, object: string) => `${namespace}-${object}`;

/** Volumes of a VirtualMachine spec that ironcloud names itself; `volumes[].name` cannot take them. */
export const builtInVolumes: readonly string[] = ["root", "cloudinit"];

/** One VM as it will exist: a declared VM, or one member of a fleet. */
export interface VmInstance {
    name: string;
    /** The team, whose namespace (the team name) holds the VM's objects. */
    team: string;
    /** Where the VM is declared, e.g. vms[2] or fleets[0]. */
    path: string;
    disk: boolean;
    volumes: { name: string }[];
}

interface NamedObject {
    kind: string;
    name: string;
    path: string;
    what: string;
    vm: VmInstance;
}

function objectsOf(vm: VmInstance): NamedObject[] {
    return [
        { kind: "VirtualMachine", name: vm.name, path: `${vm.path}.name`, what: `VM "${vm.name}"`, vm },
        { kind: "Secret", name: cloudInitSecretName(vm.name), path: `${vm.path}.name`, what: `the cloud-init Secret of VM "${vm.name}"`, vm },
        ...(vm.disk ? [{ kind: "DataVolume", name: rootDiskName(vm.name), path: `${vm.path}.disk`, what: `the root disk of VM "${vm.name}"`, vm }] : []),
        ...vm.volumes.map((volume, j) => ({ kind: "DataVolume", name: volumeName(vm.name, volume.name), path: `${vm.path}.volumes[${j}].name`, what: `volume "${volume.name}" of VM "${vm.name}"`, vm })),
    ];
}

/**
 * Every clash between the objects of all VMs: the same kind and name in one team's namespace
 * (the API server refuses the second), or the same Pulumi resource name across teams (team "a"
 * VM "b-c" and team "a-b" VM "c" are both `a-b-c`; the engine refuses a duplicate URN).
 */
export function vmNameProblems(vms: VmInstance[]): Problem[] {
    const seen = new Map<string, NamedObject>();
    const problems: Problem[] = [];
    for (const object of vms.flatMap(objectsOf)) {
        const key = `${object.kind}/${teamResourceName(object.vm.team, object.name)}`;
        const first = seen.get(key);
        if (first === undefined) {
            seen.set(key, object);
        } else if (object.kind !== "VirtualMachine" && teamResourceName(first.vm.team, first.vm.name) === teamResourceName(object.vm.team, object.vm.name)) {
            // Two VMs of one name clash in every object; the VM's own clash says it once.
            continue;
        } else if (first.vm.team !== object.vm.team) {
            problems.push({ path: object.path, message: `${object.what} of team "${object.vm.team}" and ${first.what} of team "${first.vm.team}" (${first.vm.path}) would both be the ${object.kind} resource "${teamResourceName(object.vm.team, object.name)}" (resources are named <team>-<object>); rename one of them` });
        } else if (object.kind === "VirtualMachine") {
            problems.push({ path: object.path, message: `VM "${object.name}" already exists in team "${object.vm.team}" (declared at ${first.vm.path})` });
        } else {
            problems.push({ path: object.path, message: `${object.what} would be the ${object.kind} "${object.name}" in team "${object.vm.team}", which is already ${first.what} (${first.vm.path}); rename the VM or the volume` });
        }
    }
    return problems;
}
