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

/** The largest configuration file Orkestra reads (characters); a longer one is refused unparsed. */
const MAX_CONFIG_CHARS = 128 * 1024;
/** Aliases (`*name`) the file may expand, counted as `yaml` counts them; more is an alias bomb. */
const MAX_ALIAS_COUNT = 100;
/** Problems reported one by one; the rest are counted in one last entry. */
const MAX_CONFIG_ERRORS = 50;
/** Longest path and message kept per problem (a hostile key can be very long). */
const MAX_PATH_CHARS = 200;
const MAX_MESSAGE_CHARS = 500;

/** Parses and validates the text of `.github/orkestra.yml`; `null` (no file) gives the defaults. */
export function parseConfig(text: string | null): ConfigResult {
  if (text === null) return { ok: true, config: configSchema.parse({}), source: "defaults" };
  if (text.length > MAX_CONFIG_CHARS) {
    const size = `${text.length.toLocaleString("en-US")} characters`;
    return fail([{ path: "", message: `the file is too large (${size}; at most ${MAX_CONFIG_CHARS.toLocaleString("en-US")})` }]);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    return fail(
      doc.errors.map((error) => ({
        path: "",
        message: `YAML syntax: ${error.message.split("\n")[0] ?? error.message}`,
        ...position(lineCounter, error.pos[0]),
      })),
    );
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
  } catch (error) {
    // `yaml` throws (a ReferenceError) on too many aliases, or an alias to an unknown anchor.
    const reason = error instanceof Error ? error.message : String(error);
    return fail([{ path: "", message: `YAML aliases: ${reason} (at most ${MAX_ALIAS_COUNT} alias expansions)` }]);
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    return fail([{ path: "", message: "the file must be a mapping of keys (e.g. `tasks:`)", line: 1 }]);
  }
  const parsed = configSchema.safeParse(raw);
  if (parsed.success) return { ok: true, config: parsed.data, source: "file" };
  // Only the problems that are listed are located in the file; the others are counted.
  const errors: ConfigError[] = [];
  let uncounted = 0;
  for (const issue of parsed.error.issues) {
    if (errors.length <= MAX_CONFIG_ERRORS) errors.push(...describeIssue(issue, doc, lineCounter));
    else uncounted += issue.code === "unrecognized_keys" ? issue.keys.length : 1;
  }
  return fail(errors, uncounted);
}

/** A failed result with at most MAX_CONFIG_ERRORS problems, each of bounded length, and the rest counted. */
function fail(errors: ConfigError[], uncounted = 0): ConfigResult {
  const shown = errors.slice(0, MAX_CONFIG_ERRORS).map((error) => ({
    ...error,
    path: clip(error.path, MAX_PATH_CHARS),
    message: clip(error.message, MAX_MESSAGE_CHARS),
  }));
  const rest = errors.length - shown.length + uncounted;
  if (rest > 0) shown.push({ path: "", message: `and ${rest.toLocaleString("en-US")} more problem${rest === 1 ? "" : "s"} not listed` });
  return { ok: false, errors: shown };
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
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

/**
 * One readable message for people (issue comment) listing the errors with their lines: as many
 * as fit in `maxChars`, then how many more there are.
 */
export function formatConfigErrors(errors: ConfigError[], file = CONFIG_PATH, maxChars = Number.POSITIVE_INFINITY): string {
  const lines: string[] = [];
  let size = 0;
  for (const [index, error] of errors.entries()) {
    const where = error.line ? `line ${error.line}` : "file";
    const key = error.path ? `\`${error.path}\`: ` : "";
    const line = `- ${file} ${where} — ${key}${error.message}`;
    const rest = errors.length - index;
    // Room for this line and, should later ones not fit, the line that counts them.
    const reserve = rest > 1 ? moreLine(rest).length + 1 : 0;
    if (size + line.length + 1 + reserve > maxChars) {
      lines.push(moreLine(rest));
      break;
    }
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join("\n");
}

function moreLine(count: number): string {
  return `- … and ${count.toLocaleString("en-US")} more problem${count === 1 ? "" : "s"} not listed`;
}
