/** `orkestra tasks`, `votes`, `plans`, `agents`: what Orkestra holds in the repository, read only. */
import type { Command } from "commander";
import { resolveAgentSpecs } from "../../agents/index.js";
import { optionLabel } from "../../domain/consensus/index.js";
import { STATUSES } from "../../domain/task/model.js";
import type { IssueData } from "../../github/port.js";
import { planIn } from "../../handlers/planning/store.js";
import { readVote, voteResult } from "../../handlers/votes/index.js";
import type { RunContext } from "../../runtime/context.js";
import { readContext } from "../connect.js";
import type { AgentRow, PlanRow, TaskRow, VoteRow } from "../json.js";
import { progress, usd, type Output } from "../output.js";
import { choice, positiveInt, withRepoOptions, type CommandDeps, type CommonFlags } from "../program.js";

interface TaskFlags extends CommonFlags {
  status?: string;
  agent?: string;
  label?: string;
  limit?: number;
}

export function registerReads(program: Command, deps: CommandDeps): void {
  withRepoOptions(
    program
      .command("tasks")
      .description("open tasks: number, status, priority, type, agent, title")
      .addOption(choice("--status <status>", "only tasks with this status", STATUSES))
      .option("--agent <name>", "only tasks this agent holds")
      .option("--label <label>", "only tasks with this label")
      .option("--limit <n>", "at most this many tasks", positiveInt),
  ).action(async (flags: TaskFlags) => {
    const out = deps.output(flags);
    const ctx = await readContext(await deps.connect(flags), deps.io.env);
    const { tasks, truncated } = await listTasks(ctx, flags, progress(deps.io, "reading tasks"));
    out.document({ repo: repoName(ctx), tasks, truncated });
    out.heading(`Open tasks in ${repoName(ctx)}`);
    out.table(
      [{ title: "#", align: "right" }, { title: "STATUS" }, { title: "PRIORITY" }, { title: "TYPE" }, { title: "AGENT" }, { title: "TITLE", max: 60 }],
      tasks.map((task) => [`#${task.number}`, task.status, task.priority, task.type, task.agent, task.title]),
      "no open tasks",
    );
    if (truncated) out.line(out.color.dim(`  (first ${tasks.length}; more with a higher --limit)`));
  });

  withRepoOptions(program.command("votes").description("open votes: question, deadline and ballots")).action(async (flags: CommonFlags) => {
    const out = deps.output(flags);
    const ctx = await readContext(await deps.connect(flags), deps.io.env);
    const votes = await listVotes(ctx, deps);
    out.document({ repo: repoName(ctx), votes });
    out.heading(`Open votes in ${repoName(ctx)}`);
    out.table(
      [{ title: "#", align: "right" }, { title: "QUESTION", max: 50 }, { title: "METHOD" }, { title: "DEADLINE" }, { title: "BALLOTS", align: "right" }, { title: "LEADING", max: 30 }],
      votes.map((vote) => [`#${vote.issue}`, vote.question, vote.method, vote.deadline, `${vote.ballots}/${vote.voters}`, vote.leading]),
      "no open votes",
    );
  });

  withRepoOptions(program.command("plans").description("epics being planned and their plan's status")).action(async (flags: CommonFlags) => {
    const out = deps.output(flags);
    const ctx = await readContext(await deps.connect(flags), deps.io.env);
    const plans = await listPlans(ctx, deps);
    out.document({ repo: repoName(ctx), plans });
    out.heading(`Plans in ${repoName(ctx)}`);
    out.table(
      [{ title: "#", align: "right" }, { title: "STATUS" }, { title: "ROUNDS", align: "right" }, { title: "ITEMS", align: "right" }, { title: "PLANNERS", max: 30 }, { title: "EPIC", max: 50 }],
      plans.map((plan) => [`#${plan.issue}`, plan.status ?? "(no plan yet)", plan.rounds, plan.items, plan.planners.join(", "), plan.title]),
      "no epic is being planned",
    );
  });

  withRepoOptions(program.command("agents").description("configured agents, their health and today's spending against budget")).action(async (flags: CommonFlags) => {
    const out = deps.output(flags);
    const ctx = await readContext(await deps.connect(flags), deps.io.env);
    const report = await agentReport(ctx);
    out.document({ repo: repoName(ctx), ...report });
    printAgents(out, report);
  });
}

function repoName(ctx: RunContext): string {
  return `${ctx.github.repo.owner}/${ctx.github.repo.repo}`;
}

/** One task as the labels say. */
function taskRow(ctx: RunContext, issue: IssueData): TaskRow {
  const { scheme } = ctx;
  return {
    number: issue.number,
    title: issue.title,
    status: scheme.statusesIn(issue.labels)[0] ?? null,
    priority: scheme.prioritiesIn(issue.labels)[0] ?? null,
    type: scheme.typesIn(issue.labels)[0] ?? null,
    agent: scheme.agentsIn(issue.labels)[0] ?? null,
    labels: issue.labels,
  };
}

/** Open tasks, oldest first; the filters are labels, so GitHub filters them. */
async function listTasks(ctx: RunContext, flags: TaskFlags, shown: ReturnType<typeof progress>): Promise<{ tasks: TaskRow[]; truncated: boolean }> {
  const { scheme } = ctx;
  const labels = [scheme.task.name];
  if (flags.status) labels.push(scheme.status(flags.status as (typeof STATUSES)[number]).name);
  if (flags.agent) labels.push(scheme.agent(flags.agent).name);
  if (flags.label) labels.push(flags.label);
  const tasks: TaskRow[] = [];
  let truncated = false;
  let pages = 0;
  try {
    for await (const page of ctx.github.openIssuePages(labels)) {
      shown.page(++pages);
      for (const issue of page.issues) {
        if (flags.limit !== undefined && tasks.length >= flags.limit) {
          truncated = true;
          break;
        }
        tasks.push(taskRow(ctx, issue));
      }
      if (truncated || !page.full) break;
      // A listing cut exactly at the limit: more only if GitHub has another page.
      if (flags.limit !== undefined && tasks.length >= flags.limit) {
        truncated = page.page < page.lastPage;
        break;
      }
    }
  } finally {
    shown.done();
  }
  return { tasks, truncated };
}

/** Open issues and pull requests carrying `label`. */
async function openLabeled(ctx: RunContext, label: string, shown: ReturnType<typeof progress>): Promise<IssueData[]> {
  const found: IssueData[] = [];
  let pages = 0;
  try {
    for await (const page of ctx.github.labeledIssuePages(label)) {
      shown.page(++pages);
      found.push(...page.filter((issue) => issue.state === "open"));
    }
  } finally {
    shown.done();
  }
  return found.sort((a, b) => a.number - b.number);
}

async function listVotes(ctx: RunContext, deps: CommandDeps): Promise<VoteRow[]> {
  const issues = await openLabeled(ctx, ctx.config.voting.openLabel, progress(deps.io, "reading votes"));
  const rows: VoteRow[] = [];
  for (const issue of issues) {
    const state = await readVote(ctx, issue.number);
    if (!state || state.phase !== "open") continue;
    const result = voteResult(state);
    rows.push({
      issue: issue.number,
      title: issue.title,
      pullRequest: issue.isPullRequest,
      question: state.spec.question,
      method: state.spec.method,
      deadline: state.spec.deadline,
      ballots: state.ballots.length,
      voters: state.spec.voters.length,
      quorum: state.spec.quorum,
      leading: result.winner ? optionLabel(state.spec.options, result.winner) : null,
    });
  }
  return rows;
}

async function listPlans(ctx: RunContext, deps: CommandDeps): Promise<PlanRow[]> {
  const epics = await openLabeled(ctx, ctx.config.planning.label, progress(deps.io, "reading plans"));
  const rows: PlanRow[] = [];
  for (const epic of epics) {
    const plan = planIn(await ctx.github.listComments(epic.number))?.state ?? null;
    rows.push({
      issue: epic.number,
      title: epic.title,
      status: plan?.status ?? null,
      rounds: plan?.rounds.length ?? 0,
      planners: plan?.planners ?? [],
      items: plan?.plan?.items.length ?? 0,
      agreed: plan?.plan ? plan.plan.agreed : null,
      created: plan?.created.length ?? 0,
    });
  }
  return rows;
}

interface AgentReport {
  day: string;
  agents: AgentRow[];
  today: { calls: number; tokens: number; spentUsd: number; budgetUsd: number | null };
}

/** The configured agents and the day's usage record (`refs/orkestra/usage/<day>`). */
async function agentReport(ctx: RunContext): Promise<AgentReport> {
  const roster = ctx.agents;
  const today = await roster.today();
  // The record may carry the agents' health (persisted by the runs); shown when it does.
  const health = (today as { health?: Record<string, unknown> }).health;
  const offBy = new Map(roster.disabled.map((agent) => [agent.name, agent]));
  const agents = resolveAgentSpecs(ctx.config.agents).map((spec): AgentRow => {
    const spent = today.byAgent[spec.name];
    const off = offBy.get(spec.name);
    return {
      name: spec.name,
      provider: spec.provider,
      model: spec.model,
      enabled: spec.enabled,
      keyHere: spec.keyEnv.length === 0 || spec.keyEnv.some((name) => Boolean(ctx.env[name])),
      off: off ? off.message : null,
      calls: spent?.calls ?? 0,
      tokens: spent?.tokens ?? 0,
      spentUsd: spent?.costUsd ?? 0,
      budgetUsd: spec.budget.maxCostUsdPerDay,
      ...(health?.[spec.name] !== undefined ? { health: health[spec.name] } : {}),
    };
  });
  return {
    day: ctx.clock.now().toISOString().slice(0, 10),
    agents,
    today: { calls: today.calls, tokens: today.tokens, spentUsd: today.costUsd, budgetUsd: ctx.config.budgets.perDay.maxCostUsd ?? null },
  };
}

function printAgents(out: Output, report: AgentReport): void {
  out.heading(`Agents (spending on ${report.day}, UTC)`);
  out.table(
    [
      { title: "AGENT" },
      { title: "PROVIDER" },
      { title: "MODEL", max: 24 },
      { title: "CONFIG" },
      { title: "HEALTH", max: 30 },
      { title: "CALLS", align: "right" },
      { title: "TOKENS", align: "right" },
      { title: "SPENT / BUDGET", align: "right" },
    ],
    report.agents.map((agent) => [
      agent.name,
      agent.provider,
      agent.model,
      agent.enabled ? (agent.keyHere ? "on" : "on (no key here)") : "off",
      describeHealth(agent.health),
      agent.calls,
      agent.tokens,
      `${usd(agent.spentUsd)} / ${agent.budgetUsd === null ? "-" : usd(agent.budgetUsd)}`,
    ]),
    "no agents configured",
  );
  const { today } = report;
  out.line(`  all agents today: ${today.calls} calls, ${today.tokens} tokens, ${usd(today.spentUsd)} of ${today.budgetUsd === null ? "no limit" : usd(today.budgetUsd)}`);
  if (report.agents.some((agent) => agent.enabled && !agent.keyHere)) {
    out.line(out.color.dim("  (keys are checked in this shell's environment; the Action reads them from its secrets)"));
  }
}

/** A health record in a few words: `degraded`, the breaker, the success rate. */
function describeHealth(health: unknown): string | null {
  if (typeof health !== "object" || health === null) return null;
  const record = health as { degraded?: unknown; breaker?: unknown; successRate?: unknown; calls?: unknown };
  const parts: string[] = [];
  if (record.degraded === true) parts.push("degraded");
  if (typeof record.breaker === "string" && record.breaker !== "closed") parts.push(`breaker ${record.breaker}`);
  if (typeof record.successRate === "number" && typeof record.calls === "number" && record.calls > 0) parts.push(`${Math.round(record.successRate * 100)}% ok`);
  return parts.length > 0 ? parts.join(", ") : "ok";
}
