import type { ReviewCommentRecord, ReviewRecord } from "../pull-records.js";
import { repoApi, repoHtml, type ShapeContext } from "./context.js";
import { authorAssociation, reactionRollup } from "./issues.js";
import { userShape } from "./users.js";

/** `pull-request-review` (REST). A pending review has no `submitted_at`. */
export function reviewShape(ctx: ShapeContext, review: ReviewRecord): Record<string, unknown> {
  const pull = `${repoApi(ctx)}/pulls/${review.pullNumber}`;
  const html = `${repoHtml(ctx)}/pull/${review.pullNumber}#pullrequestreview-${review.id}`;
  const shape: Record<string, unknown> = {
    id: review.id,
    node_id: review.nodeId,
    user: userShape(ctx, review.author),
    body: review.body,
    state: review.state,
    html_url: html,
    pull_request_url: pull,
    author_association: authorAssociation(ctx, review.author),
    _links: { html: { href: html }, pull_request: { href: pull } },
    commit_id: review.commitId,
  };
  if (review.submittedAt !== null) shape.submitted_at = review.submittedAt;
  return shape;
}

/** The review in `pull_request_review` webhooks: the same, with the state in lower case. */
export function reviewWebhookShape(ctx: ShapeContext, review: ReviewRecord): Record<string, unknown> {
  return {
    ...reviewShape(ctx, review),
    state: review.state.toLowerCase(),
    submitted_at: review.submittedAt,
    updated_at: review.submittedAt,
  };
}

/** `pull-request-review-comment`. */
export function reviewCommentShape(ctx: ShapeContext, comment: ReviewCommentRecord): Record<string, unknown> {
  const url = `${repoApi(ctx)}/pulls/comments/${comment.id}`;
  const html = `${repoHtml(ctx)}/pull/${comment.pullNumber}#discussion_r${comment.id}`;
  const pull = `${repoApi(ctx)}/pulls/${comment.pullNumber}`;
  return {
    url,
    pull_request_review_id: comment.reviewId,
    id: comment.id,
    node_id: comment.nodeId,
    diff_hunk: comment.diffHunk,
    path: comment.path,
    position: comment.position,
    original_position: comment.position,
    commit_id: comment.commitId,
    original_commit_id: comment.commitId,
    user: userShape(ctx, comment.author),
    body: comment.body,
    created_at: comment.createdAt,
    updated_at: comment.createdAt,
    html_url: html,
    pull_request_url: pull,
    author_association: authorAssociation(ctx, comment.author),
    _links: { self: { href: url }, html: { href: html }, pull_request: { href: pull } },
    start_line: comment.startLine,
    original_start_line: comment.startLine,
    start_side: comment.startSide,
    line: comment.line,
    original_line: comment.line,
    side: comment.side,
    subject_type: "line",
    reactions: { ...reactionRollup(ctx, { kind: "comment", id: comment.id }), url: `${url}/reactions` },
  };
}
