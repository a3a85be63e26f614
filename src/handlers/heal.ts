import type { IssueData } from "../github/port.js";
import type { RunContext } from "../runtime/context.js";
import { CONFIG_ERROR_KIND } from "./config.js";
import { issueFromPayload, type IssuesEvent } from "./payloads.js";
import { taskPausedNote } from "./pause.js";
import { resumePlan } from "./planning/resume.js";
import { botComments } from "./sticky.js";
import { loadTask, qualifiesAsTask, type StoredTask } from "./task-store.js";
import { syncTask } from "./task-sync.js";
import { scheduleGapMinutes } from "../domain/schedule.js";

/**
 * Level-triggered repair (docs/architecture.md). A change is several writes — labels, the card,
 * the lock, the issue's state — and GitHub can fail any of them after the first. Nothing records
 * the rest as owed; instead the next event on the issue and the next sweep bring the task back
 * in line from what GitHub shows: the issue's state, its labels and its card (syncTask writes
 * only differences), and an issue that should have become a task is made one.
 */

/**
 * From when an issue without a card is one that should have become a task when it was opened
 * (and a write failed): since the last sweep, or two sweep intervals back when that is unknown —
 * or since a pause began (`pausedSince`, the first sweep after `/resume`), when that is earlier.
 */
export function healWindowStart(ctx: RunContext, pausedSince?: string | null): string {
  // An Actions schedule says how long it may be since the last sweep; GitHub may also run it late.
  const gap = ctx.schedule ? (scheduleGapMinutes(ctx.schedule, ctx.clock.now()) ?? 0) : 0;
  const window = 2 * Math.max(ctx.config.sweep.intervalMinutes, gap) * 60_000;
  const start = (ctx.lastSweepAt ?? new Date(ctx.clock.now().getTime() - window)).toISOString();
  return pausedSince && pausedSince < start ? pausedSince : start;
}

/**
 * Whether a listed issue may need repair, decided from the listing alone (no request).
 * `openedSince` (the sweep's): an open issue opened since then may be one whose making failed.
 */
export function mayNeedRepair(ctx: RunContext, issue: IssueData, openedSince?: string): boolean {
  if (issue.isPullRequest) return false;
  if (ctx.scheme.hasTaskLabel(issue.labels) || hasStatusLabel(ctx, issue)) return true;
  return openedSince !== undefined && issue.state === "open" && issue.createdAt >= openedSince && ctx.config.tasks.from !== "label";
}

/**
 * Whether an issue in an event's payload may be a task (to bring in line) or one that waited for a
 * fixed configuration, decided without any request or configuration: an issue (not a pull
 * request), open or closed, with at least one comment — the card, or the config-error comment.
 */
export function mayBeTask(issue: IssuesEvent["issue"]): boolean {
  if (issue.pull_request) return false;
  const comments: unknown = issue.comments;
  return typeof comments !== "number" || comments >= 1;
}

/** What any event on an issue does for it besides its own work: repairTask, when it may be needed. */
export async function repairOnEvent(ctx: RunContext, payload: IssuesEvent["issue"], actor: string): Promise<boolean> {
  const issue = issueFromPayload(payload);
  if (!mayNeedRepair(ctx, issue) && !mayBeTask(payload)) return false;
  const repaired = await repairTask(ctx, issue, actor);
  // An epic's open plan (it has `planning.label`) continues where a stopped run left it.
  if (repaired) await resumePlan(ctx, issue);
  return repaired;
}

/**
 * Brings one issue's task in line: syncs a task that has a card, and makes a task of an issue
 * that should be one (see `shouldBeTask`). False when the issue is not and should not be a task.
 * `openedSince` (the sweep's): an issue opened since then without a card is one whose making
 * failed at its first write, so it is made a task too.
 */
export async function repairTask(ctx: RunContext, issue: IssueData, actor: string, openedSince?: string): Promise<boolean> {
  const task = await loadTask(ctx, issue);
  if (task.meta?.paused) {
    // A paused task stays as it is; `/resume here` brings it in line.
    taskPausedNote(ctx, issue.number, task.meta.paused, "bringing it in line");
    return true;
  }
  if (!task.meta) {
    const opened = openedSince && issue.createdAt >= openedSince ? "opened recently but not made a task (a write failed)" : null;
    const why = whyUnfinished(ctx, task) ?? opened;
    if (!why || !canBeTask(ctx, task)) return false;
    ctx.report.notes.push(`#${issue.number}: ${why}; a task now`);
  }
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
 * into a task because someone commented on it.
 */
export function shouldBeTask(ctx: RunContext, task: StoredTask): boolean {
  return canBeTask(ctx, task) && whyUnfinished(ctx, task) !== null;
}

function canBeTask(ctx: RunContext, task: StoredTask): boolean {
  return !task.meta && task.issue.state === "open" && qualifiesAsTask(ctx, task);
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

export function hasStatusLabel(ctx: RunContext, issue: IssueData): boolean {
  return issue.labels.some((label) => ctx.scheme.classify(label)?.kind === "status");
}
