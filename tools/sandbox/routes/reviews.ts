import { isApiError, json, notFound, type ApiResponse } from "../http.js";
import { createReview, dismissReview, findReview, updateReview } from "../ops/reviews.js";
import { NEEDS } from "../permissions.js";
import type { ReviewRecord } from "../pull-records.js";
import type { Route, RouteContext } from "../router.js";
import { reviewCommentShape, reviewShape } from "../shapes/reviews.js";
import { normaliseSince } from "./issues.js";
import { intParam, objectBody, respond } from "./respond.js";
import { withPull } from "./pulls.js";

/** Pending reviews (and their comments) are visible to their author only. */
function visible(ctx: RouteContext, review: ReviewRecord | undefined): boolean {
  return review !== undefined && (review.state !== "PENDING" || review.author.toLowerCase() === ctx.actor.login.toLowerCase());
}

function withReview(ctx: RouteContext, run: (review: ReviewRecord) => ApiResponse): ApiResponse {
  return withPull(ctx, (target) => {
    const review = findReview(ctx.op, target, intParam(ctx.params, "review_id"));
    if (isApiError(review)) return review.toResponse();
    return visible(ctx, review) ? run(review) : notFound().toResponse();
  });
}

/** GET …/comments: review comments, ascending by id; `direction` only applies with `sort`. */
function listReviewComments(ctx: RouteContext): ApiResponse {
  return withPull(ctx, ({ pull }) => {
    const sort = ctx.query.get("sort");
    const since = ctx.query.get("since");
    const sign = sort !== null && ctx.query.get("direction") === "desc" ? -1 : 1;
    const comments = [...ctx.store.reviewComments.values()]
      .filter((comment) => comment.pullNumber === pull.number && visible(ctx, ctx.store.reviews.get(comment.reviewId)))
      .filter((comment) => !since || comment.createdAt >= normaliseSince(since))
      .sort((a, b) => sign * (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id - b.id));
    return ctx.page(comments, (comment) => reviewCommentShape(ctx.shapes, comment));
  });
}

const reviews = "/repos/{owner}/{repo}/pulls/{pull_number}/reviews";

export const reviewRoutes: Route[] = [
  {
    method: "GET",
    path: reviews,
    need: NEEDS.readPulls,
    handler: (ctx) =>
      withPull(ctx, ({ pull }) =>
        ctx.page(
          [...ctx.store.reviews.values()].filter((review) => review.pullNumber === pull.number && visible(ctx, review)),
          (review) => reviewShape(ctx.shapes, review),
        ),
      ),
  },
  {
    method: "POST",
    path: reviews,
    need: NEEDS.participatePulls,
    handler: (ctx) => withPull(ctx, (target) => respond(createReview(ctx.op, target, objectBody(ctx.body)), 200, (r) => reviewShape(ctx.shapes, r))),
  },
  {
    method: "GET",
    path: `${reviews}/{review_id}`,
    need: NEEDS.readPulls,
    handler: (ctx) => withReview(ctx, (review) => json(200, reviewShape(ctx.shapes, review))),
  },
  {
    method: "PUT",
    path: `${reviews}/{review_id}`,
    need: NEEDS.participatePulls,
    handler: (ctx) =>
      withPull(ctx, (target) =>
        withReview(ctx, (review) => respond(updateReview(ctx.op, target, review, objectBody(ctx.body)), 200, (r) => reviewShape(ctx.shapes, r))),
      ),
  },
  {
    method: "PUT",
    path: `${reviews}/{review_id}/dismissals`,
    need: NEEDS.participatePulls,
    handler: (ctx) =>
      withPull(ctx, (target) =>
        withReview(ctx, (review) => respond(dismissReview(ctx.op, target, review), 200, (r) => reviewShape(ctx.shapes, r))),
      ),
  },
  { method: "GET", path: "/repos/{owner}/{repo}/pulls/{pull_number}/comments", need: NEEDS.readPulls, handler: listReviewComments },
];
