import { openDeps } from "../../domain/task/card.js";
import { explainScore } from "../../domain/assignment/score.js";
import { formatRefs } from "../../domain/task/state-machine.js";
import { readHeld, toRow } from "../assignment/board.js";
import { claimTask } from "../assignment/claim.js";
import { agentFacts, heldCount, selectAgent } from "../assignment/select.js";
import { startAssigned } from "../execution/index.js";
import { syncTask } from "../task-sync.js";
import { commandTask, NOT_A_TASK } from "./task-command.js";
import { refuse, type CommandSpec } from "./types.js";

export const assignCommand: CommandSpec = {
  name: "assign",
  usage: "/assign [agent]",
  summary: "Give the task to an agent, or to the best one when none is named (with the reasons).",
  examples: ["/assign", "/assign claude"],
  permission: "write",
  scope: "task",
  async run(ctx, command) {
    const named = command.args.trim().toLowerCase();
    if (named.includes(" ")) return refuse("name one agent, e.g. `/assign claude`");
    const task = await commandTask(ctx);
    if (!task?.meta) return refuse(NOT_A_TASK);
    const open = openDeps(task.meta.deps);
    if (open.length > 0) return refuse(`${formatRefs(open)} ${open.length === 1 ? "is" : "are"} still open`);
    if (!["pending", "assigned", "in-progress", "review"].includes(task.meta.status)) {
      return refuse(`a \`${task.meta.status}\` task cannot be assigned (move it to \`pending\` first)`);
    }
    if (named && task.meta.agent?.name === named) return { ok: true, effects: [], reply: `\`${named}\` already holds this task.` };
    if (named && !ctx.agents.agents.some((agent) => agent.name === named)) return refuse(unknownAgent(ctx, named));

    const rows = (await readHeld(ctx)).filter((row) => row.number !== task.issue.number);
    const { maxInProgress } = ctx.config.assignment;
    if (heldCount(rows) >= maxInProgress) return refuse(`${maxInProgress} tasks are already held (assignment.maxInProgress)`);
    const selection = selectAgent(ctx, await agentFacts(ctx, rows), { ...toRow(ctx, task.issue), avoid: task.meta.retry.avoid });
    const entry = named ? selection.ranking.find((item) => item.agent === named) : selection.chosen;
    if (!entry) return refuse(`no agent can take this task now: ${selection.ranking.map(explainScore).join("; ") || "no agent is enabled"}`);
    if (entry.ineligible) return refuse(`\`${entry.agent}\` cannot take it: ${entry.ineligible}`);

    if (task.meta.agent) {
      const released = await syncTask(ctx, task, { actor: ctx.author, request: { status: "pending", agent: null, how: `\`/assign ${entry.agent}\`` } });
      await ctx.apply(released.effects);
    }
    const why = explainScore(entry);
    const claim = await claimTask(ctx, task.issue.number, { name: entry.agent, why }, { actor: ctx.author, how: `\`/assign${named ? ` ${named}` : ""}\`` });
    if (!claim.ok) return refuse(claim.reason);
    const number = task.issue.number;
    const how = `\`/assign${named ? ` ${named}` : ""}\` by @${ctx.author}`;
    return {
      ok: true,
      effects: [],
      reply: named ? undefined : `Assigned to \`${entry.agent}\` — ${why}.`,
      afterwards: () => startAssigned(ctx, number, { actor: ctx.author, how }, claim.task),
    };
  },
};

function unknownAgent(ctx: Parameters<CommandSpec["run"]>[0], name: string): string {
  const off = ctx.agents.disabled.find((agent) => agent.name === name);
  if (off) return off.message;
  const known = ctx.agents.agents.map((agent) => `\`${agent.name}\``).join(", ");
  return `there is no agent \`${name}\` (enabled: ${known || "none — add a key or configure `agents`"})`;
}
