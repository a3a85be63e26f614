import { stopWork } from "../execution/index.js";
import { refuse, type CommandSpec } from "./types.js";

export const stopCommand: CommandSpec = {
  name: "stop",
  usage: "/stop",
  summary: "Stop the agent working on this task; the task is released (`pending`) and nothing more of that work is written.",
  examples: ["/stop"],
  permission: "write",
  scope: "task",
  async run(ctx) {
    const stopped = await stopWork(ctx, ctx.issue.number, ctx.author);
    if (!stopped.ok) return refuse(stopped.reason);
    return { ok: true, effects: [], ...(stopped.reply ? { reply: stopped.reply } : {}) };
  },
};
