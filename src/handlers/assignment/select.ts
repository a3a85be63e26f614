import { chooseAgent, ineligibility, rankAgents, type AgentFacts, type AgentScore } from "../../domain/assignment/score.js";
import type { TaskRow } from "../../domain/assignment/sweep-plan.js";
import { HELD } from "../../domain/task/state-machine.js";
import type { Agent } from "../../agents/index.js";
import type { RunContext } from "../../runtime/context.js";

/**
 * How the enabled agents stand: tasks held (from `rows`, the tasks held now), health (from the
 * agents layer) and the share of their budget left today (kept across runs).
 */
export async function agentFacts(ctx: RunContext, rows: readonly TaskRow[]): Promise<AgentFacts[]> {
  const { maxPerAgent, workloadPenalty } = ctx.config.assignment;
  const eligible = (facts: readonly AgentFacts[]) => facts.some((fact) => ineligibility(fact, { maxPerAgent, workloadPenalty }) === null);
  // Health lasts across runs in the day's usage record. Reading it matters only when some agent
  // could work were it healthy: when every one is out for another reason (its limit), no read.
  if (!eligible(factsOf(ctx, rows).map((fact) => ({ ...fact, degraded: false })))) return factsOf(ctx, rows);
  // Once per run, the same read the budget check below and the first call's budget check use.
  await ctx.agents.loadHealth();
  const facts = factsOf(ctx, rows);
  if (!eligible(facts)) return facts;
  const today = await ctx.agents.today();
  const { perDay } = ctx.config.budgets;
  const overall = Math.min(1 - today.tokens / perDay.maxTokens, 1 - today.costUsd / perDay.maxCostUsd);
  return facts.map((fact, index) => ({ ...fact, budgetLeft: budgetLeft(ctx.agents.agents[index]!, today.byAgent[fact.name], overall) }));
}

/** Each enabled agent as it stands by what this run knows of its health (budget not yet weighed). */
function factsOf(ctx: RunContext, rows: readonly TaskRow[]): AgentFacts[] {
  return ctx.agents.agents.map((agent) => {
    const health = agent.health();
    return {
      name: agent.name,
      specialties: agent.spec.specialties,
      held: rows.filter((row) => row.agent === agent.name && row.status !== null && HELD.includes(row.status)).length,
      degraded: health.degraded,
      degradedUntil: health.openUntil ?? null,
      ...(health.consecutiveFailures !== undefined ? { consecutiveFailures: health.consecutiveFailures } : {}),
      successRate: health.successRate,
      calls: health.calls,
      meanLatencyMs: health.meanLatencyMs,
      budgetLeft: null,
    };
  });
}

/** The smallest share left of the agent's own daily cap and of everybody's daily budget. */
function budgetLeft(agent: Agent, spend: { costUsd: number } | undefined, overall: number): number {
  const { maxCostUsdPerDay } = agent.spec.budget;
  const own = maxCostUsdPerDay ? 1 - (spend?.costUsd ?? 0) / maxCostUsdPerDay : 1;
  return Math.max(0, Math.min(own, overall));
}

interface Selection {
  chosen: AgentScore | null;
  ranking: AgentScore[];
}

/** Ranks the agents for a task and picks the best eligible one. */
export function selectAgent(
  ctx: RunContext,
  facts: readonly AgentFacts[],
  task: { type: string; labels: string[]; avoid: string[]; suggested?: string | null },
): Selection {
  const { workloadPenalty, maxPerAgent } = ctx.config.assignment;
  const ranking = rankAgents(facts, task, { workloadPenalty, maxPerAgent });
  return { chosen: chooseAgent(ranking), ranking };
}

/** Tasks held by all agents together, against the global limit. */
export function heldCount(rows: readonly TaskRow[]): number {
  return rows.filter((row) => row.status !== null && HELD.includes(row.status)).length;
}
