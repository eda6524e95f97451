/**
 * The @pulumi/policy internals the offline runner needs. The proxy CrossGuard wraps props in, so
 * reading a value unknown at preview throws UnknownValueError offline exactly as under the CLI:
 * exported by the package at runtime, its published typings hide it.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const proxy = require("@pulumi/policy/proxy") as { unknownCheckingProxy<T extends object>(value: T): T };

export const unknownCheckingProxy = <T extends object>(value: T): T => proxy.unknownCheckingProxy(value);

/**
 * The type token a resource class or a typed validation (validateResourceOfType) carries as
 * `__pulumiType`; the SDK's resource classes have one, and CrossGuard skips a typed validation
 * for resources of any other type without calling it.
 */
export function pulumiTypeOf(value: unknown): string | undefined {
    const type = (value as { __pulumiType?: unknown } | undefined)?.__pulumiType;
    return typeof type === "string" && type !== "" ? type : undefined;
}

/** CrossGuard's `isType`: the class's type token, or else its `isInstance` on an object of that type. */
export function isTypeOf(type: string, resourceClass: unknown): boolean {
    const classType = pulumiTypeOf(resourceClass);
    if (classType !== undefined) return classType === type;
    const isInstance = (resourceClass as { isInstance?: unknown } | undefined)?.isInstance;
    return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}
