import * as pulumi from "@pulumi/pulumi";
import { CloudOutputs, declareCloud } from "./cloud";
import { ConfigError, parseStackConfig } from "./config";
import { projectFiles, pulumiProjectDirectory } from "./projectFiles";

/**
 * Reads this stack's `ironcloud:*` config from the Pulumi runtime, validates all of it before
 * any resource exists, and declares the cloud. A config mistake ends the run with the list of
 * problems and no stack trace. Team inventories are read from the project directory.
 */
export function declareStack(): CloudOutputs {
    const raw = Object.fromEntries(Object.entries(pulumi.runtime.allConfig()).filter(([key]) => key.startsWith("ironcloud:")));
    try {
        return declareCloud(parseStackConfig(pulumi.getStack(), raw, projectFiles(pulumiProjectDirectory())));
    } catch (error) {
        if (error instanceof ConfigError) throw new pulumi.RunError(error.message);
        throw error;
    }
}
