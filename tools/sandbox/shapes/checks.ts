import type { CheckRunRecord, CheckStatus, CheckSuiteRecord } from "../pull-records.js";
import type { AppRecord } from "../store.js";
import { repoApi, repoHtml, type ShapeContext } from "./context.js";
import { pullMinimalShape } from "./pulls.js";
import { repositoryShape } from "./repo.js";
import { appShape } from "./users.js";

export function checkRunApp(ctx: ShapeContext, run: CheckRunRecord): AppRecord {
  return run.app === "app" ? ctx.store.app : ctx.store.actionsApp;
}

/** Open pull requests of this repository whose head is the commit (forks' are left out, as on GitHub). */
export function pullsAt(ctx: ShapeContext, sha: string): Record<string, unknown>[] {
  return [...ctx.store.pulls.values()]
    .filter((pull) => pull.headSha === sha && pull.forkOwner === null && ctx.store.issues.get(pull.number)?.state === "open")
    .map((pull) => pullMinimalShape(ctx, pull));
}

/** `check-run` (REST). */
export function checkRunShape(ctx: ShapeContext, run: CheckRunRecord): Record<string, unknown> {
  const url = `${repoApi(ctx)}/check-runs/${run.id}`;
  const app = checkRunApp(ctx, run);
  return {
    id: run.id,
    head_sha: run.headSha,
    node_id: run.nodeId,
    external_id: run.externalId ?? "",
    url,
    html_url: `${repoHtml(ctx)}/runs/${run.id}`,
    details_url: run.detailsUrl ?? `${ctx.html}/apps/${app.slug}`,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    output: {
      title: run.output.title,
      summary: run.output.summary,
      text: run.output.text,
      annotations_count: run.output.annotations.length,
      annotations_url: `${url}/annotations`,
    },
    name: run.name,
    check_suite: { id: run.suiteId },
    app: appShape(ctx, app),
    pull_requests: pullsAt(ctx, run.headSha),
  };
}

const CONCLUSION_RANK = ["action_required", "cancelled", "timed_out", "failure", "stale", "neutral", "success", "skipped"];

/** A suite's status and conclusion: its own, or what its check runs add up to. */
function suiteState(ctx: ShapeContext, suite: CheckSuiteRecord): { status: CheckStatus; conclusion: string | null } {
  if (suite.state) return suite.state;
  const runs = [...ctx.store.checkRuns.values()].filter((run) => run.suiteId === suite.id);
  if (runs.length > 0 && runs.every((run) => run.status === "completed")) {
    const conclusions = runs.map((run) => run.conclusion ?? "success");
    return { status: "completed", conclusion: CONCLUSION_RANK.find((rank) => conclusions.includes(rank)) ?? "success" };
  }
  return { status: runs.some((run) => run.status === "in_progress") ? "in_progress" : "queued", conclusion: null };
}

/** `simple-commit`: the head commit of a check suite or workflow run. */
export function simpleCommitShape(ctx: ShapeContext, sha: string): Record<string, unknown> {
  const commit = ctx.store.git.commits.get(sha);
  const author = commit?.author === undefined ? undefined : ctx.store.user(commit.author);
  const person = author
    ? { name: author.login, email: `${author.id}+${author.login}@users.noreply.github.com` }
    : { name: "sandbox", email: "sandbox@users.noreply.github.com" };
  return { id: sha, tree_id: commit?.treeSha ?? "", message: commit?.message ?? "", timestamp: commit?.date ?? ctx.store.now(), author: person, committer: person };
}

/** The `simple-check-suite` of `check_run` webhooks. */
function simpleCheckSuiteShape(ctx: ShapeContext, suite: CheckSuiteRecord): Record<string, unknown> {
  const { status, conclusion } = suiteState(ctx, suite);
  return {
    id: suite.id,
    node_id: suite.nodeId,
    head_branch: suite.headBranch,
    head_sha: suite.headSha,
    status,
    conclusion,
    url: `${repoApi(ctx)}/check-suites/${suite.id}`,
    before: ctx.store.git.commits.get(suite.headSha)?.parents[0] ?? null,
    after: suite.headSha,
    pull_requests: pullsAt(ctx, suite.headSha),
    app: appShape(ctx, ctx.store.suiteApp(suite)),
    created_at: suite.createdAt,
    updated_at: suite.updatedAt,
  };
}

/** `check-suite`: GET …/commits/{ref}/check-suites and the `check_suite` webhook. */
export function checkSuiteShape(ctx: ShapeContext, suite: CheckSuiteRecord): Record<string, unknown> {
  const url = `${repoApi(ctx)}/check-suites/${suite.id}`;
  return {
    ...simpleCheckSuiteShape(ctx, suite),
    repository: repositoryShape(ctx),
    head_commit: simpleCommitShape(ctx, suite.headSha),
    latest_check_runs_count: [...ctx.store.checkRuns.values()].filter((run) => run.suiteId === suite.id).length,
    check_runs_url: `${url}/check-runs`,
    rerequestable: true,
    runs_rerequestable: true,
  };
}

/** The check run in `check_run` webhooks, with its suite spelled out (`simple-check-suite`). */
export function checkRunWebhookShape(ctx: ShapeContext, run: CheckRunRecord): Record<string, unknown> {
  const suite = ctx.store.checkSuites.get(run.suiteId);
  return { ...checkRunShape(ctx, run), ...(suite ? { check_suite: simpleCheckSuiteShape(ctx, suite) } : {}) };
}
