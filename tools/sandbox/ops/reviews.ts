import { hunkText, lineAtPosition, resolveLine, type Side } from "../diff.js";
import { forbidden, isApiError, notFound, unprocessableEntity, type ApiError, type Result } from "../http.js";
import { legacyNodeId } from "../ids.js";
import { authorize, NEEDS } from "../permissions.js";
import type { ReviewCommentRecord, ReviewRecord, ReviewState } from "../pull-records.js";
import { pullFileChanges } from "../pull-files.js";
import { pullSimpleShape } from "../shapes/pulls.js";
import { reviewCommentShape, reviewWebhookShape } from "../shapes/reviews.js";
import { touch, viaOf, type OpContext } from "./context.js";
import type { Pull } from "./pulls.js";

const CREATE_REVIEW_DOCS = "https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request";
const UPDATE_REVIEW_DOCS = "https://docs.github.com/rest/pulls/reviews#update-a-review-for-a-pull-request";
const DISMISS_REVIEW_DOCS = "https://docs.github.com/rest/pulls/reviews#dismiss-a-review-for-a-pull-request";

interface ReviewInput {
  event?: unknown;
  body?: unknown;
  commit_id?: unknown;
  comments?: unknown;
}

export interface ReviewCommentInput {
  path: string;
  body: string;
  line?: number;
  side?: Side;
  start_line?: number;
  start_side?: Side;
  position?: number;
}

const STATES: Record<string, ReviewState> = { APPROVE: "APPROVED", REQUEST_CHANGES: "CHANGES_REQUESTED", COMMENT: "COMMENTED" };

type Placed = Omit<ReviewCommentRecord, "id" | "nodeId" | "reviewId" | "pullNumber" | "author" | "createdAt" | "via" | "commitId">;

/** Places a comment on the diff: GitHub refuses lines its hunks do not show on that side. */
function place(ctx: OpContext, target: Pull, input: ReviewCommentInput): Result<Placed> {
  const refuse = (message: string) => unprocessableEntity([message], CREATE_REVIEW_DOCS);
  const file = pullFileChanges(ctx.store.git, target.pull).find((change) => change.filename === input.path);
  if (!file) return refuse("Path could not be resolved");
  const at = input.position !== undefined ? lineAtPosition(file.diff, input.position) : undefined;
  if (input.position !== undefined && !at) return refuse("Position could not be resolved");
  const side = at?.side ?? input.side ?? "RIGHT";
  const line = at?.line ?? input.line;
  if (line === undefined) return refuse("Line could not be resolved");
  const end = resolveLine(file.diff, side, line);
  if (!end) return refuse("Line could not be resolved");
  let startSide: Side | null = null;
  if (input.start_line !== undefined) {
    startSide = input.start_side ?? side;
    const start = resolveLine(file.diff, startSide, input.start_line);
    if (!start) return refuse("Start line could not be resolved");
    if (start.hunk !== end.hunk) return refuse("Start line must be part of the same hunk as the line");
    if (start.index >= end.index) return refuse("Start line must precede the end line");
  }
  return {
    body: input.body,
    path: input.path,
    side,
    line,
    startSide,
    startLine: input.start_line ?? null,
    position: end.position,
    diffHunk: hunkText(end.hunk, end.index + 1).join("\n"),
  };
}

function ownPullRefusal(state: ReviewState): ApiError | undefined {
  if (state === "APPROVED") return unprocessableEntity(["Can not approve your own pull request"], CREATE_REVIEW_DOCS);
  if (state === "CHANGES_REQUESTED") return unprocessableEntity(["Can not request changes on your own pull request"], CREATE_REVIEW_DOCS);
  return undefined;
}

/**
 * Creates a review (PENDING without an event). Nothing is stored unless every comment can be
 * placed on the diff. Submitted reviews announce `pull_request_review.submitted` and one
 * `pull_request_review_comment.created` per comment.
 */
export function createReview(ctx: OpContext, target: Pull, input: ReviewInput): Result<ReviewRecord> {
  const { issue, pull } = target;
  const state: ReviewState = typeof input.event === "string" ? (STATES[input.event] ?? "PENDING") : "PENDING";
  const body = typeof input.body === "string" ? input.body : "";
  const comments = (Array.isArray(input.comments) ? input.comments : []) as ReviewCommentInput[];
  if (issue.author.toLowerCase() === ctx.actor.login.toLowerCase()) {
    const refused = ownPullRefusal(state);
    if (refused) return refused;
  }
  if (state === "CHANGES_REQUESTED" && body.trim() === "") return unprocessableEntity(["Body can't be blank"], CREATE_REVIEW_DOCS);
  if (state === "COMMENTED" && body.trim() === "" && comments.length === 0) return unprocessableEntity(["Body can't be blank"], CREATE_REVIEW_DOCS);
  const commitId = typeof input.commit_id === "string" ? input.commit_id : pull.headSha;
  if (!pull.commits.includes(commitId)) return unprocessableEntity(["Commit id could not be resolved"], CREATE_REVIEW_DOCS);
  const placed: Placed[] = [];
  for (const comment of comments) {
    const spot = place(ctx, target, comment);
    if (isApiError(spot)) return spot;
    placed.push(spot);
  }

  const store = ctx.store;
  const now = store.now();
  const id = store.ids.next();
  const review: ReviewRecord = {
    id,
    nodeId: legacyNodeId("PullRequestReview", id),
    pullNumber: pull.number,
    author: ctx.actor.login,
    body,
    state,
    commitId,
    submittedAt: state === "PENDING" ? null : now,
    via: viaOf(ctx.actor),
  };
  store.reviews.set(id, review);
  const records = placed.map((spot): ReviewCommentRecord => {
    const commentId = store.ids.next();
    const record = { ...spot, id: commentId, nodeId: legacyNodeId("PullRequestReviewComment", commentId), reviewId: id, pullNumber: pull.number, author: ctx.actor.login, commitId, createdAt: now, via: viaOf(ctx.actor) };
    store.reviewComments.set(commentId, record);
    return record;
  });
  if (state === "PENDING") return review;
  touch(ctx, issue);
  const pullRequest = pullSimpleShape(ctx.shapes, issue, pull);
  ctx.emit("pull_request_review", "submitted", { review: reviewWebhookShape(ctx.shapes, review), pull_request: pullRequest });
  for (const record of records) {
    ctx.emit("pull_request_review_comment", "created", { comment: reviewCommentShape(ctx.shapes, record), pull_request: pullRequest });
  }
  return review;
}

export function findReview(ctx: OpContext, { pull }: Pull, reviewId: number): Result<ReviewRecord> {
  const review = ctx.store.reviews.get(reviewId);
  return review && review.pullNumber === pull.number ? review : notFound();
}

/**
 * Dismisses an approval or a change request (push access needed); announces
 * `pull_request_review.dismissed`. The dismissal message is required by the route but not kept.
 */
export function dismissReview(ctx: OpContext, target: Pull, review: ReviewRecord): Result<ReviewRecord> {
  const denied = authorize(ctx.store, ctx.actor, NEEDS.writePulls);
  if (denied) return denied;
  if (review.state === "PENDING") return unprocessableEntity(["Can not dismiss a pending review"], DISMISS_REVIEW_DOCS);
  if (review.state === "COMMENTED") return unprocessableEntity(["Can not dismiss a commented pull request review"], DISMISS_REVIEW_DOCS);
  if (review.state === "DISMISSED") return review;
  review.state = "DISMISSED";
  touch(ctx, target.issue);
  ctx.emit("pull_request_review", "dismissed", {
    review: reviewWebhookShape(ctx.shapes, review),
    pull_request: pullSimpleShape(ctx.shapes, target.issue, target.pull),
  });
  return review;
}

/** Edits the body of a submitted review (its author only); announces `pull_request_review.edited`. */
export function updateReview(ctx: OpContext, target: Pull, review: ReviewRecord, input: { body?: unknown }): Result<ReviewRecord> {
  // Only the review's author may edit it, whatever their permission.
  if (review.author.toLowerCase() !== ctx.actor.login.toLowerCase()) return forbidden("Resource not accessible by integration");
  if (typeof input.body !== "string" || input.body.trim() === "") return unprocessableEntity(["Body can't be blank"], UPDATE_REVIEW_DOCS);
  const from = review.body;
  review.body = input.body;
  touch(ctx, target.issue);
  ctx.emit("pull_request_review", "edited", {
    review: reviewWebhookShape(ctx.shapes, review),
    pull_request: pullSimpleShape(ctx.shapes, target.issue, target.pull),
    changes: { body: { from } },
  });
  return review;
}
