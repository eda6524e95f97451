/**
 * The one @pulumi/policy internal the offline runner needs: the proxy CrossGuard wraps props in,
 * so reading a value unknown at preview throws UnknownValueError offline exactly as under the
 * CLI. Exported by the package at runtime; its published typings hide it.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const proxy = require("@pulumi/policy/proxy") as { unknownCheckingProxy<T extends object>(value: T): T };

export const unknownCheckingProxy = <T extends object>(value: T): T => proxy.unknownCheckingProxy(value);
