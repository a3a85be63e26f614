import { describe, expect, it } from "vitest";
import { chooseAgent, explainScore, rankAgents, scoreAgent, type AgentFacts } from "../../src/domain/assignment/score.js";

const weights = { workloadPenalty: 10, maxPerAgent: 2 };
const task = { type: "research", labels: ["api", "orkestra:task"], avoid: [] as string[] };

function agent(name: string, overrides: Partial<AgentFacts> = {}): AgentFacts {
  return { name, specialties: [], held: 0, degraded: false, successRate: 1, calls: 0, meanLatencyMs: 0, budgetLeft: null, ...overrides };
}

describe("agent scoring", () => {
  it("adds specialty points for the task type and matching labels, and explains them", () => {
    const entry = scoreAgent(agent("claude", { specialties: ["research", "api"], held: 1 }), task, weights);
    expect(entry.score).toBe(80);
    expect(explainScore(entry)).toBe("claude 80: base 50, specialty research +30, label api +10, 1 task held −10");
  });

  it.each([
    ["workload", agent("a", { held: 1 }), 40],
    ["health", agent("a", { calls: 10, successRate: 0.5 }), 35],
    ["slow answers", agent("a", { meanLatencyMs: 45_000 }), 45],
    ["low budget", agent("a", { budgetLeft: 0.1 }), 35],
  ])("%s lowers the score", (_what, facts, expected) => {
    expect(scoreAgent(facts, task, weights).score).toBe(expected);
  });

  it("the agent a plan suggests for its sub-task counts as much as a specialty", () => {
    const suggested = { ...task, type: "technical", suggested: "beta" };
    const ranking = rankAgents([agent("alpha", { specialties: ["technical"] }), agent("beta")], suggested, weights);
    expect(ranking.map(explainScore)).toEqual(["alpha 80: base 50, specialty technical +30", "beta 80: base 50, suggested by the plan +30"]);
    expect(chooseAgent(rankAgents([agent("alpha"), agent("beta")], suggested, weights))?.agent).toBe("beta");
  });

  it("prefers another agent than the one that failed the task before, even a specialist", () => {
    const ranking = rankAgents([agent("alpha", { specialties: ["research"] }), agent("beta")], { ...task, avoid: ["alpha"] }, weights);
    expect(chooseAgent(ranking)?.agent).toBe("beta");
  });

  it.each([
    ["degraded", agent("a", { degraded: true }), "degraded after repeated failures"],
    ["out of budget", agent("a", { budgetLeft: 0 }), "budget used up"],
    ["at its limit", agent("a", { held: 2 }), "holds 2 tasks (limit 2)"],
  ])("an agent %s is not eligible", (_what, facts, reason) => {
    const ranking = rankAgents([facts], task, weights);
    expect(ranking[0]?.ineligible).toBe(reason);
    expect(chooseAgent(ranking)).toBeNull();
  });

  it("breaks ties by fewer tasks held, then by name, whatever the input order", () => {
    const agents = [agent("zeta"), agent("alpha"), agent("mid", { held: 1, specialties: ["research"] })];
    const orders = [agents, [...agents].reverse(), [agents[2]!, agents[0]!, agents[1]!]];
    for (const order of orders) {
      expect(rankAgents(order, task, weights).map((entry) => entry.agent)).toEqual(["mid", "alpha", "zeta"]);
    }
  });

  it("keeps scores within 0–100", () => {
    const best = scoreAgent(agent("a", { specialties: ["research", "api", "orkestra:task"] }), task, weights);
    const worst = scoreAgent(agent("b", { held: 1, calls: 9, successRate: 0, budgetLeft: 0.01, meanLatencyMs: 99_000 }), { ...task, avoid: ["b"] }, weights);
    expect(best.score).toBe(100);
    expect(worst.score).toBe(0);
  });
});
