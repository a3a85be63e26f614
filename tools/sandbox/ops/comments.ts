import { isApiError, notFound, type Result } from "../http.js";
import { legacyNodeId } from "../ids.js";
import { authorize, NEEDS } from "../permissions.js";
import { commentShape, issueShape } from "../shapes/issues.js";
import type { CommentRecord, IssueRecord } from "../store.js";
import { findIssue, touch, viaOf, type OpContext } from "./context.js";
import { checkBody, invalidField, missingField } from "./validate.js";

/** A comment whose issue still exists. */
export function findComment(ctx: OpContext, commentId: number): Result<CommentRecord> {
  const comment = ctx.store.comments.get(commentId);
  if (!comment || ctx.store.issues.get(comment.issueNumber)?.deleted !== false) return notFound();
  return comment;
}

export function createComment(ctx: OpContext, issue: IssueRecord, body: unknown): Result<CommentRecord> {
  const text = validBody(body);
  if (isApiError(text)) return text;
  const id = ctx.store.ids.next();
  const now = ctx.store.now();
  const comment: CommentRecord = {
    id,
    nodeId: legacyNodeId("IssueComment", id),
    issueNumber: issue.number,
    author: ctx.actor.login,
    body: text,
    createdAt: now,
    updatedAt: now,
    via: viaOf(ctx.actor),
  };
  ctx.store.comments.set(id, comment);
  touch(ctx, issue);
  ctx.emit("issue_comment", "created", { issue: issueShape(ctx.shapes, issue), comment: commentShape(ctx.shapes, comment) });
  return comment;
}

/** Its author may edit a comment; anyone else needs write access. */
export function editComment(ctx: OpContext, comment: CommentRecord, body: unknown): Result<CommentRecord> {
  const text = validBody(body);
  if (isApiError(text)) return text;
  const denied = denyUnlessAuthor(ctx, comment);
  if (denied) return denied;
  const issue = findIssue(ctx.store, comment.issueNumber);
  if (isApiError(issue)) return issue;
  if (text === comment.body) return comment;
  const from = comment.body;
  comment.body = text;
  comment.updatedAt = ctx.store.now();
  ctx.emit("issue_comment", "edited", {
    changes: { body: { from } },
    issue: issueShape(ctx.shapes, issue),
    comment: commentShape(ctx.shapes, comment),
  });
  return comment;
}

export function deleteComment(ctx: OpContext, comment: CommentRecord): Result<CommentRecord> {
  const denied = denyUnlessAuthor(ctx, comment);
  if (denied) return denied;
  const issue = findIssue(ctx.store, comment.issueNumber);
  if (isApiError(issue)) return issue;
  const shape = commentShape(ctx.shapes, comment);
  ctx.store.comments.delete(comment.id);
  for (const reaction of ctx.store.reactionsOf({ kind: "comment", id: comment.id })) ctx.store.reactions.delete(reaction.id);
  ctx.emit("issue_comment", "deleted", { issue: issueShape(ctx.shapes, issue), comment: shape });
  return comment;
}

function denyUnlessAuthor(ctx: OpContext, comment: CommentRecord) {
  if (comment.author.toLowerCase() === ctx.actor.login.toLowerCase()) return undefined;
  return authorize(ctx.store, ctx.actor, NEEDS.moderate);
}

function validBody(body: unknown): Result<string> {
  if (body === undefined || body === null) return missingField("IssueComment", "body");
  if (typeof body !== "string") return invalidField("IssueComment", "body");
  if (body.trim() === "") return missingField("IssueComment", "body");
  return checkBody("IssueComment", body) ?? body;
}
