import * as k8s from "@pulumi/kubernetes";
import { resourcePolicyOfType } from "../lib/policy";
import { parsedCloudInit, fileContent, isFalse, isSshdConfig, isTrue, userLabel, usersOf } from "./cloudInit";

/** Top-level keys that set or change passwords. */
const passwordKeys = ["password", "chpasswd"];
/** Per-user keys that set a password (in plain text or hashed: both end up in git and state). */
const userPasswordKeys = ["passwd", "plain_text_passwd", "hashed_passwd", "password", "chpasswd"];

/** VMs are reached with keys and certificates only; a password in user-data is readable by anyone who can read the Secret. */
export const vmNoPasswordAuth = resourcePolicyOfType(k8s.core.v1.Secret, {
    name: "vm-no-password-auth",
    description: "Cloud-init user-data turns SSH password authentication off, sets no passwords and keeps user passwords locked.",
    severity: "critical",
    remediationSteps: "Set ssh_pwauth: false, remove password/chpasswd and every users[].passwd, plain_text_passwd and hashed_passwd, and keep lock_passwd: true (components/vms/cloudInit.ts); log in with authorized keys or the user CA.",
    validate: (props, args, report) => {
        const cloudInit = parsedCloudInit(props, args, report);
        if (!cloudInit) return;
        const { config, secret } = cloudInit;
        if (isTrue(config.ssh_pwauth)) report(`Secret ${secret}: cloud-init sets ssh_pwauth to true; set ssh_pwauth: false.`);
        for (const key of passwordKeys) {
            if (config[key] !== undefined) report(`Secret ${secret}: cloud-init sets ${key}; remove it and log in with keys or certificates.`);
        }
        usersOf(config).forEach((user, index) => {
            for (const key of userPasswordKeys) {
                if (user[key] !== undefined) report(`Secret ${secret}: cloud-init ${userLabel(user, index)} sets ${key}; remove it and log in with keys or certificates.`);
            }
            if (isFalse(user.lock_passwd)) report(`Secret ${secret}: cloud-init ${userLabel(user, index)} sets lock_passwd: false; set lock_passwd: true.`);
        });
        for (const file of config.write_files ?? []) {
            if (isSshdConfig(file.path) && /^\s*PasswordAuthentication\s+yes\b/im.test(fileContent(file))) {
                report(`Secret ${secret}: cloud-init writes ${file.path} with PasswordAuthentication yes; set it to no.`);
            }
        }
    },
});
