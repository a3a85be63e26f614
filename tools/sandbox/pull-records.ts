import type { ViaApp } from "./store.js";

/** The pull request side of an issue whose `pullRequest` link is set (same number). */
export interface PullRecord {
  number: number;
  id: number;
  nodeId: string;
  /** The head branch name. */
  head: string;
  /** The base branch name. */
  base: string;
  /** Owner of the fork the head branch lives in; null for a branch of this repository. */
  forkOwner: string | null;
  headSha: string;
  /** Where the head branched off the base: files and diffs are taken from here (GitHub's three-dot diff). */
  mergeBaseSha: string;
  /** The pull request's commits, oldest first. */
  commits: string[];
  /** New path → previous path, for files renamed by the pull request. */
  renames: Record<string, string>;
  mergedBy: string | null;
  mergeCommitSha: string | null;
  maintainerCanModify: boolean;
  /** GitHub's auto-merge, once turned on (GraphQL `enablePullRequestAutoMerge`); absent or null when off. */
  autoMerge?: { method: "merge" | "squash" | "rebase"; enabledBy: string; enabledAt: string } | null;
}

export type ReviewState = "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING";

export interface ReviewRecord {
  id: number;
  nodeId: string;
  pullNumber: number;
  author: string;
  body: string;
  state: ReviewState;
  commitId: string;
  /** Null while pending. */
  submittedAt: string | null;
  via: ViaApp;
}

export interface ReviewCommentRecord {
  id: number;
  nodeId: string;
  reviewId: number;
  pullNumber: number;
  author: string;
  body: string;
  path: string;
  side: "LEFT" | "RIGHT";
  line: number;
  startSide: "LEFT" | "RIGHT" | null;
  startLine: number | null;
  position: number;
  /** The hunk header and lines up to the commented line. */
  diffHunk: string;
  commitId: string;
  createdAt: string;
  via: ViaApp;
}

export type CheckStatus = "queued" | "in_progress" | "completed";

export interface CheckAnnotationRecord {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: "notice" | "warning" | "failure";
  message: string;
  title?: string;
  raw_details?: string;
}

export interface CheckRunRecord {
  id: number;
  nodeId: string;
  name: string;
  headSha: string;
  status: CheckStatus;
  conclusion: string | null;
  startedAt: string;
  completedAt: string | null;
  externalId: string | null;
  detailsUrl: string | null;
  output: { title: string | null; summary: string | null; text: string | null; annotations: CheckAnnotationRecord[] };
  /** Which app created it: "app" (Orkestra's installation) or "actions" (GITHUB_TOKEN). */
  app: "app" | "actions";
  suiteId: number;
}

/**
 * A check suite: one per app and commit for check runs, one per workflow run for GitHub Actions,
 * or one added by a test. `state` is the suite's own (a workflow run's, a scripted one); null
 * when it follows from the suite's check runs.
 */
export interface CheckSuiteRecord {
  id: number;
  nodeId: string;
  /** "app": Orkestra's installation; "actions": GitHub Actions; "ci": a third-party CI app. */
  app: "app" | "actions" | "ci";
  headSha: string;
  /** The branch whose tip the commit was when the suite was made; null for none. */
  headBranch: string | null;
  state: { status: CheckStatus; conclusion: string | null } | null;
  createdAt: string;
  updatedAt: string;
}
