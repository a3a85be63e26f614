import { checkTransition } from "../domain/task/state-machine.js";
import type { TaskRequest } from "../domain/task/reconcile.js";
import type { RunContext, RunReport } from "./context.js";
import type { Effect } from "./effects.js";
import { issueFromPayload, type IssuesEvent } from "./payloads.js";
import { loadTask, qualifiesAsTask, type StoredTask } from "./task-store.js";
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
  let task = await loadTask(ctx, issue);
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
  if (!qualifiesAsTask(ctx, task)) {
    ctx.report.notes.push(`${prefix}: not a task (tasks.from: ${ctx.config.tasks.from})`);
    return;
  }
  const labelRequest = event.action === "labeled" ? requestFromLabel(ctx, task, event) : { effects: [] };
  const result = await syncTask(ctx, task, { actor: event.sender.login, request: labelRequest.request });
  await ctx.apply([...result.effects, ...labelRequest.effects]);
  const closedHere = labelRequest.effects.some((effect) => effect.kind === "set-state");
  if (event.action === "closed" || event.action === "reopened" || closedHere) await syncDependents(ctx, issue.number);
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
  if (!label || !kind) return { effects: [] };
  const how = `label \`${label}\` set by @${event.sender.login}`;
  if (kind.kind === "priority") return { request: { priority: kind.value, how }, effects: [] };
  if (kind.kind === "type") return { request: { type: kind.value, how }, effects: [] };
  const from = task.meta?.status;
  if (!from || from === kind.value) return { effects: [] };
  const openDeps = task.meta?.deps.filter((dep) => dep.state === "open").map((dep) => dep.number) ?? [];
  const check = checkTransition(from, kind.value, { openDeps, agent: task.meta?.agent?.name ?? null });
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
    const result = await syncTask(ctx, task, { actor: "orkestra" });
    await ctx.apply(result.effects);
  }
}
