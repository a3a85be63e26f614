import type { RestEndpointMethodTypes } from "@octokit/rest";
import type { Issue, IssueComment, Label, PullRequest, PullRequestReview } from "./people.js";
import { pullFileChanges } from "./pull-files.js";
import { checkRunShape } from "./shapes/checks.js";
import { refShape } from "./shapes/git.js";
import { repositoryShape } from "./shapes/repo.js";
import { diffEntryShape, pullShape } from "./shapes/pulls.js";
import { reviewCommentShape, reviewShape } from "./shapes/reviews.js";
import type { ShapeContext } from "./shapes/context.js";
import { commentShape, issueEventShape, issueShape, labelShape, reactionShape } from "./shapes/issues.js";

export type Reaction = RestEndpointMethodTypes["reactions"]["createForIssueComment"]["response"]["data"];
export type IssueEvent = RestEndpointMethodTypes["issues"]["listEvents"]["response"]["data"][number];
export type GitRef = RestEndpointMethodTypes["git"]["getRef"]["response"]["data"];
export type PullRequestFile = RestEndpointMethodTypes["pulls"]["listFiles"]["response"]["data"][number];
export type ReviewComment = RestEndpointMethodTypes["pulls"]["listReviewComments"]["response"]["data"][number];
export type CheckRun = RestEndpointMethodTypes["checks"]["get"]["response"]["data"];
export type Repository = RestEndpointMethodTypes["repos"]["get"]["response"]["data"];

/** Read-only REST-shaped snapshots of the sandbox's state; changing them changes nothing. */
export interface SandboxState {
  /** The issue (or pull request) with this number; undefined when unknown or deleted. */
  issue(issueNumber: number): Issue | undefined;
  /** All issues and pull requests that are not deleted, by number. */
  issues(): Issue[];
  labels(): Label[];
  comments(issueNumber: number): IssueComment[];
  reactions(commentId: number): Reaction[];
  /** labeled / unlabeled / closed / reopened events of an issue, oldest first. */
  events(issueNumber: number): IssueEvent[];
  /** The issues blocking this one. */
  blockedBy(issueNumber: number): Issue[];
  /** Every git ref (branches, tags, lock refs, refs/pull/N/head), sorted by name. */
  refs(): GitRef[];
  /** The pull request with this number; undefined for issues and unknown numbers. */
  pull(pullNumber: number): PullRequest | undefined;
  /** All pull requests, by number. */
  pulls(): PullRequest[];
  /** The files a pull request changes, as GET …/pulls/{pull_number}/files lists them (all pages). */
  pullFiles(pullNumber: number): PullRequestFile[];
  /** Reviews of a pull request (pending ones included), oldest first. */
  reviews(pullNumber: number): PullRequestReview[];
  reviewComments(pullNumber: number): ReviewComment[];
  /** Check runs, oldest first: all of them, or those of one commit (a sha or a branch name). */
  checkRuns(ref?: string): CheckRun[];
  /** The repository as GET /repos/{owner}/{repo} shows it (an installation payload names it by these fields). */
  repository(): Repository;
  /** A file's text on a branch (default: the default branch); undefined when the branch or the file does not exist. */
  file(path: string, ref?: string): string | undefined;
}

export function stateView(ctx: ShapeContext): SandboxState {
  const { store } = ctx;
  const issue = (record: Parameters<typeof issueShape>[1]) => issueShape(ctx, record) as unknown as Issue;
  return {
    issue(issueNumber) {
      const record = store.issues.get(issueNumber);
      return record && !record.deleted ? issue(record) : undefined;
    },
    issues: () => store.liveIssues().sort((a, b) => a.number - b.number).map(issue),
    labels: () => store.labels.map((label) => labelShape(ctx, label) as unknown as Label),
    comments: (issueNumber) => store.commentsOf(issueNumber).map((c) => commentShape(ctx, c) as unknown as IssueComment),
    reactions: (commentId) =>
      store.reactionsOf({ kind: "comment", id: commentId }).map((r) => reactionShape(ctx, r) as unknown as Reaction),
    events: (issueNumber) =>
      store.issueEvents.filter((e) => e.issueNumber === issueNumber).map((e) => issueEventShape(ctx, e) as unknown as IssueEvent),
    blockedBy(issueNumber) {
      const record = store.issues.get(issueNumber);
      return (record?.blockedBy ?? []).flatMap((id) => store.issueById(id) ?? []).filter((b) => !b.deleted).map(issue);
    },
    refs: () =>
      [...store.git.refs.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([name, sha]) => refShape(ctx, name, sha) as unknown as GitRef),
    pull(pullNumber) {
      const record = store.issues.get(pullNumber);
      const pull = store.pulls.get(pullNumber);
      return record && pull && !record.deleted ? (pullShape(ctx, record, pull) as unknown as PullRequest) : undefined;
    },
    pulls: () =>
      [...store.pulls.values()]
        .sort((a, b) => a.number - b.number)
        .flatMap((pull) => {
          const record = store.issues.get(pull.number);
          return record ? [pullShape(ctx, record, pull) as unknown as PullRequest] : [];
        }),
    pullFiles(pullNumber) {
      const pull = store.pulls.get(pullNumber);
      return pull ? pullFileChanges(store.git, pull).map((change) => diffEntryShape(ctx, pull, change) as unknown as PullRequestFile) : [];
    },
    reviews: (pullNumber) =>
      [...store.reviews.values()].filter((r) => r.pullNumber === pullNumber).map((r) => reviewShape(ctx, r) as unknown as PullRequestReview),
    reviewComments: (pullNumber) =>
      [...store.reviewComments.values()]
        .filter((c) => c.pullNumber === pullNumber)
        .map((c) => reviewCommentShape(ctx, c) as unknown as ReviewComment),
    checkRuns(ref) {
      const sha = ref === undefined ? undefined : store.git.resolve(ref);
      return [...store.checkRuns.values()]
        .filter((run) => ref === undefined || run.headSha === sha)
        .map((run) => checkRunShape(ctx, run) as unknown as CheckRun);
    },
    repository: () => repositoryShape(ctx) as unknown as Repository,
    file(path, ref = store.repo.defaultBranch) {
      const sha = store.git.resolve(ref);
      return sha === undefined ? undefined : store.git.fileAt(sha, path);
    },
  };
}
