import {
  REACTION_CONTENTS,
  type CommentRecord,
  type IssueEventRecord,
  type IssueRecord,
  type LabelRecord,
  type ReactionRecord,
  type ReactionSubject,
  type ViaApp,
} from "../store.js";
import { repoApi, repoHtml, type ShapeContext } from "./context.js";
import { appShape, userShape } from "./users.js";

export function labelShape(ctx: ShapeContext, label: LabelRecord): Record<string, unknown> {
  return {
    id: label.id,
    node_id: label.nodeId,
    url: `${repoApi(ctx)}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    color: label.color,
    default: label.isDefault,
    description: label.description,
  };
}

export function issueLabelsShape(ctx: ShapeContext, issue: IssueRecord): Record<string, unknown>[] {
  return issue.labelIds.flatMap((id) => {
    const label = ctx.store.labelById(id);
    return label ? [labelShape(ctx, label)] : [];
  });
}

/** `issue` (REST and webhooks). Pull requests carry a `pull_request` key, as on GitHub. */
export function issueShape(ctx: ShapeContext, issue: IssueRecord): Record<string, unknown> {
  const api = `${repoApi(ctx)}/issues/${issue.number}`;
  const html = `${repoHtml(ctx)}/${issue.pullRequest ? "pull" : "issues"}/${issue.number}`;
  const parent = issue.parentId === null ? undefined : ctx.store.issueById(issue.parentId);
  const shape: Record<string, unknown> = {
    url: api,
    repository_url: repoApi(ctx),
    labels_url: `${api}/labels{/name}`,
    comments_url: `${api}/comments`,
    events_url: `${api}/events`,
    html_url: html,
    id: issue.id,
    node_id: issue.nodeId,
    number: issue.number,
    title: issue.title,
    user: userShape(ctx, issue.author),
    labels: issueLabelsShape(ctx, issue),
    state: issue.state,
    locked: false,
    assignee: null,
    assignees: [],
    milestone: null,
    comments: ctx.store.commentsOf(issue.number).length,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt,
    author_association: authorAssociation(ctx, issue.author),
    type: null,
    active_lock_reason: null,
    sub_issues_summary: subIssuesSummary(ctx, issue),
    issue_dependencies_summary: dependenciesSummary(ctx, issue),
    body: issue.body,
    closed_by: issue.closedBy ? userShape(ctx, issue.closedBy) : null,
    reactions: reactionRollup(ctx, { kind: "issue", number: issue.number }),
    timeline_url: `${api}/timeline`,
    performed_via_github_app: viaAppShape(ctx, issue.via),
    state_reason: issue.stateReason,
  };
  if (parent) shape.parent_issue_url = `${repoApi(ctx)}/issues/${parent.number}`;
  if (issue.pullRequest) {
    const pull = `${repoApi(ctx)}/pulls/${issue.number}`;
    shape.draft = issue.pullRequest.draft;
    shape.pull_request = {
      url: pull,
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      merged_at: issue.pullRequest.mergedAt,
    };
  }
  return shape;
}

export function commentShape(ctx: ShapeContext, comment: CommentRecord): Record<string, unknown> {
  return {
    url: `${repoApi(ctx)}/issues/comments/${comment.id}`,
    html_url: `${repoHtml(ctx)}/issues/${comment.issueNumber}#issuecomment-${comment.id}`,
    issue_url: `${repoApi(ctx)}/issues/${comment.issueNumber}`,
    id: comment.id,
    node_id: comment.nodeId,
    user: userShape(ctx, comment.author),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    author_association: authorAssociation(ctx, comment.author),
    body: comment.body,
    reactions: reactionRollup(ctx, { kind: "comment", id: comment.id }),
    performed_via_github_app: viaAppShape(ctx, comment.via),
  };
}

export function reactionShape(ctx: ShapeContext, reaction: ReactionRecord): Record<string, unknown> {
  return {
    id: reaction.id,
    node_id: reaction.nodeId,
    user: userShape(ctx, reaction.user),
    content: reaction.content,
    created_at: reaction.createdAt,
  };
}

/** `reaction-rollup`: the counts embedded in issues and comments. */
export function reactionRollup(ctx: ShapeContext, subject: ReactionSubject): Record<string, unknown> {
  const reactions = ctx.store.reactionsOf(subject);
  const url =
    subject.kind === "comment"
      ? `${repoApi(ctx)}/issues/comments/${subject.id}/reactions`
      : `${repoApi(ctx)}/issues/${subject.number}/reactions`;
  const counts = Object.fromEntries(
    REACTION_CONTENTS.map((content) => [content, reactions.filter((r) => r.content === content).length]),
  );
  return { url, total_count: reactions.length, ...counts };
}

export function issueEventShape(ctx: ShapeContext, event: IssueEventRecord): Record<string, unknown> {
  const shape: Record<string, unknown> = {
    id: event.id,
    node_id: event.nodeId,
    url: `${repoApi(ctx)}/issues/events/${event.id}`,
    actor: userShape(ctx, event.actor),
    event: event.event,
    commit_id: null,
    commit_url: null,
    created_at: event.createdAt,
    performed_via_github_app: viaAppShape(ctx, event.via),
  };
  if (event.label) shape.label = { ...event.label };
  if (event.stateReason !== undefined) shape.state_reason = event.stateReason;
  return shape;
}

/** OWNER for the repository owner, COLLABORATOR for people with a role, NONE otherwise. */
export function authorAssociation(ctx: ShapeContext, login: string): string {
  if (login.toLowerCase() === ctx.store.repo.owner.toLowerCase()) return "OWNER";
  return ctx.store.roleOf(login) ? "COLLABORATOR" : "NONE";
}

function viaAppShape(ctx: ShapeContext, via: ViaApp): Record<string, unknown> | null {
  if (via === "app") return appShape(ctx, ctx.store.app);
  if (via === "actions") return appShape(ctx, ctx.store.actionsApp);
  return null;
}

function subIssuesSummary(ctx: ShapeContext, issue: IssueRecord): Record<string, number> {
  const subs = issue.subIssueIds.flatMap((id) => ctx.store.issueById(id) ?? []).filter((sub) => !sub.deleted);
  const completed = subs.filter((sub) => sub.state === "closed").length;
  return {
    total: subs.length,
    completed,
    percent_completed: subs.length === 0 ? 0 : Math.floor((completed * 100) / subs.length),
  };
}

function dependenciesSummary(ctx: ShapeContext, issue: IssueRecord): Record<string, number> {
  const blockers = issue.blockedBy.flatMap((id) => ctx.store.issueById(id) ?? []).filter((b) => !b.deleted);
  const blocking = ctx.store.liveIssues().filter((other) => other.blockedBy.includes(issue.id));
  return {
    blocked_by: blockers.filter((b) => b.state === "open").length,
    blocking: blocking.filter((b) => b.state === "open").length,
    total_blocked_by: blockers.length,
    total_blocking: blocking.length,
  };
}
