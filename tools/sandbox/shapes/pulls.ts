import type { CommitRecord } from "../git.js";
import { legacyNodeId } from "../ids.js";
import type { PullRecord } from "../pull-records.js";
import { pullFileChanges, type FileChange } from "../pull-files.js";
import type { IssueRecord, RepoRecord } from "../store.js";
import { repoApi, repoHtml, type ShapeContext } from "./context.js";
import { authorAssociation, issueLabelsShape } from "./issues.js";
import { repositoryShape } from "./repo.js";
import { userShape } from "./users.js";

const link = (href: string) => ({ href });

function headRepo(ctx: ShapeContext, pull: PullRecord): RepoRecord {
  return pull.forkOwner === null ? ctx.store.repo : ctx.store.forkOf(pull.forkOwner);
}

/** `head` / `base`: the branch, its commit and its repository. */
function branchShape(ctx: ShapeContext, repo: RepoRecord, ref: string, sha: string): Record<string, unknown> {
  return { label: `${repo.owner}:${ref}`, ref, sha, user: userShape(ctx, repo.owner), repo: repositoryShape(ctx, repo) };
}

/** The tip of the base branch (where a merge would land); the merge base if it is gone. */
function baseSha(ctx: ShapeContext, pull: PullRecord): string {
  return ctx.store.git.refs.get(`refs/heads/${pull.base}`) ?? pull.mergeBaseSha;
}

/** `pull-request-simple`: what lists and review webhooks carry. */
export function pullSimpleShape(ctx: ShapeContext, issue: IssueRecord, pull: PullRecord): Record<string, unknown> {
  const api = `${repoApi(ctx)}/pulls/${pull.number}`;
  const html = `${repoHtml(ctx)}/pull/${pull.number}`;
  const issueApi = `${repoApi(ctx)}/issues/${pull.number}`;
  const statuses = `${repoApi(ctx)}/statuses/${pull.headSha}`;
  return {
    url: api,
    id: pull.id,
    node_id: pull.nodeId,
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issueApi,
    commits_url: `${api}/commits`,
    review_comments_url: `${api}/comments`,
    review_comment_url: `${repoApi(ctx)}/pulls/comments{/number}`,
    comments_url: `${issueApi}/comments`,
    statuses_url: statuses,
    number: pull.number,
    state: issue.state,
    locked: false,
    title: issue.title,
    user: userShape(ctx, issue.author),
    body: issue.body,
    labels: issueLabelsShape(ctx, issue),
    milestone: null,
    active_lock_reason: null,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt,
    merged_at: issue.pullRequest?.mergedAt ?? null,
    merge_commit_sha: pull.mergeCommitSha,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: branchShape(ctx, headRepo(ctx, pull), pull.head, pull.headSha),
    base: branchShape(ctx, ctx.store.repo, pull.base, baseSha(ctx, pull)),
    _links: {
      self: link(api),
      html: link(html),
      issue: link(issueApi),
      comments: link(`${issueApi}/comments`),
      review_comments: link(`${api}/comments`),
      review_comment: link(`${repoApi(ctx)}/pulls/comments{/number}`),
      commits: link(`${api}/commits`),
      statuses: link(statuses),
    },
    author_association: authorAssociation(ctx, issue.author),
    auto_merge: pull.autoMerge ? autoMergeShape(ctx, issue, pull, pull.autoMerge) : null,
    draft: issue.pullRequest?.draft ?? false,
  };
}

/** `pull-request`: GET …/pulls/{pull_number} and the `pull_request` webhook. */
export function pullShape(ctx: ShapeContext, issue: IssueRecord, pull: PullRecord): Record<string, unknown> {
  const files = pullFileChanges(ctx.store.git, pull);
  const merged = issue.pullRequest?.mergedAt != null;
  const draft = issue.pullRequest?.draft ?? false;
  return {
    ...pullSimpleShape(ctx, issue, pull),
    merged,
    mergeable: issue.state === "open" ? true : null,
    rebaseable: issue.state === "open" ? true : null,
    mergeable_state: issue.state !== "open" ? "unknown" : draft ? "draft" : "clean",
    merged_by: pull.mergedBy ? userShape(ctx, pull.mergedBy) : null,
    comments: ctx.store.commentsOf(pull.number).length,
    review_comments: [...ctx.store.reviewComments.values()].filter((c) => c.pullNumber === pull.number).length,
    maintainer_can_modify: pull.maintainerCanModify,
    commits: pull.commits.length,
    additions: files.reduce((n, file) => n + file.diff.additions, 0),
    deletions: files.reduce((n, file) => n + file.diff.deletions, 0),
    changed_files: files.length,
  };
}

/** `pull-request-minimal`, as check runs and suites list their pull requests. */
export function pullMinimalShape(ctx: ShapeContext, pull: PullRecord): Record<string, unknown> {
  const repoRef = (repo: RepoRecord) => ({ id: repo.id, url: `${ctx.api}/repos/${repo.owner}/${repo.name}`, name: repo.name });
  return {
    url: `${repoApi(ctx)}/pulls/${pull.number}`,
    id: pull.id,
    number: pull.number,
    head: { ref: pull.head, sha: pull.headSha, repo: repoRef(headRepo(ctx, pull)) },
    base: { ref: pull.base, sha: baseSha(ctx, pull), repo: repoRef(ctx.store.repo) },
  };
}

/** `diff-entry`: one file of GET …/pulls/{pull_number}/files. */
export function diffEntryShape(ctx: ShapeContext, pull: PullRecord, change: FileChange): Record<string, unknown> {
  const path = change.filename.split("/").map(encodeURIComponent).join("/");
  const shape: Record<string, unknown> = {
    sha: change.afterSha ?? change.beforeSha,
    filename: change.filename,
    status: change.status,
    additions: change.diff.additions,
    deletions: change.diff.deletions,
    changes: change.diff.additions + change.diff.deletions,
    blob_url: `${repoHtml(ctx)}/blob/${pull.headSha}/${path}`,
    raw_url: `${repoHtml(ctx)}/raw/${pull.headSha}/${path}`,
    contents_url: `${repoApi(ctx)}/contents/${path}?ref=${pull.headSha}`,
  };
  if (change.patch !== undefined) shape.patch = change.patch;
  if (change.previousFilename !== undefined) shape.previous_filename = change.previousFilename;
  return shape;
}

/** `commit`: one commit of GET …/pulls/{pull_number}/commits. */
export function pullCommitShape(ctx: ShapeContext, commit: CommitRecord): Record<string, unknown> {
  const author = commit.author === undefined ? undefined : ctx.store.user(commit.author);
  const gitPerson = author
    ? { name: author.login, email: `${author.id}+${author.login}@users.noreply.github.com`, date: commit.date }
    : { name: "sandbox", email: "sandbox@users.noreply.github.com", date: commit.date };
  const api = `${repoApi(ctx)}/commits/${commit.sha}`;
  return {
    url: api,
    sha: commit.sha,
    node_id: legacyNodeId("Commit", parseInt(commit.sha.slice(0, 8), 16)),
    html_url: `${repoHtml(ctx)}/commit/${commit.sha}`,
    comments_url: `${api}/comments`,
    commit: {
      url: `${repoApi(ctx)}/git/commits/${commit.sha}`,
      author: gitPerson,
      committer: gitPerson,
      message: commit.message,
      comment_count: 0,
      tree: { sha: commit.treeSha, url: `${repoApi(ctx)}/git/trees/${commit.treeSha}` },
      verification: { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null },
    },
    author: author ? userShape(ctx, author.login) : null,
    committer: author ? userShape(ctx, author.login) : null,
    parents: commit.parents.map((sha) => ({ sha, url: `${repoApi(ctx)}/commits/${sha}`, html_url: `${repoHtml(ctx)}/commit/${sha}` })),
  };
}

/** `auto-merge`: what GitHub merges with once branch protection is satisfied. Its default commit title is the pull request's title and number for a squash. */
function autoMergeShape(ctx: ShapeContext, issue: IssueRecord, pull: PullRecord, auto: NonNullable<PullRecord["autoMerge"]>): Record<string, unknown> {
  const squash = auto.method === "squash";
  return {
    enabled_by: userShape(ctx, auto.enabledBy),
    merge_method: auto.method,
    commit_title: squash ? `${issue.title} (#${pull.number})` : `Merge pull request #${pull.number} from ${pull.forkOwner ?? ctx.store.repo.owner}/${pull.head}`,
    commit_message: squash ? "" : issue.title,
  };
}
