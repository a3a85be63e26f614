import type { PermissionLevel } from "../config/common.js";
import type { CheckAnnotation } from "../domain/review/check-run.js";
import type { PullRequestFileEntry } from "../domain/review/diff.js";
import type { RepoRef } from "../domain/task/dependencies.js";

/**
 * Everything Orkestra reads from or writes to GitHub, in Orkestra's own terms. The only
 * implementation that talks to GitHub is `OctokitGitHub`; handlers see only this port.
 */

export interface Actor {
  login: string;
  type: string; // "User" | "Bot" | "Organization"
}

export interface IssueData {
  id: number;
  /** The global node id, which GraphQL takes (pinning the dashboard); absent where a payload lacks it. */
  nodeId?: string;
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  stateReason: string | null;
  labels: string[];
  isPullRequest: boolean;
  author: Actor;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  /**
   * GitHub's count of the issues that block this one (`issue_dependencies_summary`): open ones and
   * all, whoever linked them; absent where GitHub does not say (then the list must be read to know).
   */
  blockers?: { open: number; total: number };
}

export interface OwnReaction {
  content: ReactionContent;
  createdAt: string;
}

export interface CommentData {
  id: number;
  body: string;
  author: Actor;
  /** Written by Orkestra itself: only such comments are read as Orkestra's state. */
  byOrkestra: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface LabelData {
  name: string;
  color: string;
  description: string | null;
}

export interface PullData {
  number: number;
  /** The global node id, which GraphQL takes (e.g. to mark a draft ready for review). */
  nodeId: string;
  title: string;
  body: string;
  headRef: string;
  headSha: string;
  draft: boolean;
  labels: string[];
  updatedAt: string;
}

/** A pull request as a listing by head branch gives it: enough to tell whether one was opened, and what became of it. */
export interface BranchPull {
  number: number;
  state: "open" | "closed";
  merged: boolean;
}

/** One pull request as `pulls.get` returns it, in Orkestra's terms. */
export interface PullDetails extends PullData {
  state: "open" | "closed";
  merged: boolean;
  author: Actor;
  /** OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR, FIRST_TIME_CONTRIBUTOR, FIRST_TIMER, NONE. */
  authorAssociation: string;
  baseRef: string;
  /** `owner/repo` of the head branch; null when the fork was deleted. */
  headRepo: string | null;
  baseRepo: string;
  changedFiles: number;
  additions: number;
  deletions: number;
}

export type ReviewState = "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING";

export interface ReviewData {
  id: number;
  state: ReviewState;
  body: string;
  author: Actor;
  /** Submitted by Orkestra itself. */
  byOrkestra: boolean;
  commitId: string | null;
  submittedAt: string | null;
}

/** An inline comment of a review, on a line GitHub's diff shows on that side. */
export interface ReviewCommentInput {
  path: string;
  line: number;
  side: "LEFT" | "RIGHT";
  start_line?: number;
  start_side?: "LEFT" | "RIGHT";
  body: string;
}

export type CheckAnnotationInput = CheckAnnotation;

export type CheckConclusionInput = "success" | "failure" | "neutral" | "action_required" | "cancelled" | "skipped";

export interface CheckRunUpdate {
  status?: "in_progress" | "completed";
  conclusion?: CheckConclusionInput;
  completedAt?: string;
  output?: { title: string; summary: string; text?: string; annotations?: CheckAnnotationInput[] };
}

/** One entry of a tree listing: a file (blob), a directory (tree) or a submodule (commit). */
export interface TreeEntry {
  path: string;
  /** "100644", "100755" (executable), "120000" (symlink), "040000" (directory), "160000" (submodule). */
  mode: string;
  type: "blob" | "tree" | "commit";
  sha: string;
  /** Bytes, for blobs. */
  size?: number;
}

export interface TreeListing {
  sha: string;
  entries: TreeEntry[];
  /** GitHub stopped listing past its limits (100,000 entries or 7 MB). */
  truncated: boolean;
}

export type FileMode = "100644" | "100755";

/** A change to a tree: a file's new content, an object put at a path by sha, or a deletion (`sha: null`). */
export type TreeChange =
  | { path: string; content: string; mode?: FileMode }
  | { path: string; sha: string; mode: FileMode | "120000" | "040000" | "160000" }
  | { path: string; sha: null; mode?: FileMode | "040000" };

export interface NewPull {
  title: string;
  body: string;
  /** A branch of this repository. */
  head: string;
  base: string;
  draft: boolean;
}

export interface NewIssue {
  title: string;
  body: string;
  labels?: string[];
}

/** One ref of `updateRefs`; names as elsewhere in the port, without `refs/`. */
export interface RefUpdate {
  ref: string;
  before?: string | null;
  after: string;
  force?: boolean;
}

/** How GitHub's auto-merge merges once the branch protection's requirements are met. */
export type MergeMethod = "MERGE" | "SQUASH" | "REBASE";

/** What PATCH …/pulls/{n} can change (REST has no draft field: see `markReadyForReview`). */
export interface PullUpdate {
  title?: string;
  body?: string;
  state?: "open" | "closed";
}

export interface WorkflowRunData {
  id: number;
  name: string | null;
  workflowId: number;
  /** What started it: "workflow_dispatch", "push", "pull_request", … */
  event: string;
  /** "queued", "in_progress", "completed", … */
  status: string | null;
  /** Set once completed: "success", "failure", "cancelled", … */
  conclusion: string | null;
  headBranch: string | null;
  headSha: string;
  runNumber: number;
  createdAt: string;
  updatedAt: string;
  htmlUrl: string;
}

export type RunStatusFilter =
  | "queued"
  | "in_progress"
  | "completed"
  | "requested"
  | "waiting"
  | "pending"
  | "success"
  | "failure"
  | "neutral"
  | "cancelled"
  | "skipped"
  | "stale"
  | "timed_out"
  | "action_required";

/** GET …/actions/runs filters; `created` takes GitHub's date syntax (`>=2026-12-01`, `A..B`). */
export interface WorkflowRunFilter {
  event?: string;
  /** A status or a conclusion. */
  status?: RunStatusFilter;
  branch?: string;
  created?: string;
  headSha?: string;
}

export interface CheckSuiteData {
  id: number;
  /** The app's slug (e.g. "github-actions"); null when GitHub does not say. */
  app: string | null;
  status: string | null;
  conclusion: string | null;
  headSha: string;
  headBranch: string | null;
  /** How many check runs the suite has (the latest of each). */
  checkRuns: number;
}

export interface RateLimit {
  remaining: number;
  limit: number;
  /** When the window resets (ISO). */
  resetAt: string;
}

/** One page of a listing of open issues. */
export interface IssuePage {
  /** Its number, from 1. */
  page: number;
  /** The listing's last page as GitHub counted it when this page was read (before it, for a page past the end). */
  lastPage: number;
  /** The issues on it, pull requests left out. */
  issues: IssueData[];
  /** Whether GitHub filled it (100 items, pull requests included): a page that is not is the last. */
  full: boolean;
}

export type ReactionContent = "+1" | "-1" | "laugh" | "confused" | "heart" | "hooray" | "rocket" | "eyes";

/** Which kind of comment a reaction is on: GitHub has one reactions endpoint for each. */
export type CommentKind = "issue-comment" | "review-comment";

export interface GitHubPort {
  readonly repo: RepoRef;
  /** Orkestra's own login on this connection, when known (e.g. `orkestra[bot]`); asked of GitHub at most once. */
  login(): Promise<string | undefined>;
  /** Text of a file on the default branch (or on `ref`), or null when it does not exist. */
  getFile(path: string, ref?: string): Promise<string | null>;
  /** The issue or pull request, or null when it does not exist (or was deleted). */
  getIssue(number: number): Promise<IssueData | null>;
  listComments(issue: number): Promise<CommentData[]>;
  createComment(issue: number, body: string): Promise<CommentData>;
  updateComment(commentId: number, body: string): Promise<void>;
  deleteComment(commentId: number): Promise<void>;
  /** Reacts to a comment (an issue comment unless said); true when the reaction is new (201), false when it was already there (200). */
  react(commentId: number, content: ReactionContent, on?: CommentKind): Promise<boolean>;
  /** The reactions Orkestra itself left on a comment (an issue comment unless said), with when. */
  ownReactions(commentId: number, on?: CommentKind): Promise<OwnReaction[]>;
  /** Adds labels (GitHub creates missing ones with its default colour) and returns the issue's labels. */
  addLabels(issue: number, names: string[]): Promise<LabelData[]>;
  /** Removes a label; a label that is already gone is not an error. */
  removeLabel(issue: number, name: string): Promise<void>;
  updateLabel(name: string, spec: { color: string; description: string }): Promise<void>;
  setIssueState(issue: number, state: "open" | "closed", reason?: "completed" | "not_planned"): Promise<void>;
  createIssue(issue: NewIssue): Promise<IssueData>;
  /** Attaches an issue (by its `id`, not its number) as a sub-issue of `parent` (at most 100 per parent). */
  addSubIssue(parent: number, childId: number): Promise<void>;
  listSubIssues(parent: number): Promise<IssueData[]>;
  /** The author's permission on the repository ("none" for strangers). */
  permission(login: string): Promise<PermissionLevel | "none">;
  /** Native issue dependencies: the issues of this repository that block `issue`, and those it blocks. */
  blockedBy(issue: number): Promise<IssueData[]>;
  blocking(issue: number): Promise<IssueData[]>;
  addBlockedBy(issue: number, blockerId: number): Promise<void>;
  removeBlockedBy(issue: number, blockerId: number): Promise<void>;
  /** Open issues (not pull requests) carrying all `labels`, oldest first, one page of up to 100 at a time from `fromPage` (1). */
  openIssuePages(labels: string[], fromPage?: number): AsyncIterable<IssuePage>;
  /** Issues (not pull requests), open or closed, updated since `since` (ISO), newest first, at most 1,000. */
  recentlyUpdated(since: string): Promise<IssueData[]>;
  /** The most recently updated open pull requests (one page of up to 100). */
  recentOpenPulls(): Promise<PullData[]>;
  /** Pull requests from `branch` of this repository, open or closed (one page of up to 100, newest first). */
  pullsFromBranch(branch: string): Promise<BranchPull[]>;
  /** Pins an issue to the repository's issue list (GraphQL `pinIssue`; at most three are pinned). */
  pinIssue(nodeId: string): Promise<void>;
  /** Replaces an issue's body (only ever Orkestra's own issue: the dashboard). */
  updateIssueBody(number: number, body: string): Promise<void>;
  /** The pull request, or null when there is none with this number. */
  getPull(number: number): Promise<PullDetails | null>;
  /** The files a pull request changes (all pages; GitHub lists at most 3000), or the first `maxFiles`. */
  listPullFiles(number: number, options?: { maxFiles?: number }): Promise<PullRequestFileEntry[]>;
  /** The whole unified diff (`application/vnd.github.diff`), or null when GitHub refuses it as too large. */
  pullDiff(number: number): Promise<string | null>;
  listReviews(number: number): Promise<ReviewData[]>;
  createReview(
    number: number,
    review: { commitId: string; event: "APPROVE" | "REQUEST_CHANGES" | "COMMENT"; body: string; comments: ReviewCommentInput[] },
  ): Promise<ReviewData>;
  /** Replaces the text of a submitted review (its state and comments stay). */
  updateReviewBody(number: number, reviewId: number, body: string): Promise<void>;
  /** Dismisses an approval or a change request. */
  dismissReview(number: number, reviewId: number, message: string): Promise<void>;
  /** Creates a check run on a commit and returns its id. */
  createCheckRun(run: { name: string; headSha: string; status: "in_progress"; startedAt: string; externalId?: string }): Promise<number>;
  /** Updates a check run; annotations add up over updates (at most 50 per request). */
  updateCheckRun(id: number, update: CheckRunUpdate): Promise<void>;
  /** The commit a branch points at. */
  branchSha(branch: string): Promise<string>;
  /** The commit a ref (e.g. `orkestra/usage/2026-11-21`) points at, or null when it does not exist. */
  refSha(ref: string): Promise<string | null>;
  /** A commit's message, tree and committer date. */
  commit(sha: string): Promise<{ message: string; tree: string; date: string }>;
  /** A commit's history in pages of 100, newest first (`GET …/commits?sha=`), within committer dates when given. */
  commitPages(sha: string, window?: { since?: string; until?: string }): AsyncIterable<{ sha: string; message: string; date: string }[]>;
  createCommit(input: { message: string; tree: string; parents: string[] }): Promise<string>;
  /** Moves a ref forward to `sha`; false when it moved meanwhile (not a fast-forward). */
  fastForwardRef(ref: string, sha: string): Promise<boolean>;
  /** Creates a ref; false when it already exists (GitHub's compare-and-set). */
  createRef(ref: string, sha: string): Promise<boolean>;
  /** Deletes a ref; one that is already gone is not an error. */
  deleteRef(ref: string): Promise<void>;
  /** Refs whose names start with `prefix` (e.g. `orkestra/locks/`), without `refs/`. */
  matchingRefs(prefix: string): Promise<{ ref: string; sha: string }[]>;
  /**
   * Moves several refs at once, all or none (GraphQL `updateRefs`, which REST lacks): each to
   * `after`, only when it is at `before` (null: only when it does not exist; undefined: wherever it
   * is), as a fast-forward unless `force`. A refused update throws, and no ref moved.
   */
  updateRefs(repositoryId: string, updates: readonly RefUpdate[]): Promise<void>;
  /** Moves a ref to `sha` whether or not that is a fast-forward. */
  forceUpdateRef(ref: string, sha: string): Promise<void>;
  /** Every entry of the tree of `ref` (a branch, tag, commit or tree sha), subdirectories included. */
  listTree(ref: string): Promise<TreeListing>;
  /** A blob's bytes, or null when there is no blob with this sha. */
  getBlob(sha: string): Promise<Uint8Array | null>;
  /** Stores a blob (text as UTF-8, bytes in base64) and returns its sha. */
  createBlob(content: string | Uint8Array): Promise<string>;
  /** Makes a tree of `changes` applied over `baseTree` (without it, of the changes alone) and returns its sha. */
  createTree(changes: TreeChange[], baseTree?: string): Promise<string>;
  /** Opens a pull request from a branch of this repository. */
  createPull(pull: NewPull): Promise<PullDetails>;
  updatePull(number: number, changes: PullUpdate): Promise<void>;
  /** Takes a draft out of draft, by the pull request's node id (GraphQL: REST cannot). */
  markReadyForReview(pullNodeId: string): Promise<void>;
  /** Turns on GitHub's auto-merge (GraphQL only): the pull request merges once branch protection is satisfied. */
  enableAutoMerge(pullNodeId: string, method: MergeMethod): Promise<void>;
  /** Starts a workflow (its file name or id) on a branch with `workflow_dispatch`; the run's id when GitHub tells it. */
  dispatchWorkflow(workflow: string | number, ref: string, inputs: Record<string, string>): Promise<number | null>;
  /** Workflow runs, newest first (one page of up to 100). */
  listWorkflowRuns(filter?: WorkflowRunFilter): Promise<WorkflowRunData[]>;
  /** A workflow run, or null when there is none with this id. */
  getWorkflowRun(id: number): Promise<WorkflowRunData | null>;
  /** The check suites of a commit (a sha or a branch), every app's. */
  listCheckSuites(ref: string): Promise<CheckSuiteData[]>;
  /** The rate limit as of the last response, or null before any. */
  rateLimit(): RateLimit | null;
  /** Requests this connection has sent so far (each counts against the rate limit, failed or not). */
  requestCount(): number;
  /** Issues and pull requests, open or closed, carrying `label`, one page of up to 100 at a time. */
  labeledIssuePages(label: string): AsyncIterable<IssueData[]>;
  /** Logins of a team's members, or null when the team is unknown or Orkestra may not see it. */
  teamMembers(org: string, slug: string): Promise<string[] | null>;
}

/** Who writes with an Actions job's GITHUB_TOKEN; what it opens or pushes starts no workflow. */
export const JOB_TOKEN_LOGIN = "github-actions[bot]";

/**
 * Whether Orkestra wrote something. With its own login known only that author counts, so
 * another bot echoing an Orkestra marker cannot forge a card, a tally or a review; without
 * it (a token whose user could not be read), any bot.
 */

export function isOrkestra(author: Actor, self: string | undefined): boolean {
  return self ? author.login.toLowerCase() === self.toLowerCase() : author.type === "Bot";
}

/** A GitHub API failure the caller did not expect (network, 5xx after retries, 403, …). */
export class GitHubError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
    this.name = "GitHubError";
  }
}
