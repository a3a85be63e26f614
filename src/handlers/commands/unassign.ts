import { syncTask } from "../task-sync.js";
import { commandTask, NOT_A_TASK } from "./task-command.js";
import { refuse, type CommandSpec } from "./types.js";

export const unassignCommand: CommandSpec = {
  name: "unassign",
  usage: "/unassign",
  summary: "Take the task back from its agent; it becomes `pending` again.",
  examples: ["/unassign"],
  permission: "write",
  scope: "task",
  async run(ctx) {
    const task = await commandTask(ctx);
    if (!task?.meta) return refuse(NOT_A_TASK);
    if (!task.meta.agent) return refuse("no agent holds this task");
    const result = await syncTask(ctx, task, { actor: ctx.author, request: { status: "pending", agent: null, how: "`/unassign`" } });
    return { ok: true, effects: result.effects };
  },
};
