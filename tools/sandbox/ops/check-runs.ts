import { ApiError, forbidden, invalidRequest, isApiError, notFound, unprocessable, type Result } from "../http.js";
import { legacyNodeId } from "../ids.js";
import type { CheckAnnotationRecord, CheckRunRecord, CheckStatus } from "../pull-records.js";
import { checkRunWebhookShape } from "../shapes/checks.js";
import { runsSuite } from "./check-suites.js";
import type { OpContext } from "./context.js";

const CREATE_DOCS = "https://docs.github.com/rest/checks/runs#create-a-check-run";

/** The body of POST /check-runs and PATCH /check-runs/{id} (already checked against the schema). */
export interface CheckRunInput {
  name?: string;
  head_sha?: string;
  details_url?: string;
  external_id?: string;
  status?: CheckStatus;
  conclusion?: string;
  started_at?: string;
  completed_at?: string;
  output?: { title?: string; summary?: string; text?: string; annotations?: CheckAnnotationRecord[] };
}

/** Check runs belong to GitHub Apps: the Orkestra app's installation or GitHub Actions. */
function appOf(ctx: OpContext): Result<CheckRunRecord["app"]> {
  if (ctx.actor.kind === "installation") return "app";
  if (ctx.actor.kind === "actions") return "actions";
  return forbidden("You must authenticate via a GitHub App.");
}

/** `conclusion` or `completed_at` complete a run; a completed run needs a conclusion. */
function resolveStatus(input: CheckRunInput, current: Pick<CheckRunRecord, "status" | "conclusion">): Result<{ status: CheckStatus; conclusion: string | null }> {
  const conclusion = input.conclusion ?? current.conclusion;
  const completing = input.status === "completed" || input.conclusion !== undefined || input.completed_at !== undefined;
  const status: CheckStatus = completing ? "completed" : (input.status ?? current.status);
  if (status === "completed" && conclusion === null) return invalidRequest([`"conclusion" wasn't supplied.`], CREATE_DOCS);
  return { status, conclusion: status === "completed" ? conclusion : null };
}

function applyOutput(run: CheckRunRecord, output: CheckRunInput["output"]): void {
  if (!output) return;
  if (output.title !== undefined) run.output.title = output.title;
  if (output.summary !== undefined) run.output.summary = output.summary;
  if (output.text !== undefined) run.output.text = output.text;
  // Annotations add up over requests (50 per request, as the schema says).
  run.output.annotations.push(...(output.annotations ?? []));
}

function announce(ctx: OpContext, run: CheckRunRecord, action: "created" | "completed"): void {
  ctx.emit("check_run", action, { check_run: checkRunWebhookShape(ctx.shapes, run) });
}

export function createCheckRun(ctx: OpContext, input: CheckRunInput): Result<CheckRunRecord> {
  const app = appOf(ctx);
  if (isApiError(app)) return app;
  const headSha = input.head_sha ?? "";
  if (!ctx.store.git.commits.has(headSha)) return unprocessable(`No commit found for SHA: ${headSha}`);
  const resolved = resolveStatus(input, { status: "queued", conclusion: null });
  if (isApiError(resolved)) return resolved;
  const store = ctx.store;
  const suiteId = runsSuite(store, app, headSha).id;
  const id = store.ids.next();
  const now = store.now();
  const run: CheckRunRecord = {
    id,
    nodeId: legacyNodeId("CheckRun", id),
    name: input.name ?? "",
    headSha,
    ...resolved,
    startedAt: input.started_at ?? now,
    completedAt: resolved.status === "completed" ? (input.completed_at ?? now) : null,
    externalId: input.external_id ?? null,
    detailsUrl: input.details_url ?? null,
    output: { title: null, summary: null, text: null, annotations: [] },
    app,
    suiteId,
  };
  applyOutput(run, input.output);
  store.checkRuns.set(id, run);
  announce(ctx, run, "created");
  if (run.status === "completed") announce(ctx, run, "completed");
  return run;
}

export function findCheckRun(ctx: OpContext, id: number): Result<CheckRunRecord> {
  return ctx.store.checkRuns.get(id) ?? notFound();
}

/** Only the app that created a run may update it; completing it announces `check_run.completed`. */
export function updateCheckRun(ctx: OpContext, run: CheckRunRecord, input: CheckRunInput): Result<CheckRunRecord> {
  const app = appOf(ctx);
  if (isApiError(app)) return app;
  if (app !== run.app) return new ApiError(403, "Resource not accessible by integration");
  const resolved = resolveStatus(input, run);
  if (isApiError(resolved)) return resolved;
  const completing = run.status !== "completed" && resolved.status === "completed";
  if (input.name !== undefined) run.name = input.name;
  if (input.details_url !== undefined) run.detailsUrl = input.details_url;
  if (input.external_id !== undefined) run.externalId = input.external_id;
  if (input.started_at !== undefined) run.startedAt = input.started_at;
  run.status = resolved.status;
  run.conclusion = resolved.conclusion;
  if (completing) run.completedAt = input.completed_at ?? ctx.store.now();
  applyOutput(run, input.output);
  const suite = ctx.store.checkSuites.get(run.suiteId);
  if (suite) suite.updatedAt = ctx.store.now();
  if (completing) announce(ctx, run, "completed");
  return run;
}

/**
 * Re-run pressed on a check run (GitHub shows the button to people with write access):
 * `check_run.rerequested` is announced for the app that made the run, which decides what to do;
 * the run itself does not change. For a run in a GitHub Actions suite no workflow starts (see events.ts).
 */
export function rerequestCheckRun(ctx: OpContext, run: CheckRunRecord): Result<CheckRunRecord> {
  ctx.emit("check_run", "rerequested", { check_run: checkRunWebhookShape(ctx.shapes, run) });
  return run;
}
