import { legacyNodeId } from "../ids.js";
import type { CheckRunRecord } from "../pull-records.js";
import type { AppRecord } from "../store.js";
import { repoApi, repoHtml, type ShapeContext } from "./context.js";
import { pullMinimalShape } from "./pulls.js";
import { appShape } from "./users.js";

export function checkRunApp(ctx: ShapeContext, run: CheckRunRecord): AppRecord {
  return run.app === "app" ? ctx.store.app : ctx.store.actionsApp;
}

/** Open pull requests of this repository whose head is the commit (forks' are left out, as on GitHub). */
function pullsAt(ctx: ShapeContext, sha: string): Record<string, unknown>[] {
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

/** The check run in `check_run` webhooks, with its suite spelled out (`simple-check-suite`). */
export function checkRunWebhookShape(ctx: ShapeContext, run: CheckRunRecord): Record<string, unknown> {
  const runs = [...ctx.store.checkRuns.values()].filter((other) => other.suiteId === run.suiteId);
  const done = runs.every((other) => other.status === "completed");
  const conclusions = runs.map((other) => other.conclusion ?? "success");
  const conclusion = done ? (CONCLUSION_RANK.find((rank) => conclusions.includes(rank)) ?? "success") : null;
  const branch = [...ctx.store.git.refs.entries()].find(([name, sha]) => sha === run.headSha && name.startsWith("refs/heads/"));
  const commit = ctx.store.git.commits.get(run.headSha);
  return {
    ...checkRunShape(ctx, run),
    check_suite: {
      id: run.suiteId,
      node_id: legacyNodeId("CheckSuite", run.suiteId),
      head_branch: branch ? branch[0].slice("refs/heads/".length) : null,
      head_sha: run.headSha,
      status: done ? "completed" : runs.some((other) => other.status === "in_progress") ? "in_progress" : "queued",
      conclusion,
      url: `${repoApi(ctx)}/check-suites/${run.suiteId}`,
      before: commit?.parents[0] ?? null,
      after: run.headSha,
      pull_requests: pullsAt(ctx, run.headSha),
      app: appShape(ctx, checkRunApp(ctx, run)),
      created_at: run.startedAt,
      updated_at: run.completedAt ?? run.startedAt,
    },
  };
}
