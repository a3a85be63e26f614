import { isApiError, json, unprocessable, type ApiResponse } from "../http.js";
import { createCheckRun, findCheckRun, updateCheckRun, type CheckRunInput } from "../ops/check-runs.js";
import { paginate } from "../pagination.js";
import { NEEDS } from "../permissions.js";
import type { CheckRunRecord, CheckSuiteRecord } from "../pull-records.js";
import type { Route, RouteContext } from "../router.js";
import { checkRunApp, checkRunShape, checkSuiteShape } from "../shapes/checks.js";
import { intParam, respond } from "./respond.js";

/** The body was checked against the operation's schema by the pipeline before the handler runs. */
const input = (ctx: RouteContext) => (ctx.body ?? {}) as CheckRunInput;

function withCheckRun(ctx: RouteContext, run: (record: CheckRunRecord) => ApiResponse): ApiResponse {
  const record = findCheckRun(ctx.op, intParam(ctx.params, "check_run_id"));
  return isApiError(record) ? record.toResponse() : run(record);
}

/** GET …/commits/{ref}/check-runs: `filter=latest` (default) keeps the newest run of each name. */
function listForRef(ctx: RouteContext): ApiResponse {
  const sha = ctx.store.git.resolve(ctx.params.ref!);
  if (!sha) return unprocessable(`No commit found for SHA: ${ctx.params.ref}`).toResponse();
  const q = ctx.query;
  let runs = [...ctx.store.checkRuns.values()]
    .filter((run) => run.headSha === sha)
    .filter((run) => !q.get("check_name") || run.name === q.get("check_name"))
    .filter((run) => !q.get("status") || run.status === q.get("status"))
    .filter((run) => !q.get("app_id") || String(checkRunApp(ctx.shapes, run).id) === q.get("app_id"))
    .sort((a, b) => b.id - a.id);
  if ((q.get("filter") ?? "latest") === "latest") runs = runs.filter((run, index) => runs.findIndex((other) => other.name === run.name) === index);
  const { items, link } = paginate(runs, q, ctx.url);
  const body = { total_count: runs.length, check_runs: items.map((run) => checkRunShape(ctx.shapes, run)) };
  return json(200, body, link ? { link } : undefined);
}

/** GET …/commits/{ref}/check-suites: the commit's suites, oldest first; `app_id`, and `check_name` (suites with such a run). */
function listSuitesForRef(ctx: RouteContext): ApiResponse {
  const sha = ctx.store.git.resolve(ctx.params.ref!);
  if (!sha) return unprocessable(`No commit found for SHA: ${ctx.params.ref}`).toResponse();
  const q = ctx.query;
  const app = (suite: CheckSuiteRecord) => ctx.store.suiteApp(suite);
  const runs = [...ctx.store.checkRuns.values()];
  const suites = [...ctx.store.checkSuites.values()]
    .filter((suite) => suite.headSha === sha)
    .filter((suite) => !q.get("app_id") || String(app(suite).id) === q.get("app_id"))
    .filter((suite) => !q.get("check_name") || runs.some((run) => run.suiteId === suite.id && run.name === q.get("check_name")))
    .sort((a, b) => a.id - b.id);
  const { items, link } = paginate(suites, q, ctx.url);
  const body = { total_count: suites.length, check_suites: items.map((suite) => checkSuiteShape(ctx.shapes, suite)) };
  return json(200, body, link ? { link } : undefined);
}

export const checkRunRoutes: Route[] = [
  {
    method: "POST",
    path: "/repos/{owner}/{repo}/check-runs",
    need: NEEDS.writeChecks,
    handler: (ctx) => respond(createCheckRun(ctx.op, input(ctx)), 201, (run) => checkRunShape(ctx.shapes, run)),
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/check-runs/{check_run_id}",
    need: NEEDS.readChecks,
    handler: (ctx) => withCheckRun(ctx, (run) => json(200, checkRunShape(ctx.shapes, run))),
  },
  {
    method: "PATCH",
    path: "/repos/{owner}/{repo}/check-runs/{check_run_id}",
    need: NEEDS.writeChecks,
    handler: (ctx) => withCheckRun(ctx, (run) => respond(updateCheckRun(ctx.op, run, input(ctx)), 200, (r) => checkRunShape(ctx.shapes, r))),
  },
  { method: "GET", path: "/repos/{owner}/{repo}/commits/{ref}/check-runs", need: NEEDS.readChecks, handler: listForRef },
  { method: "GET", path: "/repos/{owner}/{repo}/commits/{ref}/check-suites", need: NEEDS.readChecks, handler: listSuitesForRef },
];
