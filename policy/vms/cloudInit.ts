import type * as k8s from "@pulumi/kubernetes";
import { ReportViolation, ResourceValidationArgs, UnknownValueError } from "@pulumi/policy";
import type { Unwrap } from "@pulumi/pulumi";
import { parse } from "yaml";
import { namespacedName } from "../namespaces/teamNamespaces";

/**
 * Cloud-init user-data as the VM policies see it. The Secret holds the VM's private host key:
 * policies read it but never put any of its content in a message.
 */

export interface CloudUser {
    name?: string;
    lock_passwd?: unknown;
    ssh_authorized_keys?: unknown[];
    [key: string]: unknown;
}

export interface CloudConfig {
    ssh_pwauth?: unknown;
    ssh_authorized_keys?: unknown[];
    users?: (CloudUser | string)[];
    write_files?: { path?: string; content?: unknown; encoding?: string }[];
    [key: string]: unknown;
}

export type CloudInit = { secret: string; config: CloudConfig } | { secret: string; invalid: true };

/** A Secret's inputs, as the policies on k8s.core.v1.Secret receive them. */
export type SecretProps = Unwrap<k8s.core.v1.SecretArgs>;

/** KubeVirt reads `userdata` or `userData` from a cloudInitNoCloud / cloudInitConfigDrive secretRef. */
const userDataKeys = ["userdata", "userData"];

/**
 * Where ironcloud puts the user-data minus its host keys (components/vms/cloudInit.ts): known at
 * preview, when the user-data itself is not (it embeds a key the same run creates).
 */
export const publicCloudConfigAnnotation = "ironcloud.dev/public-cloud-config";

/**
 * The Secret's user-data when it is known (at `up`, or a plain Secret); at preview otherwise the
 * public part beside it. With neither, the unknown value stops the policy and the CLI says it
 * cannot run during preview.
 */
function cloudConfigTextOf(secret: SecretProps): string | undefined {
    try {
        return userDataOf(secret);
    } catch (error) {
        if (!(error instanceof UnknownValueError)) throw error;
        const publicPart: unknown = secret.metadata?.annotations?.[publicCloudConfigAnnotation];
        if (typeof publicPart !== "string") throw error;
        return publicPart;
    }
}

function userDataOf(secret: SecretProps): string | undefined {
    const stringData: Record<string, unknown> = secret.stringData ?? {};
    const data: Record<string, unknown> = secret.data ?? {};
    for (const key of userDataKeys) {
        if (typeof stringData[key] === "string") return stringData[key] as string;
        if (typeof data[key] === "string") return Buffer.from(data[key] as string, "base64").toString("utf8");
    }
    return undefined;
}

/** The parsed cloud-config of a Secret; notApplicable for a Secret that holds none. */
export function cloudInitOf(props: SecretProps, args: ResourceValidationArgs): CloudInit {
    const userData = cloudConfigTextOf(props);
    if (userData === undefined || !userData.startsWith("#cloud-config")) args.notApplicable("not a cloud-config Secret");
    const secret = namespacedName(props.metadata, args.name);
    try {
        const config = parse(userData as string) as unknown;
        if (config === null || typeof config !== "object" || Array.isArray(config)) return { secret, invalid: true };
        return { secret, config: config as CloudConfig };
    } catch {
        // The parser's message quotes the text around the error: never pass it on.
        return { secret, invalid: true };
    }
}

/**
 * The parsed cloud-config of a cloud-init Secret, or undefined after reporting that it does not
 * parse (so a broken user-data cannot hide a password).
 */
export function parsedCloudInit(props: SecretProps, args: ResourceValidationArgs, report: ReportViolation): { secret: string; config: CloudConfig } | undefined {
    const cloudInit = cloudInitOf(props, args);
    if (!("invalid" in cloudInit)) return cloudInit;
    report(`Secret ${cloudInit.secret}: cloud-init user-data is not a valid YAML cloud-config; fix the user-data so it can be checked.`);
    return undefined;
}

/** `users` entries as objects ("default" and other plain strings carry no settings). */
export const usersOf = (config: CloudConfig): CloudUser[] =>
    (Array.isArray(config.users) ? config.users : []).filter((u): u is CloudUser => u !== null && typeof u === "object");

/** Names users as "user ubuntu" or "users[2]", never by anything secret. */
export const userLabel = (user: CloudUser, index: number) => (typeof user.name === "string" ? `user ${user.name}` : `users[${index}]`);

/** Decoded content of a write_files entry. */
export function fileContent(file: { content?: unknown; encoding?: string }): string {
    if (typeof file.content !== "string") return "";
    return /^(b64|base64)$/.test(file.encoding ?? "") ? Buffer.from(file.content, "base64").toString("utf8") : file.content;
}

export const isSshdConfig = (path: string | undefined) => path === "/etc/ssh/sshd_config" || /^\/etc\/ssh\/sshd_config\.d\/[^/]+\.conf$/.test(path ?? "");

/** cloud-init accepts YAML booleans and a few strings for on/off settings. */
export const isTrue = (value: unknown) => value === true || (typeof value === "string" && /^(true|yes|on|1)$/i.test(value));
export const isFalse = (value: unknown) => value === false || (typeof value === "string" && /^(false|no|off|0)$/i.test(value));
