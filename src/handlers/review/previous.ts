import { readReviewMarker, renderSupersededBody, type ReviewMarker } from "../../domain/review/review-marker.js";
import { GitHubError, type ReviewData } from "../../github/port.js";
import type { RunContext } from "../../runtime/context.js";

export interface OrkestraReview {
  review: ReviewData;
  marker: ReviewMarker;
}

/** Orkestra's reviews of a PR, oldest first: a marker counts only in a review by a bot account. */
export function orkestraReviews(reviews: readonly ReviewData[]): OrkestraReview[] {
  return reviews
    .filter((review) => review.byOrkestra)
    .flatMap((review) => {
      const marker = readReviewMarker(review.body);
      return marker ? [{ review, marker }] : [];
    })
    .sort((a, b) => a.review.id - b.review.id);
}

/** Reviews that still stand as Orkestra's word: neither dismissed nor marked superseded. */
export function standingReviews(reviews: readonly OrkestraReview[]): OrkestraReview[] {
  return reviews.filter(({ review, marker }) => review.state !== "DISMISSED" && marker.supersededBy === undefined);
}

const short = (sha: string) => sha.slice(0, 7);

/**
 * Retires older reviews once a new one is posted: an approval or change request is dismissed
 * (so it no longer counts for merging), a comment review is edited down to one line saying
 * which review replaced it (its marker records `supersededBy`). Only the account that wrote a
 * review can edit it, so others' are left as they are.
 */
export async function supersede(ctx: RunContext, pr: number, stale: readonly OrkestraReview[], headSha: string, author: string | null): Promise<void> {
  for (const { review, marker } of stale) {
    const why = `superseded by the review of ${short(headSha)}`;
    try {
      if (review.state === "CHANGES_REQUESTED" || review.state === "APPROVED") {
        const message = `Superseded by Orkestra's review of ${short(headSha)}.`;
        await ctx.perform({ kind: "dismiss-review", issue: pr, reviewId: review.id, message, why });
      } else if (review.state === "COMMENTED" && (author === null || review.author.login === author)) {
        const body = renderSupersededBody(marker, headSha);
        await ctx.perform({ kind: "update-review-body", issue: pr, reviewId: review.id, body, why });
      }
    } catch (error) {
      // The new review is posted; an old one left standing is untidy, not wrong.
      if (!(error instanceof GitHubError)) throw error;
      ctx.log.warn(`#${pr}: could not retire review ${review.id}: ${error.message}`);
      ctx.report.notes.push(`#${pr}: review ${review.id} could not be marked superseded (${error.message})`);
    }
  }
}
