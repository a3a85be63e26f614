// Builds the generated parts of README.md: the commands table (from the command registry)
// and the configuration reference (from the zod schema's descriptions and defaults).
import { COMMANDS } from "../src/handlers/commands/registry.js";
import { configJsonSchema } from "../src/config/json-schema.js";

interface JsonSchema {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
}

export const MARKERS = {
  commands: ["<!-- generated:commands:start -->", "<!-- generated:commands:end -->"],
  config: ["<!-- generated:config:start -->", "<!-- generated:config:end -->"],
} as const;

/** A table cell: GFM splits cells at `|` even inside code spans, so it is escaped. */
const cell = (text: string) => text.replace(/\|/g, "\\|");

export function commandsTable(): string {
  const rows = COMMANDS.map(
    (spec) =>
      `| \`${cell(spec.usage)}\` | ${cell(spec.summary)} | ${spec.permission} | ${spec.examples.map((example) => `\`${cell(example)}\``).join("<br>")} |`,
  );
  return ["| Command | What it does | Least permission | Examples |", "|---|---|---|---|", ...rows].join("\n");
}

export function configReference(): string {
  const schema = configJsonSchema() as JsonSchema;
  const sections: string[] = [];
  for (const [key, section] of Object.entries(schema.properties ?? {})) {
    const rows = leaves(key, section);
    sections.push(
      `#### \`${key}\`\n\n${section.description ?? ""}\n\n| Key | Type | Default | Description |\n|---|---|---|---|\n${rows.join("\n")}`,
    );
  }
  return sections.join("\n\n");
}

function leaves(path: string, schema: JsonSchema): string[] {
  if (schema.properties && Object.keys(schema.properties).length > 0) {
    return Object.entries(schema.properties).flatMap(([key, child]) => leaves(`${path}.${key}`, child));
  }
  if (typeof schema.additionalProperties === "object" && schema.additionalProperties.properties) {
    return leaves(`${path}.<name>`, schema.additionalProperties);
  }
  return [`| \`${path}\` | ${typeOf(schema)} | ${defaultOf(schema)} | ${(schema.description ?? "").replace(/\|/g, "\\|")} |`];
}

function typeOf(schema: JsonSchema): string {
  if (schema.enum) return schema.enum.map((value) => `\`${String(value)}\``).join(" \\| ");
  if (schema.anyOf) return schema.anyOf.map(typeOf).join(" or ");
  if (schema.type === "array") return `list of ${schema.items ? typeOf(schema.items) : "values"}`;
  if (schema.type === "object" && typeof schema.additionalProperties === "object") {
    return `map of ${typeOf(schema.additionalProperties)}`;
  }
  const max = schema.maximum !== undefined && schema.maximum < Number.MAX_SAFE_INTEGER ? schema.maximum : undefined;
  const min = schema.minimum !== undefined && schema.minimum > Number.MIN_SAFE_INTEGER ? schema.minimum : undefined;
  const range = min !== undefined || max !== undefined ? ` (${min ?? ""}–${max ?? ""})` : "";
  return `${Array.isArray(schema.type) ? schema.type.join(" or ") : (schema.type ?? "any")}${range}`;
}

function defaultOf(schema: JsonSchema): string {
  if (schema.default === undefined) return "—";
  const text = JSON.stringify(schema.default);
  return `\`${text.replace(/\|/g, "\\|")}\``;
}

/** Replaces the text between a pair of markers. */
export function fill(document: string, [start, end]: readonly [string, string], content: string): string {
  const from = document.indexOf(start);
  const to = document.indexOf(end);
  if (from < 0 || to < from) throw new Error(`markers ${start} … ${end} not found`);
  return `${document.slice(0, from + start.length)}\n${content}\n${document.slice(to)}`;
}

export function generateReadme(readme: string): string {
  return fill(fill(readme, MARKERS.commands, commandsTable()), MARKERS.config, configReference());
}
