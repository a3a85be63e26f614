import { startWork } from "../execution/index.js";
import { commandTask, NOT_A_TASK } from "./task-command.js";
import { refuse, type CommandSpec } from "./types.js";

export const startCommand: CommandSpec = {
  name: "start",
  usage: "/start",
  summary: "Start the assigned agent's work on this task now (when a pre-task check held it back, or the issue's author may not start agents).",
  examples: ["/start"],
  // It spends the repository's LLM budget and makes an agent write a branch.
  permission: "write",
  scope: "task",
  async run(ctx) {
    const task = await commandTask(ctx);
    if (!task?.meta) return refuse(NOT_A_TASK);
    if (!task.meta.agent) return refuse("no agent holds this task: assign one first (`/assign [agent]`)");
    if (task.meta.status !== "assigned") return refuse(`the task is \`${task.meta.status}\`; \`/start\` starts an \`assigned\` task`);
    // Started here rather than `afterwards`, so a pre-task check that holds the work back is the
    // command's refusal (😕 and the reason) instead of a 👍 for work that never started.
    const number = task.issue.number;
    const started = await startWork(ctx, number, { actor: ctx.author, how: `\`/start\` by @${ctx.author}`, byHand: true });
    if (!started.started && !ctx.dryRun) return refuse(`the work did not start: ${started.reason}`);
    return { ok: true, effects: [] };
  },
};
