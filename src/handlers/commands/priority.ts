import { codeSpan } from "../../domain/untrusted-text.js";
import { isPriority, PRIORITIES } from "../../domain/task/model.js";
import { applyTaskRequest, commandTask, NOT_A_TASK } from "./task-command.js";
import { refuse, type CommandSpec } from "./types.js";

export const priorityCommand: CommandSpec = {
  name: "priority",
  usage: "/priority <level>",
  summary: "Set the task's priority: low, medium, high or critical.",
  examples: ["/priority high"],
  permission: "triage",
  scope: "task",
  async run(ctx, command) {
    const wanted = command.args.toLowerCase();
    if (!isPriority(wanted)) {
      return refuse(`${codeSpan(command.args || "(nothing)")} is not a priority; use one of ${PRIORITIES.map((p) => `\`${p}\``).join(", ")}`);
    }
    const task = await commandTask(ctx);
    if (!task?.meta) return refuse(NOT_A_TASK);
    return applyTaskRequest(ctx, task, { priority: wanted, how: `\`/priority ${wanted}\`` });
  },
};
