import { openDeps } from "../../domain/task/card.js";
import { codeSpan } from "../../domain/untrusted-text.js";
import { isStatus, STATUSES } from "../../domain/task/model.js";
import { checkTransition } from "../../domain/task/state-machine.js";
import { applyTaskRequest, commandTask, NOT_A_TASK } from "./task-command.js";
import { refuse, type CommandSpec } from "./types.js";

export const statusCommand: CommandSpec = {
  name: "status",
  usage: "/status <state>",
  summary: "Move the task to another status (the state machine decides what is allowed).",
  examples: ["/status in-progress", "/status blocked", "/status done"],
  permission: "triage",
  scope: "task",
  async run(ctx, command) {
    const wanted = command.args.toLowerCase();
    if (!isStatus(wanted)) {
      return refuse(`${codeSpan(command.args || "(nothing)")} is not a status; use one of ${STATUSES.map((s) => `\`${s}\``).join(", ")}`);
    }
    const task = await commandTask(ctx);
    if (!task?.meta) return refuse(NOT_A_TASK);
    const open = openDeps(task.meta.deps);
    const check = checkTransition(task.meta.status, wanted, { openDeps: open, agent: task.meta.agent?.name ?? null });
    if (!check.ok) return refuse(check.reason);
    return applyTaskRequest(ctx, task, { status: wanted, how: `\`/status ${wanted}\`` });
  },
};
