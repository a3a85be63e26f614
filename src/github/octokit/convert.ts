import type { Octokit } from "@octokit/rest";
import {
  isOrkestra,
  type Actor,
  type CommentData,
  type IssueData,
  type PullData,
  type PullDetails,
  type CheckSuiteData,
  type ReviewData,
  type ReviewState,
  type WorkflowRunData,
} from "../port.js";

// REST responses → the port's shapes.

type RestIssue = Awaited<ReturnType<Octokit["rest"]["issues"]["get"]>>["data"];
type RestComment = Awaited<ReturnType<Octokit["rest"]["issues"]["getComment"]>>["data"];
type RestPull = Awaited<ReturnType<Octokit["rest"]["pulls"]["get"]>>["data"];
type RestPullSimple = Awaited<ReturnType<Octokit["rest"]["pulls"]["list"]>>["data"][number];
type RestReview = Awaited<ReturnType<Octokit["rest"]["pulls"]["getReview"]>>["data"];
type RestWorkflowRun = Awaited<ReturnType<Octokit["rest"]["actions"]["getWorkflowRun"]>>["data"];
type RestCheckSuite = Awaited<ReturnType<Octokit["rest"]["checks"]["getSuite"]>>["data"];

export function toActor(user: { login: string; type?: string } | null | undefined): Actor {
  return { login: user?.login ?? "ghost", type: user?.type ?? "User" };
}

export function toIssue(data: RestIssue): IssueData {
  return {
    id: data.id,
    nodeId: data.node_id,
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
    ...blockersOf(data.issue_dependencies_summary),
  };
}

/** GitHub's count of an issue's blockers, when the answer carries it. */
function blockersOf(summary: { blocked_by: number; total_blocked_by: number } | null | undefined): Pick<IssueData, "blockers"> {
  return summary ? { blockers: { open: summary.blocked_by, total: summary.total_blocked_by } } : {};
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
    nodeId: data.node_id,
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

export function toWorkflowRun(data: RestWorkflowRun): WorkflowRunData {
  return {
    id: data.id,
    name: data.name ?? null,
    workflowId: data.workflow_id,
    event: data.event,
    status: data.status,
    conclusion: data.conclusion,
    headBranch: data.head_branch,
    headSha: data.head_sha,
    runNumber: data.run_number,
    createdAt: data.created_at,
    updatedAt: data.updated_at,
    htmlUrl: data.html_url,
  };
}

export function toCheckSuite(data: RestCheckSuite): CheckSuiteData {
  return {
    id: data.id,
    app: data.app?.slug ?? null,
    status: data.status,
    conclusion: data.conclusion,
    headSha: data.head_sha,
    headBranch: data.head_branch,
    checkRuns: data.latest_check_runs_count,
  };
}
