import { isApiError, json, noContent, notFound, unprocessable, validationFailed, type ApiResponse } from "../http.js";
import { deleteReaction, react } from "../ops/reactions.js";
import { createReview } from "../ops/reviews.js";
import { NEEDS } from "../permissions.js";
import type { ReviewCommentRecord } from "../pull-records.js";
import type { Route, RouteContext } from "../router.js";
import { reactionShape } from "../shapes/issues.js";
import { reviewCommentShape } from "../shapes/reviews.js";
import type { ReactionSubject } from "../store.js";
import { intParam, objectBody } from "./respond.js";
import { withPull } from "./pulls.js";

/**
 * Single review comments on a diff line and their reactions. A review comment's id comes from the
 * same sequence as issue comments' here, so its reactions share the `comment` subject; each endpoint
 * still finds only its own kind (an issue comment's id is a 404 here, as on GitHub).
 */

/** A review comment whose pull request exists and whose review its reader may see (pending ones: their author only). */
function withReviewComment(ctx: RouteContext, run: (comment: ReviewCommentRecord) => ApiResponse): ApiResponse {
  const comment = ctx.store.reviewComments.get(intParam(ctx.params, "comment_id"));
  const review = comment ? ctx.store.reviews.get(comment.reviewId) : undefined;
  const pullIssue = comment ? ctx.store.issues.get(comment.pullNumber) : undefined;
  const visible = review && (review.state !== "PENDING" || review.author.toLowerCase() === ctx.actor.login.toLowerCase());
  return comment && visible && pullIssue && !pullIssue.deleted ? run(comment) : notFound().toResponse();
}

function subjectOf(comment: ReviewCommentRecord): ReactionSubject {
  return { kind: "comment", id: comment.id };
}

/**
 * POST …/pulls/{n}/comments: one comment on a line, submitted at once as a `COMMENTED` review
 * (announced like any review: `pull_request_review.submitted`, `pull_request_review_comment.created`).
 */
function createReviewComment(ctx: RouteContext): ApiResponse {
  return withPull(ctx, (target) => {
    const input = objectBody(ctx.body);
    if (input.in_reply_to !== undefined) return unprocessable("in_reply_to: replies are not served by this sandbox").toResponse();
    const comment = { path: input.path, body: input.body, line: input.line, side: input.side, start_line: input.start_line, start_side: input.start_side };
    const review = createReview(ctx.op, target, { event: "COMMENT", commit_id: input.commit_id, comments: [comment] });
    // This endpoint words a comment it cannot place as a validation error of the comment.
    if (isApiError(review)) {
      const errors = review.details().map((message) => ({ resource: "PullRequestReviewComment", code: "custom" as const, field: "pull_request_review_thread", message }));
      return validationFailed(...errors).toResponse();
    }
    const created = [...ctx.store.reviewComments.values()].find((record) => record.reviewId === review.id)!;
    return json(201, reviewCommentShape(ctx.shapes, created));
  });
}

const reactions = "/repos/{owner}/{repo}/pulls/comments/{comment_id}/reactions";

export const reviewCommentRoutes: Route[] = [
  { method: "POST", path: "/repos/{owner}/{repo}/pulls/{pull_number}/comments", need: NEEDS.participatePulls, handler: createReviewComment },
  {
    method: "GET",
    path: reactions,
    need: NEEDS.readPulls,
    handler: (ctx) =>
      withReviewComment(ctx, (comment) => {
        const content = ctx.query.get("content");
        const found = ctx.store.reactionsOf(subjectOf(comment)).filter((reaction) => !content || reaction.content === content);
        return ctx.page(found, (reaction) => reactionShape(ctx.shapes, reaction));
      }),
  },
  {
    method: "POST",
    path: reactions,
    need: NEEDS.participatePulls,
    handler: (ctx) =>
      withReviewComment(ctx, (comment) => {
        const result = react(ctx.op, subjectOf(comment), objectBody(ctx.body).content);
        if (isApiError(result)) return result.toResponse();
        return json(result.created ? 201 : 200, reactionShape(ctx.shapes, result.reaction));
      }),
  },
  {
    method: "DELETE",
    path: `${reactions}/{reaction_id}`,
    need: NEEDS.participatePulls,
    handler: (ctx) =>
      withReviewComment(ctx, (comment) => {
        const deleted = deleteReaction(ctx.op, subjectOf(comment), intParam(ctx.params, "reaction_id"));
        return isApiError(deleted) ? deleted.toResponse() : noContent();
      }),
  },
];
