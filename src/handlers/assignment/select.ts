import { chooseAgent, rankAgents, type AgentFacts, type AgentScore } from "../../domain/assignment/score.js";
import type { TaskRow } from "../../domain/assignment/sweep-plan.js";
import { HELD } from "../../domain/task/state-machine.js";
import type { Agent } from "../../agents/index.js";
import type { RunContext } from "../context.js";

/** How the enabled agents stand: tasks held (from the board), health and budget (from the agents layer). */
export function agentFacts(ctx: RunContext, rows: readonly TaskRow[]): AgentFacts[] {
  const spent = ctx.agents.usage().run.byAgent;
  return ctx.agents.agents.map((agent) => {
    const health = agent.health();
    return {
      name: agent.name,
      specialties: agent.spec.specialties,
      held: rows.filter((row) => row.agent === agent.name && row.status !== null && HELD.includes(row.status)).length,
      degraded: health.degraded,
      successRate: health.successRate,
      calls: health.calls,
      meanLatencyMs: health.meanLatencyMs,
      budgetLeft: budgetLeft(agent, spent[agent.name]),
    };
  });
}

function budgetLeft(agent: Agent, spend: { tokens?: number; costUsd?: number } | undefined): number | null {
  const { maxTokensPerRun, maxCostUsdPerRun } = agent.spec.budget;
  const shares: number[] = [];
  if (maxTokensPerRun) shares.push(1 - (spend?.tokens ?? 0) / maxTokensPerRun);
  if (maxCostUsdPerRun) shares.push(1 - (spend?.costUsd ?? 0) / maxCostUsdPerRun);
  return shares.length > 0 ? Math.max(0, Math.min(...shares)) : null;
}

export interface Selection {
  chosen: AgentScore | null;
  ranking: AgentScore[];
}

/** Ranks the agents for a task and picks the best eligible one. */
export function selectAgent(ctx: RunContext, facts: readonly AgentFacts[], task: { type: string; labels: string[]; avoid: string[] }): Selection {
  const { workloadPenalty, maxPerAgent } = ctx.config.assignment;
  const ranking = rankAgents(facts, task, { workloadPenalty, maxPerAgent });
  return { chosen: chooseAgent(ranking), ranking };
}

/** Tasks held by all agents together, against the global limit. */
export function heldCount(rows: readonly TaskRow[]): number {
  return rows.filter((row) => row.status !== null && HELD.includes(row.status)).length;
}
