import { z } from "zod";
import { Problem } from "./problem";

/**
 * zod's issues as problems a user can act on: the path in config notation (`vms[3].os`) and a
 * message that says what is allowed, for a value parsed with `schema` at `rootPath`.
 */
export function describeIssue(rootPath: string, schema: z.ZodType, issue: z.core.$ZodIssue): Problem[] {
    const path = [rootPath, ...issue.path.map(String)].reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc === "" ? part : `${acc}.${part}`));
    switch (issue.code) {
        case "unrecognized_keys":
            return issue.keys.map((unknown) => ({ path: path === "" ? unknown : `${path}.${unknown}`, message: `unknown key; allowed: ${allowedKeysAt(schema, issue.path).join(", ")}` }));
        case "invalid_type":
            return [{ path, message: issue.input === undefined ? "is required" : `must be ${expectedType(issue.expected)}, not ${describeValue(issue.input)}` }];
        case "invalid_value":
            return [{ path, message: `must be one of ${issue.values.map(String).join(", ")}, not ${describeValue(issue.input)}` }];
        case "invalid_union":
            return [{ path, message: `must be a number or a string, not ${describeValue(issue.input)}` }];
        case "too_small":
            return [{ path, message: sizeMessage("at least", issue.origin, Number(issue.minimum)) }];
        case "too_big":
            return [{ path, message: sizeMessage("at most", issue.origin, Number(issue.maximum)) }];
        case "invalid_key":
            return issue.issues.map((inner) => ({ path, message: `key "${String(issue.input)}": ${inner.message}` }));
        default:
            return [{ path, message: issue.message }];
    }
}

function allowedKeysAt(root: z.ZodType, path: PropertyKey[]): string[] {
    let schema = root;
    for (const part of path) schema = childSchema(unwrap(schema), part);
    const shape = (unwrap(schema) as z.ZodObject).shape;
    return shape ? Object.keys(shape) : [];
}

function unwrap(schema: z.ZodType): z.ZodType {
    let current = schema;
    while (current instanceof z.ZodDefault || current instanceof z.ZodOptional || current instanceof z.ZodPipe) {
        current = current instanceof z.ZodPipe ? (current.in as z.ZodType) : (current.unwrap() as z.ZodType);
    }
    return current;
}

function childSchema(schema: z.ZodType, part: PropertyKey): z.ZodType {
    if (schema instanceof z.ZodArray) return schema.element as z.ZodType;
    if (schema instanceof z.ZodRecord) return schema.valueType as z.ZodType;
    if (schema instanceof z.ZodObject) return schema.shape[String(part)] as z.ZodType;
    return schema;
}

function expectedType(expected: string): string {
    if (expected === "int") return "a whole number";
    if (expected === "record" || expected === "object") return "a map";
    if (expected === "array") return "a list";
    return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function sizeMessage(bound: "at least" | "at most", origin: string, limit: number): string {
    if (origin === "string") return bound === "at least" && limit === 1 ? "must not be empty" : `must be ${bound} ${limit} characters`;
    if (origin === "array") return bound === "at least" && limit === 1 ? "must not be empty" : `must have ${bound} ${limit} ${limit === 1 ? "entry" : "entries"}`;
    return `must be ${bound} ${limit}`;
}

export function describeValue(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) return "a list";
    if (typeof value === "object") return "a map";
    return JSON.stringify(value);
}
