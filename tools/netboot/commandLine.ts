/**
 * The kernel command line a node boots with. The Image Factory (and Talos's imager, which it
 * runs) composes it per schematic, Talos version and architecture: `talos.platform=metal`, the
 * platform's console arguments, Talos's default hardening arguments, then the schematic's
 * extraKernelArgs (which may override or, negated with a leading `-`, remove a default). Those
 * defaults change between Talos releases, so netboot does not guess them: it takes the factory's
 * own `cmdline-metal-<arch>` file (mirrored beside the kernel, or fetched from the factory) and
 * checks that it is this stack's.
 */

/** The command line from the factory's cmdline file, or the reasons it is not the stack's. */
export function bootCommandLine(factoryCmdline: string, kernelArgs: string[]): { cmdline: string } | { problems: string[] } {
    const cmdline = factoryCmdline.trim();
    const args = cmdline.split(/\s+/).filter(Boolean);
    const problems: string[] = [];
    if (/[\r\n]/.test(cmdline)) problems.push("must be one line");
    if (!args.includes("talos.platform=metal")) problems.push("must name talos.platform=metal (it is the metal image's command line)");
    const missing = kernelArgs.filter((arg) => !arg.startsWith("-") && !args.includes(arg));
    if (missing.length > 0) problems.push(`lacks the stack's cluster.kernelArgs ${missing.join(" ")}: it belongs to another schematic`);
    return problems.length > 0 ? { problems } : { cmdline };
}
