import { z } from "zod";
import { configSchema } from "./schema.js";

/**
 * Where editors fetch the schema: the file in the repository at the Action's major tag, so a
 * repository on `orkestra/orkestra@v1` is checked against v1's keys. A URL that resolves (raw
 * content), unlike a github.com page; the starter configuration's modeline names it.
 */
export const SCHEMA_URL = "https://raw.githubusercontent.com/orkestra/orkestra/v1/schema/orkestra.schema.json";

/** The first line of a configuration file that makes yaml-language-server check it as it is typed. */
export const SCHEMA_MODELINE = `# yaml-language-server: $schema=${SCHEMA_URL}`;

/** JSON Schema of `.github/orkestra.yml` for editors (yaml-language-server) — generated, never hand-edited. */
export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(configSchema, { io: "input", unrepresentable: "any" }),
    $id: SCHEMA_URL,
    title: "Orkestra configuration (.github/orkestra.yml)",
  };
}
