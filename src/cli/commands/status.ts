/** `orkestra status`: the board — the dashboard's model (docs/dashboard.md) as tables. */
import { readDashboardModel } from "../../handlers/dashboard/read.js";
import type { Command } from "commander";
import type { DashboardModel } from "../../domain/dashboard/model.js";
import { readContext } from "../connect.js";
import { usd, type Output } from "../output.js";
import { withRepoOptions, type CommandDeps, type CommonFlags } from "../program.js";

export function registerStatus(program: Command, deps: CommandDeps): void {
  withRepoOptions(
    program.command("status").description("the board: tasks per status, who holds what, pulls in review, votes, plans, escalations, pause"),
  ).action(async (flags: CommonFlags) => {
    const out = deps.output(flags);
    const ctx = await readContext(await deps.connect(flags), deps.io.env);
    const model = await readDashboardModel(ctx);
    out.document(model);
    printBoard(out, model);
  });
}

function printBoard(out: Output, model: DashboardModel): void {
  const { color } = out;
  out.heading(`Orkestra on ${model.repo} — ${model.at}`);
  out.line(model.paused ? color.yellow(`  ⏸ paused by @${model.paused.by} since ${model.paused.at}${model.paused.why ? `: ${model.paused.why}` : ""}`) : `  ${color.green("▶")} running`);
  out.line();

  const counts = new Map<string, number>();
  for (const task of model.tasks) counts.set(task.status ?? "(none)", (counts.get(task.status ?? "(none)") ?? 0) + 1);
  out.heading(`Open tasks: ${model.openTasks}`);
  out.table(
    [{ title: "STATUS" }, { title: "TASKS", align: "right" }],
    [...counts].map(([status, count]) => [status, count]),
    "no open tasks",
  );
  const held = model.tasks.filter((task) => task.agent);
  if (held.length > 0) {
    out.line();
    out.heading("Who holds what");
    out.table(
      [{ title: "AGENT" }, { title: "#", align: "right" }, { title: "STATUS" }, { title: "LEASE UNTIL" }, { title: "TITLE", max: 50 }],
      held.map((task) => [task.agent, `#${task.number}`, task.status, task.leaseUntil, task.title]),
    );
  }
  out.line();
  out.heading("Pull requests in review");
  out.table(
    [{ title: "#", align: "right" }, { title: "TASK" }, { title: "AGENT" }, { title: "DECISION" }, { title: "TITLE", max: 50 }],
    model.pulls.map((pull) => [`#${pull.number}`, pull.task ? `#${pull.task}` : null, pull.agent, pull.draft ? "draft" : pull.decision, pull.title]),
  );
  out.line();
  out.heading("Open votes");
  out.table(
    [{ title: "#", align: "right" }, { title: "DEADLINE" }, { title: "BALLOTS", align: "right" }, { title: "TITLE", max: 50 }],
    model.votes.map((vote) => [`#${vote.issue}`, vote.deadline, vote.ballots, vote.title]),
  );
  out.line();
  out.heading("Plans");
  out.table(
    [{ title: "#", align: "right" }, { title: "STATUS" }, { title: "EPIC", max: 50 }],
    model.plans.map((plan) => [`#${plan.issue}`, plan.status, plan.title]),
  );
  out.line();
  out.heading("Escalations");
  out.table(
    [{ title: "#", align: "right" }, { title: "WHY", max: 50 }, { title: "TITLE", max: 40 }],
    model.escalations.map((escalation) => [`#${escalation.issue}`, escalation.why, escalation.title]),
  );
  if (model.agents.length > 0) {
    out.line();
    out.heading("Agents");
    out.table(
      [{ title: "AGENT" }, { title: "STATE", max: 30 }, { title: "HOLDING", align: "right" }, { title: "CALLS", align: "right" }, { title: "SPENT / BUDGET", align: "right" }],
      model.agents.map((agent) => [
        agent.name,
        agent.on ? (agent.degraded ? `degraded (breaker ${agent.breaker})` : "on") : `off: ${agent.off ?? "?"}`,
        `${agent.holding}/${agent.limit}`,
        agent.calls,
        `${usd(agent.spentUsd)} / ${agent.budgetUsd === null ? "-" : usd(agent.budgetUsd)}`,
      ]),
    );
  }
  if (model.coverage && !model.coverage.complete) out.line(color.dim(`  (${model.coverage.text})`));
}
