import { openDeps } from "../domain/task/card.js";
import { same } from "../domain/task/labels.js";
import { checkTransition } from "../domain/task/state-machine.js";
import type { TaskRequest } from "../domain/task/reconcile.js";
import type { RunContext, RunReport } from "../runtime/context.js";
import type { Effect } from "../runtime/effects.js";
import { issueFromPayload, type IssuesEvent } from "./payloads.js";
import { loadTask, qualifiesAsTask, type StoredTask } from "./task-store.js";
import { repairOnEvent, shouldBeTask } from "./heal.js";
import { taskPausedNote } from "./pause.js";
import { syncTask } from "./task-sync.js";

const TASK_ACTIONS = new Set(["opened", "edited", "reopened", "closed", "labeled", "unlabeled"]);

/** Whether an `issues` event can concern a task, decided without any request. */
export function wantsIssueEvent(event: IssuesEvent, report: RunReport): boolean {
  if (!TASK_ACTIONS.has(event.action) || event.issue.pull_request) return false;
  if ((event.action === "labeled" || event.action === "unlabeled") && event.sender.type === "Bot") {
    // Orkestra's own label writes come back as events; acting on them would loop.
    report.notes.push(`#${event.issue.number}: ignored label change by ${event.sender.login}`);
    return false;
  }
  return true;
}

/** `issues` events: an issue becomes a task, and its task follows what people do to the issue. */
export async function onIssuesEvent(ctx: RunContext, event: IssuesEvent): Promise<void> {
  const issue = issueFromPayload(event.issue);
  const prefix = `#${issue.number}`;
  if ((event.action === "labeled" || event.action === "unlabeled") && !managesLabel(ctx, event.label?.name)) {
    // Any event brings the issue's task in line, or makes the task an issue was meant to be.
    if (await repairOnEvent(ctx, event.issue, event.sender.login)) return;
    ctx.report.notes.push(`${prefix}: label \`${event.label?.name ?? "?"}\` is not one Orkestra manages`);
    return;
  }
  let task = await loadTask(ctx, issue);
  if (task.meta?.paused) return taskPausedNote(ctx, issue.number, task.meta.paused, `\`issues.${event.action}\``);
  if (task.meta && issue.updatedAt < task.meta.seenAt) {
    ctx.report.notes.push(`${prefix}: skipped a stale \`${event.action}\` delivery (a newer one was handled)`);
    return;
  }
  if (task.meta && issue.updatedAt === task.meta.seenAt) {
    // GitHub's timestamps have one-second precision: an event from the same second as the last
    // one handled may be older or newer (deliveries can arrive out of order), so read afresh.
    const fresh = await ctx.github.getIssue(issue.number);
    // Keep the event's time: Orkestra's own writes moved `updated_at`, and later deliveries of
    // events from this same second must still count as new.
    if (fresh) task = { ...task, issue: { ...fresh, updatedAt: issue.updatedAt } };
  }
  if (!task.meta && !startsTask(ctx, event, task)) {
    ctx.report.notes.push(`${prefix}: not a task (tasks.from: ${ctx.config.tasks.from})`);
    return;
  }
  const labelRequest = event.action === "labeled" ? requestFromLabel(ctx, task, event) : { effects: [] };
  const result = await syncTask(ctx, task, { actor: event.sender.login, request: labelRequest.request });
  const closing = labelRequest.effects.filter((effect) => effect.kind === "set-state");
  // The issue's state first: if a later write fails, the closed issue still says the task is done.
  await ctx.apply([...closing, ...result.effects, ...labelRequest.effects.filter((effect) => effect.kind !== "set-state")]);
  const closedHere = closing.length > 0;
  if (event.action === "closed" || event.action === "reopened" || closedHere) await syncDependents(ctx, issue.number);
}

/** The labels whose changes matter: the task label and the status, priority, type and agent labels. */
function managesLabel(ctx: RunContext, label: string | undefined): boolean {
  if (!label) return false;
  const { scheme } = ctx;
  return scheme.classify(label) !== null || scheme.hasTaskLabel([label]) || scheme.agentsIn([label]).length > 0 || same(label, scheme.escalated.name);
}

/**
 * Which events make an issue without a card a task: opening it (as `tasks.from` says), the task
 * label being added, or — with `tasks.from: form` — an edit into the task form. An issue that was
 * there before Orkestra, or a closed one, does not turn into a task because someone edited it.
 */
function startsTask(ctx: RunContext, event: IssuesEvent, task: StoredTask): boolean {
  if (task.issue.state === "closed" || !qualifiesAsTask(ctx, task)) return false;
  // Opened while the configuration was broken, made half way, or a write failed at opening: it was meant to be a task all along.
  if (event.action === "opened" || shouldBeTask(ctx, task)) return true;
  if (event.action === "labeled") return ctx.scheme.hasTaskLabel(event.label ? [event.label.name] : []);
  return event.action === "edited" && ctx.config.tasks.from === "form";
}

/**
 * A person set a status, priority or type label by hand: that is a request like `/status`.
 * A status the state machine forbids is put back, with a comment saying why.
 */
function requestFromLabel(
  ctx: RunContext,
  task: StoredTask,
  event: IssuesEvent,
): { request?: TaskRequest; effects: Effect[] } {
  const label = event.label?.name;
  const kind = label ? ctx.scheme.classify(label) : null;
  // A label no longer on the issue was refused (or removed) already: a redelivery changes nothing.
  if (!label || !kind || !task.issue.labels.some((name) => same(name, label))) return { effects: [] };
  const how = `label \`${label}\` set by @${event.sender.login}`;
  if (kind.kind === "priority") return { request: { priority: kind.value, how }, effects: [] };
  if (kind.kind === "type") return { request: { type: kind.value, how }, effects: [] };
  const from = task.meta?.status;
  if (!from || from === kind.value) return { effects: [] };
  const check = checkTransition(from, kind.value, { openDeps: openDeps(task.meta?.deps ?? []), agent: task.meta?.agent?.name ?? null });
  if (check.ok) return { request: { status: kind.value, how }, effects: closeEffects(task.issue.number, kind.value, how) };
  const body = `😕 @${event.sender.login}, the label \`${label}\` was taken off again: ${check.reason}.`;
  return { effects: [{ kind: "create-comment", issue: task.issue.number, body, why: "status label refused" }] };
}

/** Finishing or cancelling a task closes its issue, as GitHub shows it. */
export function closeEffects(issue: number, status: string, why: string): Effect[] {
  if (status === "done") return [{ kind: "set-state", issue, state: "closed", reason: "completed", why }];
  if (status === "cancelled") return [{ kind: "set-state", issue, state: "closed", reason: "not_planned", why }];
  return [];
}

/** A dependency closed or reopened: the tasks it blocks may change status. */
export async function syncDependents(ctx: RunContext, number: number): Promise<void> {
  let dependents;
  try {
    dependents = await ctx.github.blocking(number);
  } catch (error) {
    ctx.log.warn(`#${number}: could not list the issues it blocks (${String(error)}); the sweep will catch up`);
    return;
  }
  for (const dependent of dependents) {
    if (dependent.state !== "open") continue;
    const task = await loadTask(ctx, dependent);
    if (!task.meta) continue;
    if (task.meta.paused) {
      taskPausedNote(ctx, dependent.number, task.meta.paused, `#${number} closing or reopening`);
      continue;
    }
    const result = await syncTask(ctx, task, { actor: "orkestra" });
    await ctx.apply(result.effects);
  }
}
