// Writes schema/orkestra.schema.json from the zod schema. A test fails when it is stale.
import { writeFileSync } from "node:fs";
import { configJsonSchema } from "../src/config/json-schema.js";

writeFileSync("schema/orkestra.schema.json", `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
console.log("wrote schema/orkestra.schema.json");
