import type { Octokit } from "@octokit/rest";
import type { PermissionLevel } from "../config/common.js";
import type { PullRequestFileEntry } from "../domain/review/diff.js";
import type { RepoRef } from "../domain/task/dependencies.js";
import {
  GitHubError,
  isOrkestra,
  type Actor,
  type CheckRunUpdate,
  type CommentData,
  type GitHubPort,
  type IssueData,
  type LabelData,
  type PullData,
  type PullDetails,
  type RateLimit,
  type ReactionContent,
  type ReviewCommentInput,
  type ReviewData,
  type ReviewState,
} from "./port.js";

/** The part of an Octokit client Orkestra uses (Probot's and @actions/github's both fit). */
export type OctokitClient = Pick<Octokit, "rest" | "paginate" | "request" | "hook">;

type RestIssue = Awaited<ReturnType<Octokit["rest"]["issues"]["get"]>>["data"];
type RestComment = Awaited<ReturnType<Octokit["rest"]["issues"]["getComment"]>>["data"];
type RestPull = Awaited<ReturnType<Octokit["rest"]["pulls"]["get"]>>["data"];
type RestPullSimple = Awaited<ReturnType<Octokit["rest"]["pulls"]["list"]>>["data"][number];
type RestReview = Awaited<ReturnType<Octokit["rest"]["pulls"]["getReview"]>>["data"];

/** GitHubPort over typed Octokit REST methods. Retries and throttling come from the client's plugins. */
export class OctokitGitHub implements GitHubPort {
  private lastRateLimit: RateLimit | null = null;

  constructor(
    private readonly octokit: OctokitClient,
    readonly repo: RepoRef,
    readonly self: string | undefined = undefined,
  ) {
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

  async *openIssuePages(labels: string[]): AsyncIterable<IssueData[]> {
    const pages = this.octokit.paginate.iterator(this.octokit.rest.issues.listForRepo, {
      ...this.repo,
      state: "open",
      labels: labels.join(","),
      per_page: 100,
    });
    for await (const page of wrapIterable(pages)) {
      yield page.data.filter((issue) => !issue.pull_request).map(toIssue);
    }
  }

  async *labeledIssuePages(label: string): AsyncIterable<IssueData[]> {
    const pages = this.octokit.paginate.iterator(this.octokit.rest.issues.listForRepo, {
      ...this.repo,
      state: "all",
      labels: label,
      per_page: 100,
    });
    for await (const page of wrapIterable(pages)) yield page.data.map(toIssue);
  }

  async teamMembers(org: string, slug: string): Promise<string[] | null> {
    // 404: no such team; 403: the token may not read the organisation's teams (GITHUB_TOKEN never can).
    const members = await unless(
      this.octokit.paginate(this.octokit.rest.teams.listMembersInOrg, { org, team_slug: slug, per_page: 100 }),
      [403, 404],
    );
    return members?.map((member) => member.login) ?? null;
  }

  async recentlyClosed(since: string): Promise<IssueData[]> {
    const { data } = await call(
      this.octokit.rest.issues.listForRepo({ ...this.repo, state: "closed", since, sort: "updated", direction: "desc", per_page: 100 }),
    );
    return data.filter((issue) => !issue.pull_request && issue.closed_at && issue.closed_at >= since).map(toIssue);
  }

  async recentOpenPulls(): Promise<PullData[]> {
    const { data } = await call(
      this.octokit.rest.pulls.list({ ...this.repo, state: "open", sort: "updated", direction: "desc", per_page: 100 }),
    );
    return data.map(toPullData);
  }

  async getPull(number: number): Promise<PullDetails | null> {
    const data = await orNull(this.octokit.rest.pulls.get({ ...this.repo, pull_number: number }));
    return data ? toPullDetails(data) : null;
  }

  async listPullFiles(number: number, options: { maxFiles?: number } = {}): Promise<PullRequestFileEntry[]> {
    const max = options.maxFiles ?? Infinity;
    const files: PullRequestFileEntry[] = [];
    const pages = this.octokit.paginate.iterator(this.octokit.rest.pulls.listFiles, { ...this.repo, pull_number: number, per_page: 100 });
    for await (const page of wrapIterable(pages)) {
      for (const file of page.data) {
        files.push({
          filename: file.filename,
          status: file.status,
          additions: file.additions,
          deletions: file.deletions,
          changes: file.changes,
          patch: file.patch ?? null,
          previous_filename: file.previous_filename ?? null,
        });
      }
      if (files.length >= max) return files.slice(0, max);
    }
    return files;
  }

  async pullDiff(number: number): Promise<string | null> {
    // 406: "the diff exceeded the maximum number of files (300)" or too large.
    const response = await unless(this.octokit.rest.pulls.get({ ...this.repo, pull_number: number, mediaType: { format: "diff" } }), [406]);
    // With the diff media type GitHub answers text; Octokit's types still describe the JSON.
    return response ? (response.data as unknown as string) : null;
  }

  async listReviews(number: number): Promise<ReviewData[]> {
    const reviews = await call(this.octokit.paginate(this.octokit.rest.pulls.listReviews, { ...this.repo, pull_number: number, per_page: 100 }));
    return reviews.map((review) => toReview(review, this.self));
  }

  async createReview(
    number: number,
    review: { commitId: string; event: "APPROVE" | "REQUEST_CHANGES" | "COMMENT"; body: string; comments: ReviewCommentInput[] },
  ): Promise<ReviewData> {
    const { data } = await call(
      this.octokit.rest.pulls.createReview({
        ...this.repo,
        pull_number: number,
        commit_id: review.commitId,
        event: review.event,
        body: review.body,
        ...(review.comments.length > 0 ? { comments: review.comments } : {}),
      }),
    );
    return toReview(data, this.self);
  }

  async updateReviewBody(number: number, reviewId: number, body: string): Promise<void> {
    await call(this.octokit.rest.pulls.updateReview({ ...this.repo, pull_number: number, review_id: reviewId, body }));
  }

  async dismissReview(number: number, reviewId: number, message: string): Promise<void> {
    await call(this.octokit.rest.pulls.dismissReview({ ...this.repo, pull_number: number, review_id: reviewId, message }));
  }

  async createCheckRun(run: { name: string; headSha: string; status: "in_progress"; startedAt: string; externalId?: string }): Promise<number> {
    const { data } = await call(
      this.octokit.rest.checks.create({
        ...this.repo,
        name: run.name,
        head_sha: run.headSha,
        status: run.status,
        started_at: run.startedAt,
        ...(run.externalId ? { external_id: run.externalId } : {}),
      }),
    );
    return data.id;
  }

  async updateCheckRun(id: number, update: CheckRunUpdate): Promise<void> {
    await call(
      this.octokit.rest.checks.update({
        ...this.repo,
        check_run_id: id,
        ...(update.status ? { status: update.status } : {}),
        ...(update.conclusion ? { conclusion: update.conclusion } : {}),
        ...(update.completedAt ? { completed_at: update.completedAt } : {}),
        ...(update.output ? { output: update.output } : {}),
      }),
    );
  }

  async branchSha(branch: string): Promise<string> {
    const { data } = await call(this.octokit.rest.git.getRef({ ...this.repo, ref: `heads/${branch}` }));
    return data.object.sha;
  }

  async refSha(ref: string): Promise<string | null> {
    const data = await orNull(this.octokit.rest.git.getRef({ ...this.repo, ref }));
    return data?.object.sha ?? null;
  }

  async commit(sha: string): Promise<{ message: string; tree: string; date: string }> {
    const { data } = await call(this.octokit.rest.git.getCommit({ ...this.repo, commit_sha: sha }));
    return { message: data.message, tree: data.tree.sha, date: data.committer.date };
  }

  async createCommit(input: { message: string; tree: string; parents: string[] }): Promise<string> {
    const { data } = await call(this.octokit.rest.git.createCommit({ ...this.repo, ...input }));
    return data.sha;
  }

  async fastForwardRef(ref: string, sha: string): Promise<boolean> {
    // 422: not a fast-forward (someone moved the ref first).
    return (await unless(this.octokit.rest.git.updateRef({ ...this.repo, ref, sha, force: false }), [422])) !== undefined;
  }

  async createRef(ref: string, sha: string): Promise<boolean> {
    // 422: "Reference already exists" — another claimer was first.
    return (await unless(this.octokit.rest.git.createRef({ ...this.repo, ref: `refs/${ref}`, sha }), [422])) !== undefined;
  }

  async deleteRef(ref: string): Promise<void> {
    // 422 "Reference does not exist" and 404 both mean it is already gone.
    await unless(this.octokit.rest.git.deleteRef({ ...this.repo, ref }), [404, 422]);
  }

  async matchingRefs(prefix: string): Promise<{ ref: string; sha: string }[]> {
    const { data } = await call(this.octokit.rest.git.listMatchingRefs({ ...this.repo, ref: prefix.replace(/\/$/, "") }));
    return data
      .map((ref) => ({ ref: ref.ref.replace(/^refs\//, ""), sha: ref.object.sha }))
      .filter((ref) => ref.ref.startsWith(prefix));
  }


  async getFile(path: string, ref?: string): Promise<string | null> {
    const data = await orNull(this.octokit.rest.repos.getContent({ ...this.repo, path, ...(ref ? { ref } : {}) }));
    if (!data || Array.isArray(data) || data.type !== "file" || !("content" in data)) return null;
    return Buffer.from(data.content, "base64").toString("utf8");
  }

  async getIssue(number: number): Promise<IssueData | null> {
    const data = await orNull(this.octokit.rest.issues.get({ ...this.repo, issue_number: number }));
    return data ? toIssue(data) : null;
  }

  async listComments(issue: number): Promise<CommentData[]> {
    const comments = await call(
      this.octokit.paginate(this.octokit.rest.issues.listComments, { ...this.repo, issue_number: issue, per_page: 100 }),
    );
    return comments.map((comment) => toComment(comment, this.self));
  }

  async createComment(issue: number, body: string): Promise<CommentData> {
    const { data } = await call(this.octokit.rest.issues.createComment({ ...this.repo, issue_number: issue, body }));
    return toComment(data, this.self);
  }

  async updateComment(commentId: number, body: string): Promise<void> {
    await call(this.octokit.rest.issues.updateComment({ ...this.repo, comment_id: commentId, body }));
  }

  async deleteComment(commentId: number): Promise<void> {
    await orNull(this.octokit.rest.issues.deleteComment({ ...this.repo, comment_id: commentId }));
  }

  async react(commentId: number, content: ReactionContent): Promise<boolean> {
    const { status } = await call(this.octokit.rest.reactions.createForIssueComment({ ...this.repo, comment_id: commentId, content }));
    return status === 201;
  }

  async ownReactions(commentId: number): Promise<ReactionContent[]> {
    const reactions = await call(
      this.octokit.paginate(this.octokit.rest.reactions.listForIssueComment, { ...this.repo, comment_id: commentId, per_page: 100 }),
    );
    return reactions.filter((reaction) => isOrkestra(toActor(reaction.user), this.self)).map((reaction) => reaction.content);
  }

  async addLabels(issue: number, names: string[]): Promise<LabelData[]> {
    const { data } = await call(this.octokit.rest.issues.addLabels({ ...this.repo, issue_number: issue, labels: names }));
    return data.map((label) => ({ name: label.name, color: label.color, description: label.description }));
  }

  async removeLabel(issue: number, name: string): Promise<void> {
    await orNull(this.octokit.rest.issues.removeLabel({ ...this.repo, issue_number: issue, name }));
  }

  async updateLabel(name: string, spec: { color: string; description: string }): Promise<void> {
    await call(this.octokit.rest.issues.updateLabel({ ...this.repo, name, ...spec }));
  }

  async setIssueState(issue: number, state: "open" | "closed", reason?: "completed" | "not_planned"): Promise<void> {
    await call(
      this.octokit.rest.issues.update({
        ...this.repo,
        issue_number: issue,
        state,
        ...(reason ? { state_reason: reason } : {}),
      }),
    );
  }

  async permission(login: string): Promise<PermissionLevel | "none"> {
    const data = await orNull(this.octokit.rest.repos.getCollaboratorPermissionLevel({ ...this.repo, username: login }));
    if (!data) return "none";
    const flags = data.user?.permissions;
    if (flags) {
      if (flags.admin) return "admin";
      if (flags.maintain) return "maintain";
      if (flags.push) return "write";
      if (flags.triage) return "triage";
      if (flags.pull) return "read";
    }
    return levelFrom(data.role_name) ?? levelFrom(data.permission) ?? "none";
  }

  async blockedBy(issue: number): Promise<IssueData[]> {
    const issues = await call(
      this.octokit.paginate(this.octokit.rest.issues.listDependenciesBlockedBy, {
        ...this.repo,
        issue_number: issue,
        per_page: 100,
      }),
    );
    return issues.map(toIssue);
  }

  async blocking(issue: number): Promise<IssueData[]> {
    const issues = await call(
      this.octokit.paginate(this.octokit.rest.issues.listDependenciesBlocking, {
        ...this.repo,
        issue_number: issue,
        per_page: 100,
      }),
    );
    return issues.map(toIssue);
  }

  async addBlockedBy(issue: number, blockerId: number): Promise<void> {
    await call(
      this.octokit.rest.issues.addBlockedByDependency({ ...this.repo, issue_number: issue, issue_id: blockerId }),
    );
  }

  async removeBlockedBy(issue: number, blockerId: number): Promise<void> {
    await orNull(
      this.octokit.rest.issues.removeDependencyBlockedBy({ ...this.repo, issue_number: issue, issue_id: blockerId }),
    );
  }
}

function levelFrom(value: string | undefined): PermissionLevel | "none" | null {
  const known = ["admin", "maintain", "write", "triage", "read", "none"] as const;
  return known.find((level) => level === value) ?? null;
}

function toActor(user: { login: string; type?: string } | null | undefined): Actor {
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

function toPullData(data: RestPullSimple | RestPull): PullData {
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

function toPullDetails(data: RestPull): PullDetails {
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

function toReview(data: RestReview, self: string | undefined): ReviewData {
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

function toComment(data: RestComment, self: string | undefined): CommentData {
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

function statusOf(error: unknown): number | undefined {
  return typeof error === "object" && error !== null && "status" in error && typeof error.status === "number"
    ? error.status
    : undefined;
}

function gitHubError(error: unknown): GitHubError {
  return new GitHubError(`GitHub API: ${error instanceof Error ? error.message : String(error)}`, statusOf(error));
}

/** Rethrows a page iterator's failures as GitHubError, like every other call. */
async function* wrapIterable<T>(iterable: AsyncIterable<T>): AsyncIterable<T> {
  try {
    yield* iterable;
  } catch (error) {
    throw gitHubError(error);
  }
}

async function call<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    throw gitHubError(error);
  }
}

/** The result, or undefined when GitHub answers one of the `expected` statuses; other failures throw GitHubError. */
async function unless<T>(promise: Promise<T>, expected: readonly number[]): Promise<T | undefined> {
  try {
    return await promise;
  } catch (error) {
    const status = statusOf(error);
    if (status !== undefined && expected.includes(status)) return undefined;
    throw gitHubError(error);
  }
}

/** The response data, or null for 404/410 (missing or deleted). */
async function orNull<T>(promise: Promise<{ data: T }>): Promise<T | null> {
  return (await unless(promise, [404, 410]))?.data ?? null;
}
