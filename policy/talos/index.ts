import { talosControlPlaneQuorum } from "./controlPlaneQuorum";
import { talosDiskEncryption } from "./diskEncryption";
import { storageKeepsCopies } from "./storageCopies";
import { storageNeedsDrbd } from "./storageNeedsDrbd";
import { talosVersionsPinned } from "./versionsPinned";

export const talosPolicies = [talosControlPlaneQuorum, talosVersionsPinned, talosDiskEncryption, storageNeedsDrbd, storageKeepsCopies];
