import type { IssueData } from "../github/port.js";
import type { RunContext } from "../runtime/context.js";
import { CONFIG_ERROR_KIND } from "./config.js";
import { botComments } from "./sticky.js";
import { loadTask, qualifiesAsTask, type StoredTask } from "./task-store.js";
import { syncTask } from "./task-sync.js";

/**
 * Level-triggered repair (docs/architecture.md). A change is several writes — labels, the card,
 * the lock, the issue's state — and GitHub can fail any of them after the first. Nothing records
 * the rest as owed; instead the next event on the issue and the next sweep bring the task back
 * in line from what GitHub shows: the issue's state, its labels and its card (syncTask writes
 * only differences), and an issue that should have become a task is made one.
 */

/**
 * From when an issue without a card is one that should have become a task when it was opened
 * (and a write failed): since the last sweep, or two sweep intervals back when that is unknown.
 */
export function healWindowStart(ctx: RunContext): string {
  const window = 2 * ctx.config.sweep.intervalMinutes * 60_000;
  return (ctx.lastSweepAt ?? new Date(ctx.clock.now().getTime() - window)).toISOString();
}

/** Whether a listed issue may need repair, decided from the listing alone (no request). */
export function mayNeedRepair(ctx: RunContext, issue: IssueData, since: string): boolean {
  if (issue.isPullRequest) return false;
  if (ctx.scheme.hasTaskLabel(issue.labels) || hasStatusLabel(ctx, issue)) return true;
  return issue.state === "open" && issue.createdAt >= since && ctx.config.tasks.from !== "label";
}

/**
 * Brings one issue's task in line: syncs a task that has a card, and makes a task of an issue
 * that should be one (see `shouldBeTask`). False when the issue is not and should not be a task.
 * `openedSince` (the sweep's): an issue opened since then without a card is one whose making
 * failed at its first write, so it is made a task too.
 */
export async function repairTask(ctx: RunContext, issue: IssueData, actor: string, openedSince?: string): Promise<boolean> {
  const task = await loadTask(ctx, issue);
  const why = task.meta ? null : (whyUnfinished(ctx, task) ?? (openedSince && issue.createdAt >= openedSince ? "opened recently but not made a task (a write failed)" : null));
  if (!task.meta && (!why || !shouldBeTask(ctx, task, true))) return false;
  if (why) ctx.report.notes.push(`#${issue.number}: ${why}; a task now`);
  // Repair is not an issues event: the card keeps the time of the last one handled.
  const seen = task.meta ? { ...task, issue: { ...issue, updatedAt: task.meta.seenAt < issue.updatedAt ? task.meta.seenAt : issue.updatedAt } } : task;
  const result = await syncTask(ctx, seen, { actor });
  await ctx.apply(result.effects);
  return true;
}

/**
 * An open issue without a card becomes a task at any event when it was meant to be one: it was
 * opened while the configuration was broken (Orkestra's config-error comment is on it) or its
 * making stopped half way (it has a status label). An issue from before Orkestra does not turn
 * into a task because someone commented on it. `opened`: the caller knows it was opened while
 * Orkestra ran (the sweep, for issues opened since the last sweep).
 */
export function shouldBeTask(ctx: RunContext, task: StoredTask, opened = false): boolean {
  if (task.meta || task.issue.state !== "open" || !qualifiesAsTask(ctx, task)) return false;
  return opened || whyUnfinished(ctx, task) !== null;
}

function whyUnfinished(ctx: RunContext, task: StoredTask): string | null {
  if (waitedForConfig(task)) return "opened while the configuration was broken";
  if (hasStatusLabel(ctx, task.issue)) return "made a task only half way (labels without a card)";
  return null;
}

/** Whether Orkestra's config-error comment is on the issue: it was opened while the file was broken. */
function waitedForConfig(task: StoredTask): boolean {
  return botComments(task.comments, CONFIG_ERROR_KIND).length > 0;
}

function hasStatusLabel(ctx: RunContext, issue: IssueData): boolean {
  return issue.labels.some((label) => ctx.scheme.classify(label)?.kind === "status");
}
