import type { Octokit } from "@octokit/rest";
import {
  isOrkestra,
  type Actor,
  type CommentData,
  type IssueData,
  type PullData,
  type PullDetails,
  type ReviewData,
  type ReviewState,
} from "../port.js";

// REST responses → the port's shapes.

type RestIssue = Awaited<ReturnType<Octokit["rest"]["issues"]["get"]>>["data"];
type RestComment = Awaited<ReturnType<Octokit["rest"]["issues"]["getComment"]>>["data"];
type RestPull = Awaited<ReturnType<Octokit["rest"]["pulls"]["get"]>>["data"];
type RestPullSimple = Awaited<ReturnType<Octokit["rest"]["pulls"]["list"]>>["data"][number];
type RestReview = Awaited<ReturnType<Octokit["rest"]["pulls"]["getReview"]>>["data"];

export function toActor(user: { login: string; type?: string } | null | undefined): Actor {
  return { login: user?.login ?? "ghost", type: user?.type ?? "User" };
}

export function toIssue(data: RestIssue): IssueData {
  return {
    id: data.id,
    number: data.number,
    title: data.title,
    body: data.body ?? "",
    state: data.state === "closed" ? "closed" : "open",
    stateReason: data.state_reason ?? null,
    labels: labelNames(data.labels),
    isPullRequest: Boolean(data.pull_request),
    author: toActor(data.user),
    createdAt: data.created_at,
    updatedAt: data.updated_at,
    closedAt: data.closed_at ?? null,
  };
}

function labelNames(labels: ReadonlyArray<string | { name?: string | null }>): string[] {
  return labels.map((label) => (typeof label === "string" ? label : (label.name ?? ""))).filter(Boolean);
}

export function toComment(data: RestComment, self: string | undefined): CommentData {
  const author = toActor(data.user);
  return {
    id: data.id,
    body: data.body ?? "",
    author,
    byOrkestra: isOrkestra(author, self),
    createdAt: data.created_at,
    updatedAt: data.updated_at,
  };
}

export function toPullData(data: RestPullSimple | RestPull): PullData {
  return {
    number: data.number,
    title: data.title,
    body: data.body ?? "",
    headRef: data.head.ref,
    headSha: data.head.sha,
    draft: data.draft ?? false,
    labels: labelNames(data.labels),
    updatedAt: data.updated_at,
  };
}

export function toPullDetails(data: RestPull): PullDetails {
  return {
    ...toPullData(data),
    state: data.state === "closed" ? "closed" : "open",
    merged: data.merged,
    author: toActor(data.user),
    authorAssociation: data.author_association,
    baseRef: data.base.ref,
    headRepo: data.head.repo?.full_name ?? null,
    baseRepo: data.base.repo.full_name,
    changedFiles: data.changed_files,
    additions: data.additions,
    deletions: data.deletions,
  };
}

const REVIEW_STATES: readonly ReviewState[] = ["APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED", "PENDING"];

export function toReview(data: RestReview, self: string | undefined): ReviewData {
  const author = toActor(data.user);
  return {
    id: data.id,
    state: REVIEW_STATES.find((state) => state === data.state) ?? "COMMENTED",
    body: data.body ?? "",
    author,
    byOrkestra: isOrkestra(author, self),
    commitId: data.commit_id ?? null,
    submittedAt: data.submitted_at ?? null,
  };
}
