import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sharedSchemas } from "./program";

/**
 * Validators over the real, published schemas in ../shared/schemas (data, never copied here).
 * Talos's schema is draft 2020-12 with a top-level oneOf over document kinds, so each YAML
 * document of a machine config is validated on its own.
 */
let talosValidator: ReturnType<Ajv2020["compile"]> | undefined;

export function talosSchemaErrors(document: unknown): string[] {
    if (!talosValidator) {
        const schema = JSON.parse(readFileSync(join(sharedSchemas, "talos", "v1.13", "config.schema.json"), "utf8"));
        const ajv = new Ajv2020({ strict: false, allErrors: true });
        addFormats(ajv);
        talosValidator = ajv.compile(schema);
    }
    return talosValidator(document) ? [] : (talosValidator.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
