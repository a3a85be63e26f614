import type { DashboardAgent, DashboardModel, DashboardPlan, DashboardPull, DashboardVote } from "../../domain/dashboard/model.js";
import { lastActivity, linkedIssues, pullActivityOf } from "../../domain/assignment/sweep-plan.js";
import { scheduleLapse } from "../../domain/dashboard/schedule-lapse.js";
import { parseDependencyRefs } from "../../domain/task/dependencies.js";
import { same } from "../../domain/task/labels.js";
import { HELD } from "../../domain/task/state-machine.js";
import type { IssueData, PullData } from "../../github/port.js";
import type { RunContext } from "../../runtime/context.js";
import type { Effect } from "../../runtime/effects.js";
import { toRow } from "../assignment/board.js";
import type { Pause } from "../pause.js";

/** What the sweep (or `orkestra status`) read of the board, turned into the dashboard's model here. */
export interface BoardSnapshot {
  /** Open tasks read. */
  issues: readonly IssueData[];
  /** Open tasks GitHub counts, read or not. */
  openTasks: number;
  pulls: readonly PullData[];
  votes: readonly DashboardVote[];
  plans: readonly DashboardPlan[];
  pause: Pause | null;
  coverage: DashboardModel["coverage"];
}

/**
 * The dashboard's model from what was read: tasks and holders from the labels, leases from the
 * last activity (the sweep's own rule for stale leases), pull requests linked to tasks, and the
 * agents' state — which reads the day's usage record (spending and health) unless the run has it.
 */
export async function dashboardModel(ctx: RunContext, board: BoardSnapshot, cached: DashboardAgent[] | null = null): Promise<DashboardModel> {
  const rows = afterWrites(board.issues, ctx.written()).map((issue) => ({ issue, row: toRow(ctx, issue) }));
  const open = new Set(rows.map(({ issue }) => issue.number));
  const pullActivity = pullActivityOf(board.pulls);
  const leaseMs = ctx.config.assignment.leaseMinutes * 60_000;
  const planning = ctx.config.planning.label;
  const tasks = rows.map(({ issue, row }) => ({
    number: issue.number,
    title: issue.title,
    status: row.status,
    priority: row.priority,
    type: row.type,
    agent: row.agent,
    leaseUntil: row.agent && row.status && HELD.includes(row.status) ? new Date(Date.parse(lastActivity(row, pullActivity)) + leaseMs).toISOString() : null,
    dependsOn: parseDependencyRefs(issue.body, ctx.github.repo).filter((number) => open.has(number)),
    epic: issue.labels.some((label) => same(label, planning)),
  }));
  return {
    repo: `${ctx.github.repo.owner}/${ctx.github.repo.repo}`,
    at: ctx.clock.now().toISOString(),
    paused: board.pause,
    tasks,
    openTasks: board.openTasks,
    pulls: board.pulls.flatMap((pull) => pullOf(ctx, pull)),
    votes: [...board.votes],
    plans: [...board.plans],
    escalations: rows.filter(({ row }) => row.escalated).map(({ issue }) => ({ issue: issue.number, title: issue.title, why: "its retries ran out: it waits for people" })),
    agents: cached ? withHolding(ctx, cached, rows.map(({ row }) => row)) : await agentsOf(ctx, rows.map(({ row }) => row)),
    coverage: board.coverage,
    scheduleLapse: scheduleLapse(ctx.clock.now(), { private: ctx.repoPrivate, pushedAt: ctx.repoPushedAt ?? null, scheduled: ctx.schedule !== undefined }),
  };
}

/**
 * The open tasks as they are after this run's own writes (the sweep drew the board from what it
 * read before acting): labels added and removed, issues closed — no request.
 */
function afterWrites(issues: readonly IssueData[], written: readonly Effect[]): IssueData[] {
  const byNumber = new Map(issues.map((issue) => [issue.number, { ...issue, labels: [...issue.labels] }]));
  for (const effect of written) {
    const issue = effect.issue === undefined ? undefined : byNumber.get(effect.issue);
    if (!issue) continue;
    if (effect.kind === "add-labels") issue.labels.push(...effect.labels.map((label) => label.name).filter((name) => !issue.labels.some((has) => same(has, name))));
    if (effect.kind === "remove-labels") issue.labels = issue.labels.filter((has) => !effect.names.some((name) => same(has, name)));
    if (effect.kind === "set-state") issue.state = effect.state;
  }
  return [...byNumber.values()].filter((issue) => issue.state === "open");
}

/** An agent's pull request (one that names its task); others are people's business. */
function pullOf(ctx: RunContext, pull: PullData): DashboardPull[] {
  const task = linkedIssues(pull)[0] ?? null;
  if (task === null) return [];
  const { blocked, needsClarification, approved } = ctx.config.review.labels;
  const decision = [
    [approved, "approved"],
    [blocked, "blocked"],
    [needsClarification, "needs clarification"],
  ].find(([label]) => label && pull.labels.some((name) => same(name, label)))?.[1];
  return [{ number: pull.number, title: pull.title, task, agent: ctx.scheme.agentsIn(pull.labels)[0] ?? null, decision: decision ?? null, draft: pull.draft }];
}

/** Agents' rows kept from the last drawing (the day's record unchanged since), with what they hold now. */
function withHolding(ctx: RunContext, agents: readonly DashboardAgent[], rows: readonly ReturnType<typeof toRow>[]): DashboardAgent[] {
  return agents.map((agent) => ({ ...agent, holding: holdingOf(rows, agent.name), limit: ctx.config.assignment.maxPerAgent }));
}

function holdingOf(rows: readonly ReturnType<typeof toRow>[], name: string): number {
  return rows.filter((row) => row.agent === name && row.status !== null && HELD.includes(row.status)).length;
}

async function agentsOf(ctx: RunContext, rows: readonly ReturnType<typeof toRow>[]): Promise<DashboardAgent[]> {
  const roster = ctx.agents;
  // The day's record holds spending and health: read once (no request when the run has read it).
  const today = await roster.today();
  const holding = (name: string) => holdingOf(rows, name);
  const limit = ctx.config.assignment.maxPerAgent;
  const on = roster.agents.map((agent): DashboardAgent => {
    const health = agent.health();
    const spend = today.byAgent[agent.name];
    return {
      name: agent.name,
      on: !health.degraded,
      off: health.degraded ? "degraded: repeated failures, skipped until its breaker cools down" : null,
      degraded: health.degraded,
      breaker: health.breaker,
      calls: health.calls,
      successRate: health.successRate,
      meanLatencyMs: health.meanLatencyMs,
      lastError: health.lastError?.message ?? null,
      holding: holding(agent.name),
      limit,
      spentUsd: spend?.costUsd ?? 0,
      tokens: spend?.tokens ?? 0,
      budgetUsd: agent.spec.budget.maxCostUsdPerDay ?? null,
    };
  });
  const off = roster.disabled.map((agent): DashboardAgent => ({
    name: agent.name,
    on: false,
    off: agent.message,
    degraded: false,
    breaker: "closed",
    calls: 0,
    successRate: 1,
    meanLatencyMs: 0,
    lastError: null,
    holding: holding(agent.name),
    limit,
    spentUsd: today.byAgent[agent.name]?.costUsd ?? 0,
    tokens: today.byAgent[agent.name]?.tokens ?? 0,
    budgetUsd: null,
  }));
  return [...on, ...off];
}
