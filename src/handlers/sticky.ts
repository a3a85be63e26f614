import { parseMarker, renderMarker } from "../domain/markers.js";
import type { CommentData } from "../github/port.js";
import type { Effect } from "../runtime/effects.js";

/** Orkestra's own comments of one kind, oldest first. Markers in anyone else's comments are ignored. */
export function botComments(comments: readonly CommentData[], kind: string): CommentData[] {
  return comments
    .filter((comment) => comment.byOrkestra && parseMarker(comment.body)?.kind === kind)
    .sort((a, b) => a.id - b.id);
}

/**
 * When a problem Orkestra reported in a sticky comment is gone: the comment says so (and
 * nothing happens where no such comment was ever posted).
 */
export function resolveSticky(issue: number, comments: readonly CommentData[], kind: string, message: string, why: string): Effect[] {
  if (botComments(comments, kind).length === 0) return [];
  return upsertSticky(issue, comments, kind, `${renderMarker(kind, {})}\n✅ ${message}`, why);
}

/**
 * Effects that leave exactly one comment of `kind` on the issue with `body`: create it,
 * edit it when it differs, and delete duplicates a race may have left (keeping the oldest,
 * whose id GitHub assigned first, so every replica keeps the same one).
 */
export function upsertSticky(
  issue: number,
  comments: readonly CommentData[],
  kind: string,
  body: string,
  why: string,
): Effect[] {
  const [keep, ...duplicates] = botComments(comments, kind);
  const effects: Effect[] = [];
  if (!keep) effects.push({ kind: "create-comment", issue, body, why });
  else if (keep.body !== body) effects.push({ kind: "update-comment", issue, commentId: keep.id, body, why });
  for (const duplicate of duplicates) {
    effects.push({ kind: "delete-comment", issue, commentId: duplicate.id, why: `duplicate ${kind} comment` });
  }
  return effects;
}
