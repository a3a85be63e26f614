import { ApiError, notFound, type Result } from "../http.js";
import { legacyNodeId } from "../ids.js";
import { workflowRunShape, workflowShape } from "../shapes/actions.js";
import type { Store } from "../store.js";
import type { RunStatus, WorkflowRecord, WorkflowRunRecord } from "../workflow-records.js";
import { branchMatches, isWorkflowPath, parseWorkflow, workflowsAt, type WorkflowFile } from "../workflows.js";
import { WORKFLOWS_DIR } from "../git.js";
import { newCheckSuite, setSuiteState } from "./check-suites.js";
import type { OpContext } from "./context.js";

const DISPATCH_DOCS = "https://docs.github.com/rest/actions/workflows#create-a-workflow-dispatch-event";

const refused = (message: string) => new ApiError(422, message, undefined, DISPATCH_DOCS);

/** The workflow of a path, registered (and given its id) on first sight. */
function workflowAt(store: Store, path: string): WorkflowRecord {
  const known = store.workflows.get(path);
  if (known) return known;
  const id = store.ids.next();
  const workflow: WorkflowRecord = { id, nodeId: legacyNodeId("Workflow", id), path, createdAt: store.now() };
  store.workflows.set(path, workflow);
  return workflow;
}

/**
 * The workflow `workflow_id` names: its id, or its file name (`worker.yml`). GitHub knows the
 * workflows on the default branch and those that have run.
 */
function findWorkflow(store: Store, workflowId: string): WorkflowRecord | undefined {
  if (/^\d+$/.test(workflowId)) return [...store.workflows.values()].find((workflow) => workflow.id === Number(workflowId));
  const path = `${WORKFLOWS_DIR}${workflowId}`;
  if (!isWorkflowPath(path)) return undefined;
  const main = store.git.refs.get(`refs/heads/${store.repo.defaultBranch}`);
  const onDefault = main !== undefined && store.git.treeOf(main)?.has(path) === true;
  return onDefault ? workflowAt(store, path) : store.workflows.get(path);
}

/** A branch or tag (short or full name) to its commit and name; commit shas are not refs. */
function branchOrTag(store: Store, ref: string): { sha: string; name: string } | undefined {
  for (const full of [ref, `refs/heads/${ref}`, `refs/tags/${ref}`]) {
    const sha = full.startsWith("refs/heads/") || full.startsWith("refs/tags/") ? store.git.refs.get(full) : undefined;
    if (sha) return { sha, name: full.replace(/^refs\/(heads|tags)\//, "") };
  }
  return undefined;
}

function announceRun(ctx: OpContext, run: WorkflowRunRecord, action: "requested" | "in_progress" | "completed"): void {
  const workflow = [...ctx.store.workflows.values()].find((candidate) => candidate.id === run.workflowId)!;
  ctx.emit("workflow_run", action, { workflow: workflowShape(ctx.shapes, workflow, run.name), workflow_run: workflowRunShape(ctx.shapes, run) });
}

/** Records a queued run with its own GitHub Actions check suite and announces `workflow_run.requested`. */
function createRun(
  ctx: OpContext,
  path: string,
  file: WorkflowFile,
  at: { event: string; headSha: string; headBranch: string | null; inputs: Record<string, unknown> | null },
): WorkflowRunRecord {
  const store = ctx.store;
  const workflow = workflowAt(store, path);
  const suite = newCheckSuite(store, "actions", at.headSha, { status: "queued", conclusion: null });
  const id = store.ids.next();
  const now = store.now();
  const name = file.name ?? path;
  const run: WorkflowRunRecord = {
    id,
    nodeId: legacyNodeId("WorkflowRun", id),
    workflowId: workflow.id,
    path,
    name,
    displayTitle: file.runName ?? name,
    event: at.event,
    status: "queued",
    conclusion: null,
    headBranch: at.headBranch,
    headSha: at.headSha,
    runNumber: [...store.workflowRuns.values()].filter((other) => other.workflowId === workflow.id).length + 1,
    actor: ctx.actor.login,
    createdAt: now,
    updatedAt: now,
    inputs: at.inputs,
    checkSuiteId: suite.id,
  };
  store.workflowRuns.set(id, run);
  announceRun(ctx, run, "requested");
  return run;
}

/**
 * POST …/actions/workflows/{workflow_id}/dispatches: the workflow file must be on `ref` with a
 * `workflow_dispatch` trigger, and the inputs must be the ones it declares (defaults filled in).
 * A GITHUB_TOKEN may dispatch: workflow_dispatch is one of the events its writes do start.
 */
export function dispatchWorkflow(ctx: OpContext, workflowId: string, input: { ref?: unknown; inputs?: unknown }): Result<WorkflowRunRecord> {
  const workflow = findWorkflow(ctx.store, workflowId);
  if (!workflow) return notFound();
  const ref = typeof input.ref === "string" ? branchOrTag(ctx.store, input.ref) : undefined;
  if (!ref) return refused(`No ref found for: ${String(input.ref)}`);
  const entry = ctx.store.git.treeOf(ref.sha)?.get(workflow.path);
  const file = entry ? parseWorkflow(ctx.store.git.blobText(entry.sha) ?? "") : undefined;
  const trigger = file?.on.get("workflow_dispatch");
  if (!file || !trigger) return refused("Workflow does not have 'workflow_dispatch' trigger");
  const given = typeof input.inputs === "object" && input.inputs !== null ? (input.inputs as Record<string, unknown>) : {};
  const declared = trigger.inputs ?? {};
  const unexpected = Object.keys(given).filter((name) => !(name in declared));
  if (unexpected.length > 0) return refused(`Unexpected inputs provided: ${JSON.stringify(unexpected)}`);
  const missing = Object.entries(declared).find(([name, spec]) => spec.required && spec.default === undefined && given[name] === undefined);
  if (missing) return refused(`Required input '${missing[0]}' not provided`);
  const defaults = Object.fromEntries(Object.entries(declared).flatMap(([name, spec]) => (spec.default === undefined ? [] : [[name, spec.default]])));
  return createRun(ctx, workflow.path, file, { event: "workflow_dispatch", headSha: ref.sha, headBranch: ref.name, inputs: { ...defaults, ...given } });
}

/**
 * Starts the workflows a push to a branch or a pull request event runs (those of the commit
 * `sha` whose `on` matches). Events caused with a GITHUB_TOKEN start none: each run GitHub
 * would have started is recorded in `store.runsNotStarted` instead.
 */
export function triggerWorkflows(
  ctx: OpContext,
  event: "push" | "pull_request",
  at: { sha: string; branch: string; base?: string; action?: string },
): void {
  for (const [path, file] of workflowsAt(ctx.store.git, at.sha)) {
    const trigger = file.on.get(event);
    if (!trigger) continue;
    if (event === "pull_request") {
      const types = trigger.types ?? ["opened", "synchronize", "reopened"];
      if (!types.includes(at.action ?? "") || !branchMatches(trigger, at.base ?? "")) continue;
    } else if (!branchMatches(trigger, at.branch)) continue;
    if (ctx.actor.kind === "actions") {
      ctx.store.runsNotStarted.push({ workflow: path, event, headSha: at.sha, headBranch: at.branch, because: "GITHUB_TOKEN" });
      continue;
    }
    createRun(ctx, path, file, { event, headSha: at.sha, headBranch: at.branch, inputs: null });
  }
}

export function findRun(store: Store, runId: number): Result<WorkflowRunRecord> {
  return store.workflowRuns.get(runId) ?? notFound();
}

/**
 * Moves a run on (queued → in_progress → completed), announcing `workflow_run.<status>`; its
 * check suite follows, so completing a run also announces `check_suite.completed`.
 */
export function moveRun(ctx: OpContext, run: WorkflowRunRecord, status: Exclude<RunStatus, "queued">, conclusion: string | null = null): Result<WorkflowRunRecord> {
  if (run.status === "completed") return new ApiError(409, `Workflow run ${run.id} is already completed`);
  if (status === "in_progress" && run.status !== "queued") return new ApiError(409, `Workflow run ${run.id} is already in progress`);
  run.status = status;
  run.conclusion = status === "completed" ? conclusion : null;
  run.updatedAt = ctx.store.now();
  announceRun(ctx, run, status);
  const suite = ctx.store.checkSuites.get(run.checkSuiteId);
  if (suite) setSuiteState(ctx, suite, status, run.conclusion);
  return run;
}
