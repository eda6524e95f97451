import { z } from "zod";
import { isCidr, isIpAddress } from "./network";
import { parseBytes, parseCpu } from "../../policy/lib/rules/quantity";
import { notAnSshPublicKey, sshPublicKeyProblem } from "./sshKeys";

/**
 * Field types shared by every section of the stack config. Each carries the message a user
 * sees, so a wrong value says what is allowed instead of what the parser expected.
 */

const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export const dnsLabel = z
    .string()
    .max(63, "must be at most 63 characters (a DNS-1123 label)")
    .regex(dns1123Label, "must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit");

export const ipAddress = z.string().refine(isIpAddress, "must be an IPv4 or IPv6 address, e.g. 10.0.0.11");

export const cidr = z.string().refine(isCidr, "must be a network in CIDR notation whose address is the network address, e.g. 10.244.0.0/16");

export const httpsUrl = z.string().refine((value) => {
    try {
        const url = new URL(value);
        return url.protocol === "https:" && url.hostname !== "" && url.port !== "" && url.pathname === "/" && !value.endsWith("/")
            && url.search === "" && url.hash === "" && url.username === "" && url.password === "";
    } catch {
        return false;
    }
}, "must be an https URL with host and port and no path, e.g. https://10.0.0.10:6443");

/**
 * A service reached at its origin only (`https://host[:port]`): the Image Factory serves its
 * container registry at the root of its host, so a path could not carry over to image names.
 */
export const httpsOrigin = z.string().refine((value) => {
    try {
        const url = new URL(value);
        return url.protocol === "https:" && url.hostname !== "" && url.pathname === "/" && !value.endsWith("/")
            && url.search === "" && url.hash === "" && url.username === "" && url.password === "";
    } catch {
        return false;
    }
}, "must be an https URL with a host (and optional port) and no path, e.g. https://factory.internal.example");

/**
 * A network card's MAC address as firmware labels and tools print it (`0C:C4:7A:12:34:56`,
 * `0c-c4-7a-12-34-56`), kept in the lower-case colon form iPXE's `${mac}` and dnsmasq use.
 */
export const macAddress = z
    .string()
    .regex(/^[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(\1[0-9A-Fa-f]{2}){4}$/, "must be a MAC address such as 0c:c4:7a:12:34:56 (six hex pairs, all separated by ':' or all by '-')")
    .transform((mac) => mac.toLowerCase().replaceAll("-", ":"));

export const devicePath = z.string().regex(/^\/dev\/[A-Za-z0-9/_.:-]+$/, "must be a device path such as /dev/nvme0n1 or /dev/disk/by-id/…");

export const cpuQuantity = z
    .union([z.number(), z.string()])
    .refine((value) => (parseCpu(value) ?? 0) > 0, "must be a positive CPU quantity such as 2, 0.5 or 500m")
    .transform(String);

export const byteQuantity = z
    .union([z.number(), z.string()])
    .refine((value) => (parseBytes(value) ?? 0) > 0, "must be a positive byte quantity such as 8Gi, 512Mi or 40G")
    .transform(String);

export const sshPublicKey = z.string().superRefine((line, ctx) => {
    const problem = sshPublicKeyProblem(line);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/**
 * An entry of authorizedKeys or trustedUserCAKeys: a public key line, or the name of one declared
 * in `ironcloud:sshKeys` (a key line always has a space, a name never does).
 */
export const sshKeyOrName = z.string().superRefine((value, ctx) => {
    if (isSshKeyName(value)) return;
    const problem = sshPublicKeyProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem === notAnSshPublicKey ? `${problem}, or the name of a key in ironcloud:sshKeys` : problem });
});

export function isSshKeyName(value: string): boolean {
    return dnsLabel.safeParse(value).success;
}

export const labels = z.record(
    z.string().regex(/^([a-z0-9.-]+\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/, "label keys must be Kubernetes label names"),
    z.string().regex(/^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/, "label values must be at most 63 letters, digits, '-', '_' or '.'").max(63),
);

/** A strict object: a key the schema does not know is an error, never silently ignored. */
export function section<Shape extends z.ZodRawShape>(shape: Shape) {
    return z.strictObject(shape);
}

/** A list whose entries must be unique (compared as given). */
export function uniqueList<Item extends z.ZodType<string>>(item: Item) {
    return z.array(item).superRefine((items, ctx) => {
        items.forEach((value, index) => {
            if (items.indexOf(value) !== index) ctx.addIssue({ code: "custom", path: [index], message: `duplicate entry "${value}"` });
        });
    });
}
