/**
 * One thing wrong with the stack config: where (a path below `ironcloud:`, or inside `file` for
 * a problem in a team's inventory file; empty for the file as a whole) and why.
 */
export interface Problem {
    path: string;
    message: string;
    /** The inventory file (relative to the project directory) the path is in. */
    file?: string;
}

/** How a user finds the place: `ironcloud:vms[3].os` in the stack file, `<file>: vms[3].os` in an inventory. */
export function problemLocation(problem: Problem): string {
    if (problem.file === undefined) return `ironcloud:${problem.path}`;
    return problem.path === "" ? problem.file : `${problem.file}: ${problem.path}`;
}
