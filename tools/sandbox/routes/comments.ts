import { isApiError, json, noContent, type ApiResponse } from "../http.js";
import { createComment, deleteComment, editComment, findComment } from "../ops/comments.js";
import { NEEDS } from "../permissions.js";
import type { Route, RouteContext } from "../router.js";
import { commentShape } from "../shapes/issues.js";
import type { CommentRecord } from "../store.js";
import { normaliseSince } from "./issues.js";
import { intParam, objectBody, respond, withIssue } from "./respond.js";

function sinceFilter(ctx: RouteContext): (comment: CommentRecord) => boolean {
  const since = ctx.query.get("since");
  return since ? (comment) => comment.updatedAt >= normaliseSince(since) : () => true;
}

/** Repository-wide comments; `direction` only applies with `sort`, as GitHub documents. */
function listRepoComments(ctx: RouteContext): ApiResponse {
  const sort = ctx.query.get("sort");
  const descending = sort !== null && ctx.query.get("direction") === "desc";
  const key = (comment: CommentRecord) => (sort === "updated" ? comment.updatedAt : comment.createdAt);
  const comments = [...ctx.store.comments.values()]
    .filter((comment) => ctx.store.issues.get(comment.issueNumber)?.deleted === false)
    .filter(sinceFilter(ctx))
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id - b.id) * (descending ? -1 : 1));
  return ctx.page(comments, (comment) => commentShape(ctx.shapes, comment));
}

function withComment(ctx: RouteContext, run: (comment: CommentRecord) => ApiResponse): ApiResponse {
  const comment = findComment(ctx.op, intParam(ctx.params, "comment_id"));
  return isApiError(comment) ? comment.toResponse() : run(comment);
}

export const commentRoutes: Route[] = [
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/issues/{issue_number}/comments",
    need: NEEDS.readIssues,
    handler: (ctx) =>
      withIssue(ctx, (issue) =>
        ctx.page(ctx.store.commentsOf(issue.number).filter(sinceFilter(ctx)), (comment) => commentShape(ctx.shapes, comment)),
      ),
  },
  {
    method: "POST",
    path: "/repos/{owner}/{repo}/issues/{issue_number}/comments",
    need: NEEDS.participate,
    handler: (ctx) =>
      withIssue(ctx, (issue) =>
        respond(createComment(ctx.op, issue, objectBody(ctx.body).body), 201, (comment) => commentShape(ctx.shapes, comment)),
      ),
  },
  { method: "GET", path: "/repos/{owner}/{repo}/issues/comments", need: NEEDS.readIssues, handler: listRepoComments },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/issues/comments/{comment_id}",
    need: NEEDS.readIssues,
    handler: (ctx) => withComment(ctx, (comment) => json(200, commentShape(ctx.shapes, comment))),
  },
  {
    method: "PATCH",
    path: "/repos/{owner}/{repo}/issues/comments/{comment_id}",
    need: NEEDS.participate,
    handler: (ctx) =>
      withComment(ctx, (comment) =>
        respond(editComment(ctx.op, comment, objectBody(ctx.body).body), 200, (c) => commentShape(ctx.shapes, c)),
      ),
  },
  {
    method: "DELETE",
    path: "/repos/{owner}/{repo}/issues/comments/{comment_id}",
    need: NEEDS.participate,
    handler: (ctx) =>
      withComment(ctx, (comment) => {
        const deleted = deleteComment(ctx.op, comment);
        return isApiError(deleted) ? deleted.toResponse() : noContent();
      }),
  },
];
