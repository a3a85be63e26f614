/**
 * The hidden metadata in Orkestra's review body, so the next run finds its previous review for the
 * same PR and supersedes it on a new push instead of piling up reviews.
 */
import { z } from "zod";
import { readMarker, renderMarker } from "../markers.js";
import { REVIEW_EVENTS, REVIEW_OUTCOMES } from "./policy.js";
import { VERDICTS } from "./schema.js";

const REVIEW_MARKER_KIND = "review";

export const reviewMarkerSchema = z.object({
  v: z.literal(1),
  pr: z.number().int().positive(),
  headSha: z.string().min(1),
  agents: z.array(z.string()),
  outcome: z.enum(REVIEW_OUTCOMES),
  event: z.enum(REVIEW_EVENTS),
  /** Set when a newer review for another head replaced this one. */
  supersededBy: z.string().optional(),
  /**
   * Each answering agent's verdict and who did not answer, and the `orkestra/review` check run of
   * this review: a person's review later recomputes merge readiness from them without asking the
   * agents again (absent in reviews written before these fields existed).
   */
  verdicts: z.array(z.object({ agent: z.string(), verdict: z.enum(VERDICTS) })).optional(),
  missing: z.array(z.object({ agent: z.string(), status: z.enum(["error", "timeout", "invalid", "degraded"]) })).optional(),
  checkRun: z.number().int().positive().optional(),
});

export type ReviewMarker = z.infer<typeof reviewMarkerSchema>;

export function renderReviewMarker(marker: ReviewMarker): string {
  return renderMarker(REVIEW_MARKER_KIND, marker);
}

/** The review marker in a body, or null when absent, of another kind, or malformed. */
export function readReviewMarker(body: string | null | undefined): ReviewMarker | null {
  return readMarker(body, REVIEW_MARKER_KIND, reviewMarkerSchema);
}

/** True when `previous` reviewed another head than `headSha` and has not been marked yet. */
export function isSuperseded(previous: ReviewMarker, headSha: string): boolean {
  return previous.headSha !== headSha && previous.supersededBy === undefined;
}

/** The body that replaces a superseded review's text (kept short; the marker records the successor). */
export function renderSupersededBody(previous: ReviewMarker, headSha: string): string {
  return [
    renderReviewMarker({ ...previous, supersededBy: headSha }),
    `_This Orkestra review of \`${previous.headSha.slice(0, 7)}\` was superseded by a review of \`${headSha.slice(0, 7)}\`._`,
  ].join("\n");
}
