import Ajv from "ajv";
import Ajv2020 from "ajv/dist/2020";
import AjvDraft04 from "ajv-draft-04";
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

const crdValidators = new Map<string, ReturnType<Ajv2020["compile"]>>();

/**
 * Errors of a custom resource against its CRD schema in ../shared/schemas/crds/<group>/<kind>_<version>.json
 * (strict schemas, `additionalProperties: false`). Throws when no schema exists for the kind.
 */
export function crdSchemaErrors(object: { apiVersion: string; kind: string; [field: string]: unknown }): string[] {
    const [group, version] = object.apiVersion.split("/");
    const file = join(sharedSchemas, "crds", group, `${object.kind.toLowerCase()}_${version}.json`);
    let validate = crdValidators.get(file);
    if (!validate) {
        const ajv = new Ajv({ strict: false, allErrors: true });
        addFormats(ajv);
        // Kubernetes' own "cidr" format, which the Cilium CRDs use.
        ajv.addFormat("cidr", /^[0-9a-fA-F:.]+\/\d{1,3}$/);
        validate = ajv.compile(JSON.parse(readFileSync(file, "utf8")));
        crdValidators.set(file, validate);
    }
    return validate(object) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

let cloudConfigValidator: ReturnType<AjvDraft04["compile"]> | undefined;

/** Errors of a cloud-config document (already parsed) against cloud-init's own schema (draft-04). */
export function cloudConfigSchemaErrors(document: unknown): string[] {
    if (!cloudConfigValidator) {
        const ajv = new AjvDraft04({ strict: false, allErrors: true });
        addFormats(ajv);
        cloudConfigValidator = ajv.compile(JSON.parse(readFileSync(join(sharedSchemas, "cloud-init", "schema-cloud-config-v1.json"), "utf8")));
    }
    return cloudConfigValidator(document) ? [] : (cloudConfigValidator.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}
