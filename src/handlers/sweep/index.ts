import { LOCK_PREFIX } from "../../domain/assignment/lock.js";
import { explainScore } from "../../domain/assignment/score.js";
import { linkedIssues, planSweep, type TaskRow } from "../../domain/assignment/sweep-plan.js";
import { failAttempt } from "../assignment/attempts.js";
import { belowFloor, readBoard, type Board } from "../assignment/board.js";
import { claimTask } from "../assignment/claim.js";
import { agentFacts, heldCount, selectAgent } from "../assignment/select.js";
import type { RunContext } from "../context.js";
import { loadTask } from "../task-store.js";
import { closeDueVotes } from "../votes/index.js";

/** A lock with no holder is an orphan once its task has been quiet this long. */
const ORPHAN_GRACE_MINUTES = 10;

/**
 * The scheduled sweep (the Action's `schedule` and `workflow_dispatch` events, the app's
 * timer), in order: release stale locks, retry or escalate failed attempts, clear orphan
 * locks, assign ready tasks by priority and age. It reads every open task in pages of 100
 * and reads a task's card only when it is about to act on it; it writes only changes. When
 * the rate limit reaches the floor it stops and reports what it did not reach.
 */
export async function runSweep(ctx: RunContext): Promise<void> {
  const interval = ctx.config.sweep.intervalMinutes * 60_000;
  if (ctx.lastSweepAt && ctx.clock.now().getTime() - ctx.lastSweepAt.getTime() < interval) {
    ctx.report.sweep = "not-due";
    return;
  }
  ctx.report.sweep = "ran";
  await closeDueVotes(ctx);
  const board = await readBoard(ctx);
  if (!board.complete) stopped(ctx, "reading the open tasks", []);
  const locks = await ctx.github.matchingRefs(LOCK_PREFIX);
  const pullActivity = new Map<number, string>();
  for (const pull of await ctx.github.recentOpenPulls()) {
    for (const number of linkedIssues(pull)) pullActivity.set(number, pull.updatedAt);
  }
  const plan = planSweep({
    rows: board.rows,
    locks,
    pullActivity,
    now: ctx.clock.now(),
    leaseMinutes: ctx.config.assignment.leaseMinutes,
    orphanGraceMinutes: ORPHAN_GRACE_MINUTES,
  });
  ctx.report.notes.push(
    `sweep: ${board.rows.length} open tasks, ${plan.stale.length} stale, ${plan.failed.length} failed, ${plan.candidates.length} ready`,
  );
  if (!(await each(ctx, plan.stale, "releasing stale locks", (row) => release(ctx, board, row)))) return;
  if (!(await each(ctx, plan.failed, "retrying failed tasks", (row) => retry(ctx, board, row)))) return;
  if (!(await each(ctx, plan.orphanLocks, "clearing orphan locks", (ref) => clearOrphan(ctx, ref)))) return;
  if (ctx.config.assignment.auto) await assignReady(ctx, board, plan.candidates, plan.heldAfterRelease);
}

/** Runs `step` for each item while the rate limit allows; false when it had to stop. */
async function each<T>(ctx: RunContext, items: readonly T[], what: string, step: (item: T) => Promise<void>): Promise<boolean> {
  for (const [index, item] of items.entries()) {
    if (belowFloor(ctx)) {
      stopped(ctx, what, items.slice(index).map((rest) => (typeof rest === "string" ? rest : `#${(rest as TaskRow).number}`)));
      return false;
    }
    await step(item);
  }
  return true;
}

function stopped(ctx: RunContext, what: string, notReached: string[]): void {
  const remaining = ctx.github.rateLimit()?.remaining ?? 0;
  ctx.report.truncated = {
    reason: `stopped while ${what}: ${remaining} GitHub requests left, floor ${ctx.config.sweep.rateLimitFloor} (sweep.rateLimitFloor); the next run continues`,
    notReached: [...(ctx.report.truncated?.notReached ?? []), ...notReached],
  };
}

async function release(ctx: RunContext, board: Board, row: TaskRow): Promise<void> {
  const task = await loadTask(ctx, board.issues.get(row.number)!);
  if (!task.meta?.agent) return;
  const minutes = ctx.config.assignment.leaseMinutes;
  await failAttempt(ctx, task, `no activity for ${minutes} minutes while held by \`${task.meta.agent.name}\``);
}

async function retry(ctx: RunContext, board: Board, row: TaskRow): Promise<void> {
  const task = await loadTask(ctx, board.issues.get(row.number)!);
  if (task.meta?.status !== "failed" || task.meta.retry.escalated) return;
  await failAttempt(ctx, task, "the attempt failed");
}

async function clearOrphan(ctx: RunContext, ref: string): Promise<void> {
  const issue = Number(ref.slice(LOCK_PREFIX.length));
  await ctx.apply([{ kind: "delete-ref", issue, ref, why: "no task holds this lock" }]);
}

async function assignReady(ctx: RunContext, board: Board, candidates: readonly TaskRow[], held: readonly TaskRow[]): Promise<void> {
  let capacity = ctx.config.assignment.maxInProgress - heldCount(held);
  const taken = new Map<string, number>();
  for (const [index, row] of candidates.entries()) {
    if (capacity <= 0) break;
    if (belowFloor(ctx)) return stopped(ctx, "assigning ready tasks", candidates.slice(index).map((rest) => `#${rest.number}`));
    const task = await loadTask(ctx, board.issues.get(row.number)!);
    if (!task.meta || task.meta.status !== "pending" || task.meta.agent) continue;
    const due = task.meta.retry.nextAttemptAt;
    if (due && due > ctx.clock.now().toISOString()) {
      ctx.report.notes.push(`#${row.number}: waiting for its retry after ${due}`);
      continue;
    }
    const facts = agentFacts(ctx, board.rows).map((fact) => ({ ...fact, held: fact.held + (taken.get(fact.name) ?? 0) }));
    const selection = selectAgent(ctx, facts, { type: row.type, labels: row.labels, avoid: task.meta.retry.avoid });
    if (!selection.chosen) {
      ctx.report.notes.push(`#${row.number}: no agent can take it (${selection.ranking.map(explainScore).join("; ") || "no agent is enabled"})`);
      continue;
    }
    const why = explainScore(selection.chosen);
    const claim = await claimTask(ctx, row.number, { name: selection.chosen.agent, why }, { actor: "orkestra", how: "the sweep assigned the best agent" });
    if (!claim.ok) {
      ctx.report.notes.push(`#${row.number}: not assigned: ${claim.reason}`);
      continue;
    }
    taken.set(selection.chosen.agent, (taken.get(selection.chosen.agent) ?? 0) + 1);
    capacity -= 1;
  }
}
