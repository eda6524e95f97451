import * as k8s from "@pulumi/kubernetes";
import { resourcePolicyOfType } from "../lib/policy";
import { parsedCloudInit, fileContent, isSshdConfig, usersOf } from "./cloudInit";

const hasKeys = (keys: unknown) => Array.isArray(keys) && keys.some((k) => typeof k === "string" && k.trim() !== "");

/** Without passwords, a VM with neither a key nor a trusted user CA cannot be logged into at all. */
export const vmLoginConfigured = resourcePolicyOfType(k8s.core.v1.Secret, {
    name: "vm-login-configured",
    description: "Cloud-init gives every VM a way in: at least one authorized SSH key, or an sshd drop-in that trusts a user CA (TrustedUserCAKeys).",
    severity: "medium",
    remediationSteps: "Give the VM (or its fleet) authorizedKeys or trustedUserCAKeys in the stack config, or rely on ironcloud:access.trustedUserCAKeys.",
    validate: (props, args, report) => {
        const cloudInit = parsedCloudInit(props, args, report);
        if (!cloudInit) return;
        const { config, secret } = cloudInit;
        if (hasKeys(config.ssh_authorized_keys) || usersOf(config).some((u) => hasKeys(u.ssh_authorized_keys))) return;
        const trustsCa = (config.write_files ?? []).some((f) => isSshdConfig(f.path) && /^\s*TrustedUserCAKeys\s+\S+/im.test(fileContent(f)));
        if (!trustsCa) report(`Secret ${secret}: cloud-init gives no user an authorized SSH key and sshd trusts no user CA; set authorizedKeys or trustedUserCAKeys for the VM.`);
    },
});
