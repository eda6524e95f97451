import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

// Levels and per-environment settings come from config.<environment>.json
// (`pulumi preview --policy-pack policy --policy-pack-config policy/config.prod.json`).
new PolicyPack("ironcloud", { policies, enforcementLevel: "advisory" });
