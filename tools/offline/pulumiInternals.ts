/**
 * The few Pulumi SDK internals an offline evaluation needs: they are what `setMocks` itself
 * uses, but the published typings hide them.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const settings = require("@pulumi/pulumi/runtime/settings") as {
    setMockOptions(monitor: unknown, project?: string, stack?: string, preview?: boolean): void;
    waitForRPCs(): Promise<void>;
};
const state = require("@pulumi/pulumi/runtime/state") as {
    getStore(): Record<string, unknown>;
};

/** Installs `monitor` as the engine, with the features `pulumi.runtime.setMocks` enables. */
export function installMonitor(monitor: unknown, project: string, stack: string): void {
    settings.setMockOptions(monitor, project, stack, false);
    Object.assign(state.getStore(), {
        supportsSecrets: true,
        supportsResourceReferences: true,
        supportsOutputValues: false,
        supportsDeletedWith: true,
        supportsAliasSpecs: true,
    });
}

/** Resolves when every registration the program started has been answered. */
export function waitForRegistrations(): Promise<void> {
    return settings.waitForRPCs();
}
