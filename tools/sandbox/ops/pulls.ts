import { ApiError, isApiError, notFound, validationFailed, type Result } from "../http.js";
import { legacyNodeId } from "../ids.js";
import { normalisePath } from "../git.js";
import { allows, authorize, NEEDS } from "../permissions.js";
import type { PullRecord } from "../pull-records.js";
import { pullFileChanges } from "../pull-files.js";
import type { IssueRecord } from "../store.js";
import { announceIssue } from "./announce.js";
import { findIssue, recordIssueEvent, touch, type OpContext } from "./context.js";
import { newIssueRecord, updateIssue } from "./issues.js";
import { checkBody, invalidField, missingField } from "./validate.js";
import { triggerWorkflows } from "./workflows.js";

/** A file of a scripted pull request: its content on the base (`before`) and on the head (`after`). */
export interface PullFileInput {
  path: string;
  /** Content on the base branch; null: the file is not there. Set on the base first when it differs. Omitted: as it is. */
  before?: string | null;
  /** Content on the head branch; null deletes the file. Omitted: unchanged. */
  after?: string | null;
  /** The file's path before a rename (`before` then is that file's content). */
  previousPath?: string;
}

export interface OpenPullInput {
  title: string;
  body?: string;
  /** The head branch name. */
  head: string;
  /** The base branch (default: the repository's default branch). */
  base?: string;
  draft?: boolean;
  /** The head branch lives in the author's fork (head.repo is `<author>/<repo>`). */
  fromFork?: boolean;
  files: PullFileInput[];
}

export interface Pull {
  issue: IssueRecord;
  pull: PullRecord;
}

/** The pull request with this number: 404 for unknown numbers and for plain issues. */
export function findPull(ctx: OpContext, pullNumber: number): Result<Pull> {
  const issue = findIssue(ctx.store, pullNumber);
  if (isApiError(issue)) return issue;
  const pull = ctx.store.pulls.get(pullNumber);
  return issue.pullRequest && pull ? { issue, pull } : notFound();
}

function isAuthor(ctx: OpContext, issue: IssueRecord): boolean {
  return issue.author.toLowerCase() === ctx.actor.login.toLowerCase();
}

function noCommitsBetween(base: string, head: string): ApiError {
  return validationFailed({ resource: "PullRequest", code: "custom", message: `No commits between ${base} and ${head}` });
}

/** Files whose `before` differs from the base are committed there first (a setup step: no event). */
function prepareBase(ctx: OpContext, base: string, files: readonly PullFileInput[]): string {
  const git = ctx.store.git;
  const tip = git.refs.get(`refs/heads/${base}`)!;
  const changes: Record<string, string | null> = {};
  for (const file of files) {
    if (file.before === undefined) continue;
    const path = file.previousPath ?? file.path;
    if ((git.fileAt(tip, path) ?? null) !== file.before) changes[path] = file.before;
  }
  if (Object.keys(changes).length === 0) return tip;
  return git.commitFiles(base, changes, `Prepare ${Object.keys(changes).join(", ")}`, base).sha;
}

function headChanges(ctx: OpContext, parent: string, files: readonly PullFileInput[]): Record<string, string | null> {
  const changes: Record<string, string | null> = {};
  for (const file of files) {
    if (file.previousPath !== undefined) {
      changes[file.previousPath] = null;
      changes[file.path] = file.after ?? ctx.store.git.fileAt(parent, file.previousPath) ?? "";
    } else if (file.after !== undefined) {
      changes[file.path] = file.after;
    }
  }
  return changes;
}

/** Opens a pull request: commits the files on the head branch (or the author's fork) and announces it. */
export function openPull(ctx: OpContext, input: OpenPullInput): Result<Pull> {
  const store = ctx.store;
  if (typeof input.title !== "string" || input.title.trim() === "") return missingField("PullRequest", "title");
  const tooLong = checkBody("PullRequest", input.body);
  if (tooLong) return tooLong;
  const base = input.base ?? store.repo.defaultBranch;
  if (!store.git.refs.has(`refs/heads/${base}`)) return invalidField("PullRequest", "base");
  const fromFork = input.fromFork === true;
  if (!fromFork) {
    // A branch of this repository needs push access; anyone who can read may open one from a fork.
    const denied = authorize(store, ctx.actor, NEEDS.writeContents);
    if (denied) return denied;
    if (input.head === base) return noCommitsBetween(base, input.head);
  }
  const forkOwner = fromFork ? store.forkOf(ctx.actor.login).owner : null;
  const label = `${forkOwner ?? store.repo.owner}:${input.head}`;
  const duplicate = [...store.pulls.values()].find(
    (p) => p.base === base && `${p.forkOwner ?? store.repo.owner}:${p.head}` === label && store.issues.get(p.number)?.state === "open",
  );
  if (duplicate) return validationFailed({ resource: "PullRequest", code: "custom", message: `A pull request already exists for ${label}.` });

  const baseSha = prepareBase(ctx, base, input.files);
  const headRef = `refs/heads/${input.head}`;
  const parent = (!fromFork && store.git.refs.get(headRef)) || baseSha;
  const commit = store.git.commitOn(parent, headChanges(ctx, parent, input.files), input.title, ctx.actor.login);
  if (commit.treeSha === store.git.commits.get(baseSha)?.treeSha) return noCommitsBetween(base, input.head);

  if (!fromFork) store.git.refs.set(headRef, commit.sha);
  return recordPull(ctx, {
    title: input.title,
    body: input.body ?? null,
    head: input.head,
    base,
    forkOwner,
    headSha: commit.sha,
    baseSha,
    draft: input.draft === true,
    renames: Object.fromEntries(input.files.flatMap((file) => (file.previousPath === undefined ? [] : [[normalisePath(file.path), normalisePath(file.previousPath)]]))),
    maintainerCanModify: fromFork,
  });
}

/** The commits of `head` that `mergeBase` lacks, oldest first. */
function commitsSince(ctx: OpContext, mergeBase: string, head: string): string[] {
  const known = ctx.store.git.ancestors(mergeBase);
  return [...ctx.store.git.ancestors(head)].filter((sha) => !known.has(sha)).reverse();
}

/** Stores a new pull request (and its issue side), sets `refs/pull/N/head`, announces `opened` and runs its workflows. */
function recordPull(
  ctx: OpContext,
  input: Pick<PullRecord, "head" | "base" | "forkOwner" | "headSha" | "renames" | "maintainerCanModify"> & { title: string; body: string | null; baseSha: string; draft: boolean },
): Pull {
  const store = ctx.store;
  const number = store.nextNumber();
  store.git.refs.set(`refs/pull/${number}/head`, input.headSha);
  const mergeBase = store.git.mergeBase(input.baseSha, input.headSha) ?? input.baseSha;
  const issue = newIssueRecord(ctx, { number, title: input.title, body: input.body, labelIds: [], pullRequest: { mergedAt: null, draft: input.draft } });
  const id = store.ids.next();
  const pull: PullRecord = {
    number,
    id,
    nodeId: legacyNodeId("PullRequest", id),
    head: input.head,
    base: input.base,
    forkOwner: input.forkOwner,
    headSha: input.headSha,
    mergeBaseSha: mergeBase,
    commits: commitsSince(ctx, mergeBase, input.headSha),
    renames: input.renames,
    mergedBy: null,
    mergeCommitSha: null,
    maintainerCanModify: input.maintainerCanModify,
  };
  store.pulls.set(number, pull);
  announceIssue(ctx, issue, "opened");
  if (input.forkOwner === null) triggerWorkflows(ctx, "pull_request", { sha: input.headSha, branch: input.head, base: input.base, action: "opened" });
  return { issue, pull };
}

/** The body of POST …/pulls (its types were checked against GitHub's schema). */
interface CreatePullInput {
  title?: string;
  body?: string;
  head?: string;
  base?: string;
  draft?: boolean;
  maintainer_can_modify?: boolean;
}

/**
 * POST …/pulls from a branch of this repository (`head` as "branch" or "owner:branch"; branches
 * of forks are not modelled). People need push access to the repository, apps `pull_requests: write`.
 */
export function createPull(ctx: OpContext, input: CreatePullInput): Result<Pull> {
  const store = ctx.store;
  if (typeof input.title !== "string" || input.title.trim() === "") return missingField("PullRequest", "title");
  const tooLong = checkBody("PullRequest", input.body);
  if (tooLong) return tooLong;
  const base = input.base ?? "";
  const baseSha = store.git.refs.get(`refs/heads/${base}`);
  if (baseSha === undefined) return invalidField("PullRequest", "base");
  const [owner, branch] = (input.head ?? "").includes(":") ? (input.head ?? "").split(/:(.*)/s) : [store.repo.owner, input.head ?? ""];
  const headSha = owner?.toLowerCase() === store.repo.owner.toLowerCase() ? store.git.refs.get(`refs/heads/${branch}`) : undefined;
  if (headSha === undefined || branch === undefined) return invalidField("PullRequest", "head");
  if (ctx.actor.kind === "person") {
    const denied = authorize(store, ctx.actor, NEEDS.writeContents);
    if (denied) return denied;
  }
  if (ctx.actor.kind === "actions" && !store.actionsCanCreatePullRequests) {
    return new ApiError(403, "GitHub Actions is not permitted to create or approve pull requests.");
  }
  const label = `${store.repo.owner}:${branch}`;
  const duplicate = [...store.pulls.values()].find(
    (p) => p.base === base && p.forkOwner === null && p.head === branch && store.issues.get(p.number)?.state === "open",
  );
  if (duplicate) return validationFailed({ resource: "PullRequest", code: "custom", message: `A pull request already exists for ${label}.` });
  if (store.git.isAncestor(headSha, baseSha)) return noCommitsBetween(base, branch);
  return recordPull(ctx, {
    title: input.title,
    body: input.body ?? null,
    head: branch,
    base,
    forkOwner: null,
    headSha,
    baseSha,
    draft: input.draft === true,
    renames: {},
    maintainerCanModify: input.maintainer_can_modify ?? false,
  });
}

/**
 * A branch of this repository moved (a push through the Git Data API): its open pull requests
 * follow it, announcing `synchronize` and running their workflows.
 */
export function followHeadBranch(ctx: OpContext, branch: string, sha: string): void {
  const git = ctx.store.git;
  for (const pull of ctx.store.pulls.values()) {
    const issue = ctx.store.issues.get(pull.number);
    if (pull.forkOwner !== null || pull.head !== branch || pull.headSha === sha || !issue || issue.deleted || issue.state !== "open") continue;
    const before = pull.headSha;
    pull.headSha = sha;
    pull.mergeBaseSha = git.mergeBase(git.refs.get(`refs/heads/${pull.base}`) ?? pull.mergeBaseSha, sha) ?? pull.mergeBaseSha;
    pull.commits = commitsSince(ctx, pull.mergeBaseSha, sha);
    git.refs.set(`refs/pull/${pull.number}/head`, sha);
    touch(ctx, issue);
    announceIssue(ctx, issue, "synchronize", { before, after: sha });
    triggerWorkflows(ctx, "pull_request", { sha, branch, base: pull.base, action: "synchronize" });
  }
}

/** The author may push; others need push access (and, to a fork, the author's "allow edits by maintainers"). */
function mayPush(ctx: OpContext, { issue, pull }: Pull): ApiError | undefined {
  if (isAuthor(ctx, issue)) return undefined;
  if (pull.forkOwner !== null && !pull.maintainerCanModify) return new ApiError(403, "Resource not accessible by integration");
  return authorize(ctx.store, ctx.actor, NEEDS.writePulls);
}

/** One commit with `files` on the head branch; announces `synchronize` with the old and new head. */
export function pushToPull(ctx: OpContext, target: Pull, files: readonly PullFileInput[], message?: string): Result<Pull> {
  const { issue, pull } = target;
  const denied = mayPush(ctx, target);
  if (denied) return denied;
  if (issue.state !== "open") return validationFailed({ resource: "PullRequest", code: "custom", message: "The pull request is closed" });
  const git = ctx.store.git;
  const commit = git.commitOn(pull.headSha, headChanges(ctx, pull.headSha, files), message ?? `Update ${files.map((f) => f.path).join(", ")}`, ctx.actor.login);
  const before = pull.headSha;
  pull.headSha = commit.sha;
  pull.commits.push(commit.sha);
  for (const file of files) if (file.previousPath !== undefined) pull.renames[normalisePath(file.path)] = normalisePath(file.previousPath);
  if (pull.forkOwner === null) git.refs.set(`refs/heads/${pull.head}`, commit.sha);
  git.refs.set(`refs/pull/${pull.number}/head`, commit.sha);
  touch(ctx, issue);
  announceIssue(ctx, issue, "synchronize", { before, after: commit.sha });
  if (pull.forkOwner === null) triggerWorkflows(ctx, "pull_request", { sha: commit.sha, branch: pull.head, base: pull.base, action: "synchronize" });
  return target;
}

export function markReady(ctx: OpContext, target: Pull): Result<Pull> {
  const { issue } = target;
  if (!isAuthor(ctx, issue)) {
    const denied = authorize(ctx.store, ctx.actor, NEEDS.writePulls);
    if (denied) return denied;
  }
  if (!issue.pullRequest?.draft) return target;
  issue.pullRequest.draft = false;
  touch(ctx, issue);
  announceIssue(ctx, issue, "ready_for_review");
  return target;
}

/** Merges into the base: a merge commit whose tree is the base with the pull request's files applied. */
export function mergePull(ctx: OpContext, target: Pull): Result<Pull> {
  const { issue, pull } = target;
  const denied = authorize(ctx.store, ctx.actor, NEEDS.writePulls);
  if (denied) return denied;
  if (issue.state !== "open") return new ApiError(405, "Pull Request is not mergeable");
  if (issue.pullRequest?.draft) return new ApiError(405, "Pull Request is still a draft");
  const git = ctx.store.git;
  const baseTip = git.refs.get(`refs/heads/${pull.base}`) ?? pull.mergeBaseSha;
  const changes: Record<string, string | null> = {};
  for (const change of pullFileChanges(git, pull)) {
    if (change.previousFilename !== undefined) changes[change.previousFilename] = null;
    changes[change.filename] = change.after;
  }
  const applied = git.commitOn(baseTip, changes, `Merge pull request #${pull.number} from ${pull.forkOwner ?? ctx.store.repo.owner}/${pull.head}`);
  const merge = git.writeCommit({ treeSha: applied.treeSha, parents: [baseTip, pull.headSha], message: applied.message });
  git.refs.set(`refs/heads/${pull.base}`, merge.sha);
  const now = ctx.store.now();
  issue.pullRequest!.mergedAt = now;
  pull.mergedBy = ctx.actor.login;
  pull.mergeCommitSha = merge.sha;
  issue.state = "closed";
  issue.closedAt = now;
  issue.closedBy = ctx.actor.login;
  touch(ctx, issue);
  recordIssueEvent(ctx, issue, "closed", { stateReason: null });
  announceIssue(ctx, issue, "closed");
  if (pull.base === ctx.store.repo.defaultBranch) closeLinkedIssues(ctx, issue.body ?? "");
  return target;
}

/** GitHub's closing keywords before a same-repository issue reference (`Closes #12`, `fixes: #3`). */
const CLOSING_RE = /\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?):?\s+#(\d+)\b/gi;

/**
 * A pull request merged into the default branch closes the open issues its body links with a
 * closing keyword, as completed, by the person who merged (GitHub's `issues.closed` event).
 */
function closeLinkedIssues(ctx: OpContext, body: string): void {
  for (const match of body.matchAll(CLOSING_RE)) {
    const linked = findIssue(ctx.store, Number(match[1]));
    if (isApiError(linked) || linked.pullRequest || linked.state !== "open") continue;
    updateIssue(ctx, linked, { state: "closed", state_reason: "completed" });
  }
}

interface PullUpdate {
  title?: unknown;
  body?: unknown;
  state?: unknown;
  base?: unknown;
  maintainer_can_modify?: unknown;
}

/** PATCH a pull request: title, body and state as on its issue; base moves the merge base. */
export function updatePull(ctx: OpContext, target: Pull, input: PullUpdate): Result<Pull> {
  const { issue, pull } = target;
  if (input.base !== undefined && (typeof input.base !== "string" || !ctx.store.git.refs.has(`refs/heads/${input.base}`))) {
    return invalidField("PullRequest", "base");
  }
  if ((input.base !== undefined || input.maintainer_can_modify !== undefined) && !isAuthor(ctx, issue)) {
    const denied = authorize(ctx.store, ctx.actor, NEEDS.writePulls);
    if (denied) return denied;
  }
  const issueFields = Object.fromEntries(Object.entries({ title: input.title, body: input.body, state: input.state }).filter(([, v]) => v !== undefined));
  if (Object.keys(issueFields).length > 0) {
    const updated = updateIssue(ctx, issue, issueFields);
    if (isApiError(updated)) return updated;
  }
  if (typeof input.maintainer_can_modify === "boolean") pull.maintainerCanModify = input.maintainer_can_modify;
  if (typeof input.base === "string" && input.base !== pull.base) {
    const git = ctx.store.git;
    const fromSha = git.refs.get(`refs/heads/${pull.base}`) ?? pull.mergeBaseSha;
    const changes = { base: { ref: { from: pull.base }, sha: { from: fromSha } } };
    pull.base = input.base;
    pull.mergeBaseSha = git.mergeBase(git.refs.get(`refs/heads/${input.base}`)!, pull.headSha) ?? pull.mergeBaseSha;
    touch(ctx, issue);
    announceIssue(ctx, issue, "edited", { changes });
  }
  return target;
}

/** GitHub's refusal of `enablePullRequestAutoMerge`, as its GraphQL error type and message. */
interface AutoMergeRefusal {
  type: "FORBIDDEN" | "UNPROCESSABLE";
  message: string;
}

/**
 * Turns on auto-merge (GraphQL `enablePullRequestAutoMerge`): needs write access to pull
 * requests, the repository's "Allow auto-merge", and an open pull request. Turning it on again
 * keeps what is on (the method is not changed). The sandbox records it and does not merge by itself.
 */
export function enableAutoMerge(ctx: OpContext, target: Pull, method: "merge" | "squash" | "rebase"): Pull | AutoMergeRefusal {
  const { issue, pull } = target;
  if (!allows(ctx.store, ctx.actor, NEEDS.writePulls)) {
    const message = ctx.actor.kind === "person" ? `${ctx.actor.login} does not have the correct permissions to execute \`EnablePullRequestAutoMerge\`` : "Resource not accessible by integration";
    return { type: "FORBIDDEN", message };
  }
  if (!ctx.store.allowAutoMerge) return { type: "UNPROCESSABLE", message: "Pull request Auto merge is not allowed for this repository" };
  if (issue.pullRequest?.mergedAt) return { type: "UNPROCESSABLE", message: "Pull request Pull request is already merged" };
  if (issue.state !== "open") return { type: "UNPROCESSABLE", message: "Pull request Pull request is closed" };
  if (pull.autoMerge) return target;
  pull.autoMerge = { method, enabledBy: ctx.actor.login, enabledAt: ctx.store.now() };
  touch(ctx, issue);
  announceIssue(ctx, issue, "auto_merge_enabled");
  return target;
}
