/**
 * Turns a model's text into a validated value. One function for every provider, so an
 * invalid answer is described the same way everywhere (and that description is what the
 * repair turn shows the model).
 */
import { z } from "zod";

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * Finds the JSON in an answer. Structured-output providers return bare JSON; a CLI agent may
 * wrap it in prose or a ```json fence, so the last fenced block, then the outermost braces, are tried.
 */
export function extractJson(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) return trimmed;
  const fences = [...trimmed.matchAll(/```(?:json)?\s*\n([\s\S]*?)```/g)];
  const lastFence = fences.at(-1)?.[1];
  if (lastFence !== undefined) return lastFence.trim();
  const start = trimmed.indexOf("{");
  const end = trimmed.lastIndexOf("}");
  return start >= 0 && end > start ? trimmed.slice(start, end + 1) : trimmed;
}

export function parseStructured<T>(schema: z.ZodType<T>, text: string): Parsed<T> {
  let json: unknown;
  try {
    json = JSON.parse(extractJson(text));
  } catch (error) {
    return { ok: false, message: `the answer is not valid JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  const result = schema.safeParse(json);
  return result.success ? { ok: true, value: result.data } : { ok: false, message: z.prettifyError(result.error) };
}
