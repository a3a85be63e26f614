import { closest, distance } from "fastest-levenshtein";
import { LineCounter, isMap, isScalar, parseDocument, type Document } from "yaml";
import type { z } from "zod";
import { CONFIG_PATH, configSchema, type Config } from "./schema.js";

export interface ConfigError {
  /** Dotted path of the offending key, e.g. `tasks.defaultType`; empty for the whole file. */
  path: string;
  message: string;
  /** 1-based position in the file, when known. */
  line?: number;
  column?: number;
}

export type ConfigResult =
  | { ok: true; config: Config; source: "file" | "defaults" }
  | { ok: false; errors: ConfigError[] };

/** Parses and validates the text of `.github/orkestra.yml`; `null` (no file) gives the defaults. */
export function parseConfig(text: string | null): ConfigResult {
  if (text === null) return { ok: true, config: configSchema.parse({}), source: "defaults" };
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((error) => ({
        path: "",
        message: `YAML syntax: ${error.message.split("\n")[0] ?? error.message}`,
        ...position(lineCounter, error.pos[0]),
      })),
    };
  }
  const raw: unknown = doc.toJS() ?? {};
  if (typeof raw !== "object" || Array.isArray(raw)) {
    return { ok: false, errors: [{ path: "", message: "the file must be a mapping of keys (e.g. `tasks:`)", line: 1 }] };
  }
  const parsed = configSchema.safeParse(raw);
  if (parsed.success) return { ok: true, config: parsed.data, source: "file" };
  return { ok: false, errors: parsed.error.issues.flatMap((issue) => describeIssue(issue, doc, lineCounter)) };
}

function describeIssue(issue: z.core.$ZodIssue, doc: Document, lines: LineCounter): ConfigError[] {
  const path = issue.path.map(String);
  if (issue.code === "unrecognized_keys") {
    const known = knownKeysAt(configSchema, path);
    return issue.keys.map((key) => ({
      path: [...path, key].join("."),
      message: `unknown key \`${key}\`${suggestion(key, known)}`,
      ...position(lines, keyOffset(doc, path, key)),
    }));
  }
  const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
  return [{ path: path.join("."), message: issue.message, ...position(lines, node?.range?.[0]) }];
}

function suggestion(key: string, known: string[]): string {
  if (known.length === 0) return "";
  const best = closest(key, known);
  const close = distance(key, best) <= Math.max(2, Math.floor(best.length / 3));
  return close ? ` — did you mean \`${best}\`?` : ` (known keys: ${known.join(", ")})`;
}

function keyOffset(doc: Document, path: string[], key: string): number | undefined {
  const parent = path.length === 0 ? doc.contents : doc.getIn(path, true);
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === key);
  return isScalar(pair?.key) ? pair.key.range?.[0] : undefined;
}

function position(lines: LineCounter, offset: number | undefined): { line?: number; column?: number } {
  if (offset === undefined) return {};
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}

/** The keys an object schema accepts at `path`, looking through defaults, optionals and pipes. */
function knownKeysAt(schema: z.ZodType, path: string[]): string[] {
  let current: unknown = schema;
  for (const segment of [...path, null]) {
    current = unwrap(current);
    const def = (current as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
    if (!def) return [];
    if (segment === null) return def.type === "object" ? Object.keys(def.shape as object) : [];
    if (def.type === "object") current = (def.shape as Record<string, unknown>)[segment];
    else if (def.type === "record") current = def.valueType;
    else if (def.type === "array") current = def.element;
    else return [];
  }
  return [];
}

function unwrap(schema: unknown): unknown {
  let current = schema;
  for (;;) {
    const def = (current as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
    if (!def) return current;
    if (["default", "prefault", "optional", "nullable", "readonly", "catch"].includes(def.type as string)) {
      current = def.innerType;
    } else if (def.type === "pipe") {
      current = def.in;
    } else {
      return current;
    }
  }
}

/** One readable message for people (issue comment) listing every error with its line. */
export function formatConfigErrors(errors: ConfigError[], file = CONFIG_PATH): string {
  const lines = errors.map((error) => {
    const where = error.line ? `line ${error.line}` : "file";
    const key = error.path ? `\`${error.path}\`: ` : "";
    return `- ${file} ${where} — ${key}${error.message}`;
  });
  return lines.join("\n");
}
