/**
 * The task card is the one record of an agent's work: every step re-reads the task, so what a
 * person did meanwhile (`/stop`, a reassignment, closing the issue) is seen before Orkestra writes.
 */
import { leaseExpiry } from "../../domain/assignment/lease.js";
import type { TaskMeta } from "../../domain/task/card.js";
import type { TaskRequest } from "../../domain/task/reconcile.js";
import type { RunContext } from "../../runtime/context.js";
import { loadTask, type StoredTask } from "../task-store.js";
import { syncTask, taskAfter } from "../task-sync.js";

export type Execution = NonNullable<TaskMeta["execution"]>;

/** The task as it is now; null when the issue or its card is gone. */
export async function readTask(ctx: RunContext, number: number): Promise<(StoredTask & { meta: TaskMeta }) | null> {
  const issue = await ctx.github.getIssue(number);
  if (!issue || issue.isPullRequest) return null;
  const task = await loadTask(ctx, issue);
  return task.meta ? { ...task, meta: task.meta } : null;
}

/** Writes the request to the task's labels and card (only what changed) and returns the task as it now is. */
export async function record(ctx: RunContext, task: StoredTask, request: TaskRequest, actor = "orkestra"): Promise<StoredTask & { meta: TaskMeta }> {
  const result = await syncTask(ctx, task, { actor, request: withRenewedLease(ctx, task, request) });
  await ctx.apply(result.effects);
  return taskAfter(task, result.effects, result.meta);
}

/** Progress on the work renews its agent's lease (the card shows until when). */
function withRenewedLease(ctx: RunContext, task: StoredTask, request: TaskRequest): TaskRequest {
  const holder = task.meta?.agent;
  const status = request.status ?? task.meta?.status;
  if (request.agent !== undefined || !request.execution || !holder || (status !== "in-progress" && status !== "review")) return request;
  const leaseUntil = leaseExpiry(ctx.clock.now().toISOString(), ctx.config.assignment.leaseMinutes).toISOString();
  return { ...request, agent: { name: holder.name, why: holder.why, leaseUntil } };
}

/**
 * Whether the work described by `execution` is still the task's current work: same agent, same
 * attempt, and the task still held. A person's `/stop`, a reassignment or a closed issue end it.
 */
export function stillCurrent(meta: TaskMeta, execution: Pick<Execution, "agent" | "attempt">): boolean {
  return (
    meta.agent?.name === execution.agent &&
    meta.execution?.agent === execution.agent &&
    meta.execution.attempt === execution.attempt &&
    (meta.status === "in-progress" || meta.status === "review")
  );
}
