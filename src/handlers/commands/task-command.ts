import type { TaskRequest } from "../../domain/task/reconcile.js";
import { closeEffects, syncDependents } from "../issues.js";
import { loadTask, type StoredTask } from "../task-store.js";
import { syncTask, type SyncOptions } from "../task-sync.js";
import type { CommandContext, CommandOutcome } from "./types.js";

/** Loads the task a command is about; null when the issue is not (yet) a task. */
export async function commandTask(ctx: CommandContext): Promise<StoredTask | null> {
  const task = await loadTask(ctx, ctx.issue);
  return task.meta ? task : null;
}

export const NOT_A_TASK = "this issue is not an Orkestra task (it has no task card)";

/**
 * The shared tail of task commands: sync the task with the request, close or reopen the
 * issue when the status says so, and once that is written let dependents follow (they must
 * see the new state in the same run).
 */
export async function applyTaskRequest(
  ctx: CommandContext,
  task: StoredTask,
  request: TaskRequest,
  options: Omit<SyncOptions, "actor" | "request"> = {},
): Promise<CommandOutcome> {
  const result = await syncTask(ctx, task, { ...options, actor: ctx.author, request });
  const closing = request.status ? closeEffects(task.issue.number, request.status, request.how) : [];
  // The issue's state first: if a later write fails, the closed issue still says the task is done.
  const effects = [...closing, ...result.effects];
  if (closing.length === 0) return { ok: true, effects };
  return { ok: true, effects, afterwards: () => syncDependents(ctx, task.issue.number) };
}
