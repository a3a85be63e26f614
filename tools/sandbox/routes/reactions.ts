import { isApiError, json, noContent, type ApiResponse } from "../http.js";
import { findComment } from "../ops/comments.js";
import { deleteReaction, react } from "../ops/reactions.js";
import { NEEDS } from "../permissions.js";
import type { Route, RouteContext } from "../router.js";
import { reactionShape } from "../shapes/issues.js";
import type { ReactionSubject } from "../store.js";
import { intParam, objectBody, withIssue } from "./respond.js";

/** Reactions on comments and issues. No webhook exists for reactions, so none is emitted. */

function withSubject(ctx: RouteContext, kind: ReactionSubject["kind"], run: (subject: ReactionSubject) => ApiResponse): ApiResponse {
  if (kind === "issue") return withIssue(ctx, (issue) => run({ kind: "issue", number: issue.number }));
  const comment = findComment(ctx.op, intParam(ctx.params, "comment_id"));
  return isApiError(comment) ? comment.toResponse() : run({ kind: "comment", id: comment.id });
}

function list(kind: ReactionSubject["kind"]) {
  return (ctx: RouteContext) =>
    withSubject(ctx, kind, (subject) => {
      const content = ctx.query.get("content");
      const reactions = ctx.store.reactionsOf(subject).filter((reaction) => !content || reaction.content === content);
      return ctx.page(reactions, (reaction) => reactionShape(ctx.shapes, reaction));
    });
}

function create(kind: ReactionSubject["kind"]) {
  return (ctx: RouteContext) =>
    withSubject(ctx, kind, (subject) => {
      const result = react(ctx.op, subject, objectBody(ctx.body).content);
      if (isApiError(result)) return result.toResponse();
      return json(result.created ? 201 : 200, reactionShape(ctx.shapes, result.reaction));
    });
}

function remove(kind: ReactionSubject["kind"]) {
  return (ctx: RouteContext) =>
    withSubject(ctx, kind, (subject) => {
      const deleted = deleteReaction(ctx.op, subject, intParam(ctx.params, "reaction_id"));
      return isApiError(deleted) ? deleted.toResponse() : noContent();
    });
}

const comment = "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions";
const issue = "/repos/{owner}/{repo}/issues/{issue_number}/reactions";

export const reactionRoutes: Route[] = [
  { method: "GET", path: comment, need: NEEDS.readIssues, handler: list("comment") },
  { method: "POST", path: comment, need: NEEDS.participate, handler: create("comment") },
  { method: "DELETE", path: `${comment}/{reaction_id}`, need: NEEDS.participate, handler: remove("comment") },
  { method: "GET", path: issue, need: NEEDS.readIssues, handler: list("issue") },
  { method: "POST", path: issue, need: NEEDS.participate, handler: create("issue") },
  { method: "DELETE", path: `${issue}/{reaction_id}`, need: NEEDS.participate, handler: remove("issue") },
];
