/**
 * Hidden metadata in Orkestra's own comments: `<!-- orkestra:<kind> {json} -->`.
 *
 * GitHub renders HTML comments as nothing, so a comment can carry machine state next to
 * the text people read. The JSON is written with `<` and `>` escaped (`\u003c`, `\u003e`),
 * which keeps it valid JSON and guarantees it can never close the HTML comment early.
 */
import type { z } from "zod";

const MARKER_RE = /<!-- orkestra:([a-z][a-z0-9-]*) (\{.*?\}) -->/s;

interface Marker {
  kind: string;
  data: unknown;
}

/** Renders a marker line for `kind` with `data` (any JSON-serialisable value). */
export function renderMarker(kind: string, data: unknown): string {
  if (!/^[a-z][a-z0-9-]*$/.test(kind)) throw new Error(`invalid marker kind: ${kind}`);
  const json = JSON.stringify(data).replace(/</g, "\\u003c").replace(/>/g, "\\u003e");
  return `<!-- orkestra:${kind} ${json} -->`;
}

/** Finds the first marker in `body`; `null` when there is none or its JSON is broken. */
export function parseMarker(body: string | null | undefined): Marker | null {
  const match = MARKER_RE.exec(body ?? "");
  if (!match?.[1] || !match[2]) return null;
  try {
    return { kind: match[1], data: JSON.parse(match[2]) as unknown };
  } catch {
    return null;
  }
}

/**
 * The data of the marker of `kind` in `body`, validated with `schema`; `null` when there is no
 * marker, the first one is of another kind, or its JSON is broken or does not fit the schema.
 */
export function readMarker<S extends z.ZodType>(body: string | null | undefined, kind: string, schema: S): z.output<S> | null {
  const marker = parseMarker(body);
  if (marker?.kind !== kind) return null;
  const parsed = schema.safeParse(marker.data);
  return parsed.success ? parsed.data : null;
}

/** True when `body` carries a marker of `kind` (the way sticky comments are found). */
export function hasMarker(body: string | null | undefined, kind: string): boolean {
  return parseMarker(body)?.kind === kind;
}

/** True when `body` was written by Orkestra (any marker). */
export function isOrkestraText(body: string | null | undefined): boolean {
  return parseMarker(body) !== null;
}
