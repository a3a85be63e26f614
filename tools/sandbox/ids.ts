import { createHash } from "node:crypto";

/**
 * Server-assigned identifiers. One increasing sequence serves every resource kind, so an id of
 * one kind is never also a valid id of another kind: a client that confuses an issue's `id`
 * with its `number` (or a comment id with an issue id) gets a 404 instead of a lucky match.
 */
export class IdSequence {
  private last: number;

  constructor(start = 1_000_000) {
    this.last = start;
  }

  next(): number {
    this.last += 1;
    return this.last;
  }
}

/** GitHub's legacy global node id: base64 of `0<len>:<Type><id>`, e.g. `MDU6SXNzdWUx` for Issue 1. */
export function legacyNodeId(type: string, id: number): string {
  return Buffer.from(`0${type.length}:${type}${id}`).toString("base64");
}

/** The sha git gives a blob, so file shas match what `git hash-object` would print. */
export function gitBlobSha(content: string | Buffer): string {
  const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
  return sha1(Buffer.concat([Buffer.from(`blob ${bytes.length}\0`), bytes]));
}

export function sha1(data: string | Buffer): string {
  return createHash("sha1").update(data).digest("hex");
}

/** A GUID-shaped delivery id that is deterministic (no randomness in tests). */
export function deliveryGuid(sequence: number): string {
  return `00000000-0000-4000-8000-${sequence.toString(16).padStart(12, "0")}`;
}

/** GitHub's timestamps have second precision: `2024-01-01T00:00:00Z`. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}
