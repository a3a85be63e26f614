import { createRequire } from "node:module";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

/**
 * The official webhook payload schemas (GitHub's OpenAPI description of webhooks, via
 * @octokit/openapi-webhooks), compiled with ajv, to check the sandbox's payloads.
 */
const require = createRequire(import.meta.url);
const description = require("@octokit/openapi-webhooks/generated/api.github.com.json") as { components: unknown };

const ajv = new Ajv2020({ strict: false, allErrors: true });
(addFormatsModule as unknown as (a: Ajv2020) => void)(ajv);
ajv.addSchema({ $id: "webhooks", components: description.components });

const compiled = new Map<string, ValidateFunction>();

/** Schema errors of a payload for event `name` (e.g. "issue_comment") and its action; [] when valid. */
export function webhookSchemaErrors(name: string, payload: Record<string, unknown>): string[] {
  const key = `webhook-${name}-${String(payload.action)}`.replace(/_/g, "-");
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.getSchema(`webhooks#/components/schemas/${key}`);
    if (!validate) throw new Error(`no webhook schema ${key}`);
    compiled.set(key, validate);
  }
  if (validate(payload)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ""} ${JSON.stringify(error.params)}`);
}
