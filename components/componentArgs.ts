import { z } from "zod";
import { describeIssue } from "../infra/validation/issues";
import { Problem } from "../infra/validation/problem";

/** Every problem of a component's args at once, each as `<Component> "<name>": <path>: <why>`. */
export class ComponentArgsError extends Error {
    constructor(readonly component: string, readonly resourceName: string, readonly problems: Problem[]) {
        super(`invalid args (${problems.length} ${problems.length === 1 ? "problem" : "problems"}):\n` +
            problems.map((p) => `  ${component} "${resourceName}": ${p.path}: ${p.message}`).join("\n"));
        this.name = "ComponentArgsError";
    }
}

/** Throws ComponentArgsError when there is any problem; the rules are the stack config's own. */
export function checkArgs(component: string, name: string, problems: Problem[]): void {
    if (problems.length > 0) throw new ComponentArgsError(component, name, problems);
}

/** `value` parsed by `schema` (defaults applied), or a ComponentArgsError with every issue at its path below `rootPath`. */
export function parseArgs<T>(component: string, name: string, schema: z.ZodType<T>, value: unknown, rootPath: string): T {
    const parsed = schema.safeParse(value, { reportInput: true });
    if (parsed.success) return parsed.data;
    throw new ComponentArgsError(component, name, parsed.error.issues.flatMap((issue) => describeIssue(rootPath, schema, issue)));
}
