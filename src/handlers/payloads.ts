import { z } from "zod";
import type { CommentData, IssueData } from "../github/port.js";

/**
 * The parts of webhook payloads Orkestra reads, validated: a delivery that lacks them is
 * ignored with a log line instead of failing somewhere deep in a handler.
 */
const userSchema = z.looseObject({ login: z.string(), type: z.string().default("User") });

const labelSchema = z.looseObject({ name: z.string() });

const issueSchema = z.looseObject({
  id: z.number(),
  number: z.number(),
  title: z.string(),
  body: z.string().nullable().optional(),
  state: z.enum(["open", "closed"]),
  state_reason: z.string().nullable().optional(),
  labels: z.array(labelSchema).default([]),
  user: userSchema.nullable(),
  pull_request: z.unknown().optional(),
  created_at: z.string(),
  updated_at: z.string(),
  closed_at: z.string().nullable().optional(),
  issue_dependencies_summary: z.looseObject({ blocked_by: z.number(), total_blocked_by: z.number() }).nullable().optional(),
});

const repositorySchema = z.looseObject({
  name: z.string(),
  node_id: z.string().optional(),
  owner: z.looseObject({ login: z.string() }),
  private: z.boolean().default(false),
  default_branch: z.string().optional(),
  pushed_at: z.union([z.string(), z.number()]).nullable().optional(),
});

const commentSchema = z.looseObject({
  id: z.number(),
  body: z.string().nullable().optional(),
  user: userSchema.nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const repoEventSchema = z.looseObject({ repository: repositorySchema, sender: userSchema.optional() });

export const issuesEventSchema = z.looseObject({
  action: z.string(),
  issue: issueSchema,
  label: labelSchema.optional(),
  sender: userSchema,
  repository: repositorySchema,
  /** `edited`: what the title or body was before. */
  changes: z.looseObject({ body: z.looseObject({ from: z.string() }).optional() }).optional(),
});
export type IssuesEvent = z.infer<typeof issuesEventSchema>;

export const issueCommentEventSchema = z.looseObject({
  action: z.string(),
  issue: issueSchema,
  comment: commentSchema,
  sender: userSchema,
  repository: repositorySchema,
  changes: z.looseObject({ body: z.looseObject({ from: z.string() }).optional() }).optional(),
});
export type IssueCommentEvent = z.infer<typeof issueCommentEventSchema>;

export function issueFromPayload(issue: z.infer<typeof issueSchema>): IssueData {
  return {
    id: issue.id,
    number: issue.number,
    title: issue.title,
    body: issue.body ?? "",
    state: issue.state,
    stateReason: issue.state_reason ?? null,
    labels: issue.labels.map((label) => label.name),
    isPullRequest: issue.pull_request !== undefined && issue.pull_request !== null,
    author: { login: issue.user?.login ?? "ghost", type: issue.user?.type ?? "User" },
    createdAt: issue.created_at,
    updatedAt: issue.updated_at,
    closedAt: issue.closed_at ?? null,
    ...(issue.issue_dependencies_summary
      ? { blockers: { open: issue.issue_dependencies_summary.blocked_by, total: issue.issue_dependencies_summary.total_blocked_by } }
      : {}),
  };
}

export function commentFromPayload(comment: z.infer<typeof commentSchema>): CommentData {
  return {
    id: comment.id,
    body: comment.body ?? "",
    author: { login: comment.user?.login ?? "ghost", type: comment.user?.type ?? "User" },
    // Commands come from people; Orkestra's own comments never reach the command handler.
    byOrkestra: false,
    createdAt: comment.created_at,
    updatedAt: comment.updated_at,
  };
}

/** `pull_request_review`: who reviewed which commit of which pull request, and what they said. */
export const pullRequestReviewEventSchema = z.looseObject({
  action: z.string(),
  review: z.looseObject({
    id: z.number(),
    body: z.string().nullable().optional(),
    /** Lower case in webhooks: `approved`, `changes_requested`, `commented`, `dismissed`. */
    state: z.string(),
    user: userSchema.nullable(),
    commit_id: z.string().nullable().optional(),
  }),
  pull_request: z.looseObject({
    number: z.number(),
    head: z.looseObject({ ref: z.string(), sha: z.string() }),
    /** Where the configuration that governs the pull request is read (see `configRefFor`). */
    base: z.looseObject({ ref: z.string() }).optional(),
  }),
  sender: userSchema,
  repository: repositorySchema,
});
export type PullRequestReviewEvent = z.infer<typeof pullRequestReviewEventSchema>;

/** The app a check suite or check run belongs to (Orkestra's own, GitHub Actions, another CI). */
const checkAppSchema = z.looseObject({ slug: z.string().optional(), name: z.string().optional() }).nullable().optional();

/** An Actions `schedule` run's payload: its cron (the App's timer hands over no such field). */
export const scheduleEventSchema = z.looseObject({ schedule: z.string() });

/** `check_suite`: one app's checks on one commit (`head_branch` is null for forks). */
export const checkSuiteEventSchema = z.looseObject({
  action: z.string(),
  check_suite: z.looseObject({
    id: z.number(),
    head_branch: z.string().nullable(),
    head_sha: z.string(),
    status: z.string().nullable().optional(),
    conclusion: z.string().nullable().optional(),
    app: checkAppSchema,
  }),
  sender: userSchema.optional(),
  repository: repositorySchema,
});
export type CheckSuiteEvent = z.infer<typeof checkSuiteEventSchema>;

/**
 * `issue_dependencies`: a "blocked by" relation added or removed (in the sidebar, or through the
 * API). GitHub tells each side's repository: `blocked_by_*` the blocked issue's, `blocking_*` the
 * blocking issue's, each naming the other side's repository.
 */
export const issueDependenciesEventSchema = z.looseObject({
  action: z.string(),
  blocked_issue: issueSchema,
  blocking_issue: issueSchema,
  /** In `blocked_by_*` events: where the blocking issue is. */
  blocking_issue_repo: z.looseObject({ full_name: z.string() }).optional(),
  /** In `blocking_*` events: where the blocked issue is. */
  blocked_issue_repo: z.looseObject({ full_name: z.string() }).optional(),
  sender: userSchema,
  repository: repositorySchema.extend({ full_name: z.string() }),
});
export type IssueDependenciesEvent = z.infer<typeof issueDependenciesEventSchema>;

/** `pull_request_review_comment`: a comment on a line of a pull request's diff (or a reply in its thread). */
export const pullRequestReviewCommentEventSchema = z.looseObject({
  action: z.string(),
  comment: commentSchema.extend({ html_url: z.string().optional(), author_association: z.string().optional() }),
  pull_request: z.looseObject({ number: z.number() }),
  sender: userSchema,
  repository: repositorySchema,
});
export type PullRequestReviewCommentEvent = z.infer<typeof pullRequestReviewCommentEventSchema>;

/**
 * `check_run`: one check run on one commit, and who acted on it (`rerequested`: who pressed Re-run).
 * `pull_requests` lists only same-repository pull requests; `external_id` is what its app set.
 */
export const checkRunEventSchema = z.looseObject({
  action: z.string(),
  check_run: z.looseObject({
    id: z.number(),
    name: z.string(),
    head_sha: z.string(),
    external_id: z.string().nullable().optional(),
    completed_at: z.string().nullable().optional(),
    app: checkAppSchema,
    pull_requests: z.array(z.looseObject({ number: z.number(), base: z.looseObject({ ref: z.string() }).optional() })).default([]),
  }),
  sender: userSchema,
  repository: repositorySchema,
});
export type CheckRunEvent = z.infer<typeof checkRunEventSchema>;
