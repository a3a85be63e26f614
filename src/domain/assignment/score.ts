/**
 * Agent selection: every enabled agent gets a 0–100 score for a task, with the reasons that
 * make it up, and the best eligible one is chosen. Pure and deterministic.
 */

export interface AgentFacts {
  name: string;
  specialties: readonly string[];
  /** Tasks the agent holds now. */
  held: number;
  /** Circuit breaker open: the agent keeps failing and should not get work. */
  degraded: boolean;
  /** While degraded: when its cool-down ends (ISO, UTC), if known. */
  degradedUntil?: string | null;
  /** While degraded: how many failures in a row opened its breaker, if known. */
  consecutiveFailures?: number;
  /** Share of its recent calls that succeeded, and how many there were. */
  successRate: number;
  calls: number;
  meanLatencyMs: number;
  /** Share of its budget left (0–1), or null when it has no budget cap. */
  budgetLeft: number | null;
}

interface TaskFacts {
  type: string;
  labels: readonly string[];
  /** Agents that failed this task before; another is preferred. */
  avoid: readonly string[];
  /** The agent the task's plan suggests (a sub-issue made by `/plan`), if any. */
  suggested?: string | null;
}

interface ScoreWeights {
  workloadPenalty: number;
  maxPerAgent: number;
}

export interface ScorePart {
  label: string;
  points: number;
}

export interface AgentScore {
  agent: string;
  score: number;
  parts: ScorePart[];
  /** Why the agent cannot take the task at all, or null when it can. */
  ineligible: string | null;
}

const BASE = 50;
const SPECIALTY_TYPE = 30;
const SPECIALTY_LABEL = 10;
const SPECIALTY_LABEL_CAP = 20;
/** The planners chose this agent for the work: worth as much as a specialty for its type. */
const SUGGESTED_BY_PLAN = 30;
const HEALTH_MAX_PENALTY = 30;
const SLOW_MS = 30_000;
const SLOW_PENALTY = 5;
const LOW_BUDGET = 0.2;
const LOW_BUDGET_PENALTY = 15;
/** Strong enough that a fresh agent is preferred to one that failed this task, whatever its specialties. */
const FAILED_BEFORE_PENALTY = 50;

export function scoreAgent(agent: AgentFacts, task: TaskFacts, weights: ScoreWeights): AgentScore {
  const parts: ScorePart[] = [{ label: "base", points: BASE }];
  const specialties = new Set(agent.specialties.map((s) => s.toLowerCase()));
  if (specialties.has(task.type) || specialties.has(`type:${task.type}`)) {
    parts.push({ label: `specialty ${task.type}`, points: SPECIALTY_TYPE });
  }
  if (task.suggested === agent.name) parts.push({ label: "suggested by the plan", points: SUGGESTED_BY_PLAN });
  const labelHits = task.labels.filter((label) => specialties.has(label.toLowerCase()));
  if (labelHits.length > 0) {
    parts.push({ label: `label ${labelHits.join(", ")}`, points: Math.min(SPECIALTY_LABEL * labelHits.length, SPECIALTY_LABEL_CAP) });
  }
  if (agent.held > 0) {
    parts.push({ label: `${agent.held} task${agent.held === 1 ? "" : "s"} held`, points: -weights.workloadPenalty * agent.held });
  }
  if (agent.calls > 0 && agent.successRate < 1) {
    const points = -Math.round((1 - agent.successRate) * HEALTH_MAX_PENALTY);
    if (points < 0) parts.push({ label: `${Math.round(agent.successRate * 100)}% of calls succeeded`, points });
  }
  if (agent.meanLatencyMs > SLOW_MS) parts.push({ label: "slow answers", points: -SLOW_PENALTY });
  if (agent.budgetLeft !== null && agent.budgetLeft < LOW_BUDGET) {
    parts.push({ label: `${Math.round(agent.budgetLeft * 100)}% budget left`, points: -LOW_BUDGET_PENALTY });
  }
  if (task.avoid.includes(agent.name)) parts.push({ label: "failed this task before", points: -FAILED_BEFORE_PENALTY });
  const score = Math.max(0, Math.min(100, parts.reduce((sum, part) => sum + part.points, 0)));
  return { agent: agent.name, score, parts, ineligible: ineligibility(agent, weights) };
}

/** Why an agent cannot take any task now (degraded, out of budget, at its limit), or null. */
export function ineligibility(agent: AgentFacts, weights: ScoreWeights): string | null {
  if (agent.degraded) return degradedReason(agent);
  if (agent.budgetLeft !== null && agent.budgetLeft <= 0) return "budget used up";
  if (agent.held >= weights.maxPerAgent) return `holds ${agent.held} tasks (limit ${weights.maxPerAgent})`;
  return null;
}

/** "degraded (circuit open until 10:05 UTC after 3 consecutive failures)", with what is known. */
function degradedReason(agent: AgentFacts): string {
  const failures = agent.consecutiveFailures ? `${agent.consecutiveFailures} consecutive failures` : "repeated failures";
  if (!agent.degradedUntil) return `degraded after ${failures}`;
  const at = agent.degradedUntil.slice(11, 16);
  return `degraded (circuit open until ${at} UTC after ${failures})`;
}

/** Best first: higher score, then fewer tasks held, then name — so ties always break the same way. */
export function rankAgents(agents: readonly AgentFacts[], task: TaskFacts, weights: ScoreWeights): AgentScore[] {
  const held = new Map(agents.map((agent) => [agent.name, agent.held]));
  return agents
    .map((agent) => scoreAgent(agent, task, weights))
    .sort(
      (a, b) =>
        b.score - a.score || (held.get(a.agent) ?? 0) - (held.get(b.agent) ?? 0) || a.agent.localeCompare(b.agent),
    );
}

/** The chosen agent (the best eligible one with a score above zero), or null. */
export function chooseAgent(ranking: readonly AgentScore[]): AgentScore | null {
  return ranking.find((entry) => entry.ineligible === null && entry.score > 0) ?? null;
}

/** "claude 82: base 50, specialty api +30, 1 task held −10" */
export function explainScore(entry: AgentScore): string {
  const parts = entry.parts.map((part) =>
    part.label === "base" ? `base ${part.points}` : `${part.label} ${part.points >= 0 ? "+" : "−"}${Math.abs(part.points)}`,
  );
  return `${entry.agent} ${entry.score}: ${parts.join(", ")}${entry.ineligible ? ` (not eligible: ${entry.ineligible})` : ""}`;
}
