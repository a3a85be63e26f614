import type { RepoRef } from "../domain/task/dependencies.js";
import * as actions from "./octokit/actions.js";
import * as checks from "./octokit/checks.js";
import type { Connection, OctokitClient } from "./octokit/client.js";
import * as comments from "./octokit/comments.js";
import * as dependencies from "./octokit/dependencies.js";
import * as git from "./octokit/git.js";
import * as issues from "./octokit/issues.js";
import * as labels from "./octokit/labels.js";
import * as people from "./octokit/people.js";
import * as pulls from "./octokit/pulls.js";
import type {
  CheckRunUpdate,
  CommentKind,
  GitHubPort,
  MergeMethod,
  NewIssue,
  NewPull,
  PullUpdate,
  RateLimit,
  ReactionContent,
  RefUpdate,
  ReviewCommentInput,
  TreeChange,
  WorkflowRunFilter,
} from "./port.js";

export type { OctokitClient } from "./octokit/client.js";

/**
 * GitHubPort over typed Octokit REST methods, one module per resource under `octokit/`.
 * Retries and throttling come from the client's plugins; failures become GitHubError (`errors.ts`).
 */
export class OctokitGitHub implements GitHubPort {
  private lastRateLimit: RateLimit | null = null;
  private requests = 0;
  private readonly connection: Connection;

  /** `self` is Orkestra's login, or how to ask for it: asked once, on first need. */
  constructor(
    octokit: OctokitClient,
    readonly repo: RepoRef,
    self: string | undefined | (() => Promise<string | undefined>) = undefined,
  ) {
    let asked: Promise<string | undefined> | undefined;
    const login = typeof self === "function" ? () => (asked ??= self()) : () => Promise.resolve(self);
    this.connection = { octokit, repo, self: login };
    // Counted before it is sent: a request that fails still spends the budget.
    octokit.hook.before("request", () => {
      this.requests += 1;
    });
    // Every response carries the rate limit, so watching them costs no request.
    octokit.hook.after("request", (response) => {
      const headers = response.headers;
      const remaining = Number(headers["x-ratelimit-remaining"]);
      const limit = Number(headers["x-ratelimit-limit"]);
      const reset = Number(headers["x-ratelimit-reset"]);
      if (Number.isFinite(remaining) && Number.isFinite(limit)) {
        this.lastRateLimit = { remaining, limit, resetAt: new Date((Number.isFinite(reset) ? reset : 0) * 1000).toISOString() };
      }
    });
  }

  rateLimit(): RateLimit | null {
    return this.lastRateLimit;
  }

  requestCount(): number {
    return this.requests;
  }

  login(): Promise<string | undefined> {
    return this.connection.self();
  }

  // Issues
  getIssue(number: number) {
    return issues.getIssue(this.connection, number);
  }

  setIssueState(issue: number, state: "open" | "closed", reason?: "completed" | "not_planned") {
    return issues.setIssueState(this.connection, issue, state, reason);
  }

  openIssuePages(labelNames: string[], fromPage?: number) {
    return issues.openIssuePages(this.connection, labelNames, fromPage);
  }

  labeledIssuePages(label: string) {
    return issues.labeledIssuePages(this.connection, label);
  }

  createIssue(issue: NewIssue) {
    return issues.createIssue(this.connection, issue);
  }

  addSubIssue(parent: number, childId: number) {
    return issues.addSubIssue(this.connection, parent, childId);
  }

  listSubIssues(parent: number) {
    return issues.listSubIssues(this.connection, parent);
  }

  pinIssue(nodeId: string) {
    return issues.pinIssue(this.connection, nodeId);
  }

  updateIssueBody(number: number, body: string) {
    return issues.updateIssueBody(this.connection, number, body);
  }

  recentlyUpdated(since: string) {
    return issues.recentlyUpdated(this.connection, since);
  }

  // Comments and reactions
  listComments(issue: number) {
    return comments.listComments(this.connection, issue);
  }

  createComment(issue: number, body: string) {
    return comments.createComment(this.connection, issue, body);
  }

  updateComment(commentId: number, body: string) {
    return comments.updateComment(this.connection, commentId, body);
  }

  deleteComment(commentId: number) {
    return comments.deleteComment(this.connection, commentId);
  }

  react(commentId: number, content: ReactionContent, on?: CommentKind) {
    return comments.react(this.connection, commentId, content, on);
  }

  ownReactions(commentId: number, on?: CommentKind) {
    return comments.ownReactions(this.connection, commentId, on);
  }

  // Labels
  addLabels(issue: number, names: string[]) {
    return labels.addLabels(this.connection, issue, names);
  }

  removeLabel(issue: number, name: string) {
    return labels.removeLabel(this.connection, issue, name);
  }

  updateLabel(name: string, spec: { color: string; description: string }) {
    return labels.updateLabel(this.connection, name, spec);
  }

  // Native dependencies
  blockedBy(issue: number) {
    return dependencies.blockedBy(this.connection, issue);
  }

  blocking(issue: number) {
    return dependencies.blocking(this.connection, issue);
  }

  addBlockedBy(issue: number, blockerId: number) {
    return dependencies.addBlockedBy(this.connection, issue, blockerId);
  }

  removeBlockedBy(issue: number, blockerId: number) {
    return dependencies.removeBlockedBy(this.connection, issue, blockerId);
  }

  // Pull requests, their files, diff and reviews
  recentOpenPulls() {
    return pulls.recentOpenPulls(this.connection);
  }

  pullsFromBranch(branch: string) {
    return pulls.pullsFromBranch(this.connection, branch);
  }

  getPull(number: number) {
    return pulls.getPull(this.connection, number);
  }

  listPullFiles(number: number, options?: { maxFiles?: number }) {
    return pulls.listPullFiles(this.connection, number, options);
  }

  pullDiff(number: number) {
    return pulls.pullDiff(this.connection, number);
  }

  listReviews(number: number) {
    return pulls.listReviews(this.connection, number);
  }

  createReview(number: number, review: { commitId: string; event: "APPROVE" | "REQUEST_CHANGES" | "COMMENT"; body: string; comments: ReviewCommentInput[] }) {
    return pulls.createReview(this.connection, number, review);
  }

  updateReviewBody(number: number, reviewId: number, body: string) {
    return pulls.updateReviewBody(this.connection, number, reviewId, body);
  }

  dismissReview(number: number, reviewId: number, message: string) {
    return pulls.dismissReview(this.connection, number, reviewId, message);
  }

  createPull(pull: NewPull) {
    return pulls.createPull(this.connection, pull);
  }

  updatePull(number: number, changes: PullUpdate) {
    return pulls.updatePull(this.connection, number, changes);
  }

  markReadyForReview(pullNodeId: string) {
    return pulls.markReadyForReview(this.connection, pullNodeId);
  }

  enableAutoMerge(pullNodeId: string, method: MergeMethod) {
    return pulls.enableAutoMerge(this.connection, pullNodeId, method);
  }

  // Check runs
  createCheckRun(run: { name: string; headSha: string; status: "in_progress"; startedAt: string; externalId?: string }) {
    return checks.createCheckRun(this.connection, run);
  }

  updateCheckRun(id: number, update: CheckRunUpdate) {
    return checks.updateCheckRun(this.connection, id, update);
  }

  listCheckSuites(ref: string) {
    return checks.listCheckSuites(this.connection, ref);
  }

  // GitHub Actions
  dispatchWorkflow(workflow: string | number, ref: string, inputs: Record<string, string>) {
    return actions.dispatchWorkflow(this.connection, workflow, ref, inputs);
  }

  listWorkflowRuns(filter?: WorkflowRunFilter) {
    return actions.listWorkflowRuns(this.connection, filter);
  }

  getWorkflowRun(id: number) {
    return actions.getWorkflowRun(this.connection, id);
  }

  // Git data and file contents
  getFile(path: string, ref?: string) {
    return git.getFile(this.connection, path, ref);
  }

  branchSha(branch: string) {
    return git.branchSha(this.connection, branch);
  }

  refSha(ref: string) {
    return git.refSha(this.connection, ref);
  }

  commit(sha: string) {
    return git.commit(this.connection, sha);
  }

  commitPages(sha: string, window: { since?: string; until?: string } = {}) {
    return git.commitPages(this.connection, sha, window);
  }

  createCommit(input: { message: string; tree: string; parents: string[] }) {
    return git.createCommit(this.connection, input);
  }

  fastForwardRef(ref: string, sha: string) {
    return git.fastForwardRef(this.connection, ref, sha);
  }

  forceUpdateRef(ref: string, sha: string) {
    return git.forceUpdateRef(this.connection, ref, sha);
  }

  listTree(ref: string) {
    return git.listTree(this.connection, ref);
  }

  getBlob(sha: string) {
    return git.getBlob(this.connection, sha);
  }

  createBlob(content: string | Uint8Array) {
    return git.createBlob(this.connection, content);
  }

  createTree(changes: TreeChange[], baseTree?: string) {
    return git.createTree(this.connection, changes, baseTree);
  }

  createRef(ref: string, sha: string) {
    return git.createRef(this.connection, ref, sha);
  }

  deleteRef(ref: string) {
    return git.deleteRef(this.connection, ref);
  }

  updateRefs(repositoryId: string, updates: readonly RefUpdate[]) {
    return git.updateRefs(this.connection, repositoryId, updates);
  }

  matchingRefs(prefix: string) {
    return git.matchingRefs(this.connection, prefix);
  }

  // People
  permission(login: string) {
    return people.permission(this.connection, login);
  }

  teamMembers(org: string, slug: string) {
    return people.teamMembers(this.connection, org, slug);
  }
}
