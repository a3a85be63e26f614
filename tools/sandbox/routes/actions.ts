import { isApiError, json, validationFailed, type ApiResponse } from "../http.js";
import { dispatchWorkflow, findRun } from "../ops/workflows.js";
import { paginate } from "../pagination.js";
import { NEEDS } from "../permissions.js";
import type { Route, RouteContext } from "../router.js";
import { workflowRunShape } from "../shapes/actions.js";
import type { WorkflowRunRecord } from "../workflow-records.js";
import { intParam, objectBody } from "./respond.js";

/** GitHub Actions: dispatching a workflow and reading its runs. Runs are moved along by tests (`sandbox.actions`). */

const STATUSES = new Set(["completed", "in_progress", "queued", "requested", "waiting", "pending"]);
const DAY_MS = 24 * 60 * 60 * 1000;

/** A date (the whole day) or a date-time (that instant) of GitHub's search syntax, as [from, to) in ms. */
function span(text: string): [number, number] | undefined {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const at = Date.parse(day ? `${text}T00:00:00Z` : text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(at)) return undefined;
  return [at, day ? at + DAY_MS : at + 1000];
}

/**
 * `created` as GitHub's search syntax has it: `2030-01-01`, `>=…`, `>…`, `<=…`, `<…`, or `A..B`
 * (either end `*`), with dates or date-times. A test on a creation time; undefined when malformed.
 */
function createdFilter(query: string): ((createdAt: string) => boolean) | undefined {
  const within = (from: number, to: number) => (createdAt: string) => Date.parse(createdAt) >= from && Date.parse(createdAt) < to;
  const range = /^(.+)\.\.(.+)$/.exec(query);
  if (range) {
    const from = range[1] === "*" ? [-Infinity, -Infinity] : span(range[1]!);
    const to = range[2] === "*" ? [Infinity, Infinity] : span(range[2]!);
    return from && to ? within(from[0]!, to[1]!) : undefined;
  }
  const compared = /^(>=|<=|>|<)?(.+)$/.exec(query)!;
  const bounds = span(compared[2]!);
  if (!bounds) return undefined;
  const [from, to] = bounds;
  switch (compared[1]) {
    case ">=":
      return within(from, Infinity);
    case ">":
      return within(to, Infinity);
    case "<=":
      return within(-Infinity, to);
    case "<":
      return within(-Infinity, from);
    default:
      return within(from, to);
  }
}

/** GET …/actions/runs: newest first, filtered by actor, branch, event, status (or conclusion), created, head_sha, check_suite_id. */
function listRuns(ctx: RouteContext): ApiResponse {
  const q = ctx.query;
  const created = q.get("created");
  const inRange = created === null ? () => true : createdFilter(created);
  if (!inRange) return validationFailed({ resource: "WorkflowRun", code: "invalid", field: "created" }).toResponse();
  const status = q.get("status");
  const matches = (run: WorkflowRunRecord) =>
    (!q.get("actor") || run.actor.toLowerCase() === q.get("actor")!.toLowerCase()) &&
    (!q.get("branch") || run.headBranch === q.get("branch")) &&
    (!q.get("event") || run.event === q.get("event")) &&
    (!status || (STATUSES.has(status) ? run.status === status : run.conclusion === status)) &&
    (!q.get("head_sha") || run.headSha === q.get("head_sha")) &&
    (!q.get("check_suite_id") || String(run.checkSuiteId) === q.get("check_suite_id")) &&
    inRange(run.createdAt);
  const runs = [...ctx.store.workflowRuns.values()].filter(matches).sort((a, b) => b.id - a.id);
  const { items, link } = paginate(runs, q, ctx.url);
  const withPulls = q.get("exclude_pull_requests") !== "true";
  const body = { total_count: runs.length, workflow_runs: items.map((run) => workflowRunShape(ctx.shapes, run, { withPulls })) };
  return json(200, body, link ? { link } : undefined);
}

/** POST …/dispatches: 204, or with `return_run_details` 200 and the run's id and URLs. */
function dispatch(ctx: RouteContext): ApiResponse {
  const body = objectBody(ctx.body);
  const run = dispatchWorkflow(ctx.op, ctx.params.workflow_id!, body);
  if (isApiError(run)) return run.toResponse();
  if (body.return_run_details !== true) return { status: 204 };
  const shape = workflowRunShape(ctx.shapes, run);
  return json(200, { workflow_run_id: run.id, run_url: shape.url, html_url: shape.html_url });
}

export const actionsRoutes: Route[] = [
  { method: "POST", path: "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches", need: NEEDS.writeActions, handler: dispatch },
  { method: "GET", path: "/repos/{owner}/{repo}/actions/runs", need: NEEDS.readActions, handler: listRuns },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/actions/runs/{run_id}",
    need: NEEDS.readActions,
    handler: (ctx) => {
      const run = findRun(ctx.store, intParam(ctx.params, "run_id"));
      return isApiError(run) ? run.toResponse() : json(200, workflowRunShape(ctx.shapes, run));
    },
  },
];
