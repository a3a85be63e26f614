/**
 * Moves a plan on from wherever it stands: rounds still due are asked, an agreed plan under
 * `full` autonomy is approved, an approved plan's sub-issues are created (and, unless autonomy
 * is `manual`, the ready ones started), and a plan that is no longer open gives the epic's
 * planning label back. The `/plan` command, the sweep and any event on the epic call it, so a
 * run that stopped anywhere is finished by the next one.
 */
import { decide, type PlanState } from "../../domain/planning/index.js";
import type { CommentData, IssueData } from "../../github/port.js";
import type { RunContext } from "../../runtime/context.js";
import type { Board } from "../assignment/board.js";
import { readHeld, toRow } from "../assignment/board.js";
import { autonomyFor } from "../autonomy.js";
import { assignReady } from "../assignment/ready.js";
import { same } from "../../domain/task/labels.js";
import { cardIn } from "../task-store.js";
import { createPlanIssues } from "./create.js";
import { deliberatePlan } from "./deliberate.js";
import { OPEN_STATUSES, savePlan } from "./store.js";

interface AdvanceOptions {
  /** The plan was left by an earlier run (a sweep, an event): an approved one may have made issues it did not record. */
  resuming: boolean;
  /** Whether the epic carries the planning label now (read from the issue, or added in this run). */
  labelled: boolean;
}

export async function advancePlan(
  ctx: RunContext,
  epic: IssueData,
  state: PlanState,
  comments: CommentData[],
  options: AdvanceOptions,
): Promise<PlanState> {
  let current = state;
  let snapshot = comments;
  let resuming = options.resuming;
  if (current.status === "deliberating") {
    const deliberation = await deliberatePlan(ctx, epic, current, snapshot);
    ({ state: current, comments: snapshot } = deliberation);
    if (!deliberation.asked) return current;
  }
  const autonomy = autonomyFor(ctx, cardIn(snapshot));
  if (current.status === "proposed" && autonomy === "full") {
    if (ctx.dryRun) {
      ctx.skippedInDryRun(`#${epic.number}: would approve the plan (autonomy full) and create its ${current.plan?.items.length ?? 0} sub-issues`);
      return current;
    }
    const decided = decide(current, { how: "approve", by: "orkestra", at: ctx.clock.now().toISOString() });
    if (decided.ok) {
      current = { ...decided.value, decidedBy: decided.value.decidedBy ? { ...decided.value.decidedBy, how: "autonomy full" } : null };
      snapshot = await savePlan(ctx, epic.number, snapshot, current, "plan approved (autonomy full)");
      resuming = false;
    }
  }
  if (current.status === "approved") {
    const creation = await createPlanIssues(ctx, epic, current, snapshot, resuming);
    current = creation.state;
    if (current.status === "created") await startReady(ctx, epic.number, creation.tasks, autonomy);
  }
  if (!OPEN_STATUSES.has(current.status) && options.labelled) {
    await ctx.apply([{ kind: "remove-labels", issue: epic.number, names: [ctx.config.planning.label], why: `plan ${current.status}` }]);
  }
  return current;
}

/** Whether the issue carries the planning label. */
export function hasPlanningLabel(ctx: RunContext, issue: IssueData): boolean {
  return issue.labels.some((label) => same(label, ctx.config.planning.label));
}

/**
 * Starts the ready sub-tasks just created, through the sweep's assignment (capacity, agent
 * choice, the claim and the agent's first round). Under `manual` autonomy nothing starts, and
 * with `assignment.auto` off the sweep would not start them either.
 */
async function startReady(ctx: RunContext, epic: number, tasks: readonly { number: number; status: string }[], autonomy: string): Promise<void> {
  const ready = tasks.filter((task) => task.status === "pending");
  if (ready.length === 0) return;
  if (autonomy === "manual") {
    ctx.report.notes.push(`#${epic}: autonomy manual — the plan's ready sub-tasks (${ready.map((task) => `#${task.number}`).join(", ")}) are not started`);
    return;
  }
  if (!ctx.config.assignment.auto) return;
  const issues = new Map<number, IssueData>();
  for (const task of ready) {
    const issue = await ctx.github.getIssue(task.number);
    if (issue?.state === "open") issues.set(issue.number, issue);
  }
  const rows = [...issues.values()].map((issue) => toRow(ctx, issue));
  const board: Board = { rows, issues, complete: true, coverage: { fromPage: 1, pagesRead: 0, totalPages: 0, nextPage: null } };
  await assignReady(ctx, board, rows, await readHeld(ctx));
}
