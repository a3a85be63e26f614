import { call, orNull } from "../errors.js";
import { isOrkestra, type CommentData, type CommentKind, type OwnReaction, type ReactionContent } from "../port.js";
import type { Connection } from "./client.js";
import { toActor, toComment } from "./convert.js";

export async function listComments({ octokit, repo, self }: Connection, issue: number): Promise<CommentData[]> {
  const comments = await call(octokit.paginate(octokit.rest.issues.listComments, { ...repo, issue_number: issue, per_page: 100 }));
  const login = await self();
  return comments.map((comment) => toComment(comment, login));
}

export async function createComment({ octokit, repo, self }: Connection, issue: number, body: string): Promise<CommentData> {
  const { data } = await call(octokit.rest.issues.createComment({ ...repo, issue_number: issue, body }));
  return toComment(data, await self());
}

export async function updateComment({ octokit, repo }: Connection, commentId: number, body: string): Promise<void> {
  await call(octokit.rest.issues.updateComment({ ...repo, comment_id: commentId, body }));
}

export async function deleteComment({ octokit, repo }: Connection, commentId: number): Promise<void> {
  await orNull(octokit.rest.issues.deleteComment({ ...repo, comment_id: commentId }));
}

export async function react({ octokit, repo }: Connection, commentId: number, content: ReactionContent, on: CommentKind = "issue-comment"): Promise<boolean> {
  const create = on === "review-comment" ? octokit.rest.reactions.createForPullRequestReviewComment : octokit.rest.reactions.createForIssueComment;
  const { status } = await call(create({ ...repo, comment_id: commentId, content }));
  return status === 201;
}

export async function ownReactions({ octokit, repo, self }: Connection, commentId: number, on: CommentKind = "issue-comment"): Promise<OwnReaction[]> {
  const list = on === "review-comment" ? octokit.rest.reactions.listForPullRequestReviewComment : octokit.rest.reactions.listForIssueComment;
  const reactions = await call(octokit.paginate(list, { ...repo, comment_id: commentId, per_page: 100 }));
  const login = await self();
  return reactions.filter((reaction) => isOrkestra(toActor(reaction.user), login)).map((reaction) => ({ content: reaction.content, createdAt: reaction.created_at }));
}
