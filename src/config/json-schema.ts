import { z } from "zod";
import { configSchema } from "./schema.js";

/** JSON Schema of `.github/orkestra.yml` for editors (yaml-language-server) — generated, never hand-edited. */
export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(configSchema, { io: "input", unrepresentable: "any" }),
    $id: "https://github.com/orkestra/orkestra/schema/orkestra.schema.json",
    title: "Orkestra configuration (.github/orkestra.yml)",
  };
}
