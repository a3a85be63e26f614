import { describe, expect, it } from "vitest";
import {
  addSpend,
  decide,
  finishCreation,
  newPlanState,
  nextPlanStep,
  planBrief,
  planningSpend,
  recordCreated,
  recordRound,
  remainingItems,
  withFeedback,
} from "../../src/domain/planning/index.js";
import type { PlanState } from "../../src/domain/planning/index.js";
import { AGENTS, OPTIONS, basePlan, failed, item, ok } from "./domain-fixtures.js";

const planners = [...AGENTS];
const fresh = (maxRounds = 3): PlanState => newPlanState({ epic: 7, id: "7-100", planners, method: "majority", maxRounds });
const differing = (round: number) => [
  ok("claude", round, basePlan()),
  ok("gemini", round, basePlan()),
  ok("grok", round, [item("schema", "Design the schema"), item("ui", "Build the UI")]),
];
const agreeing = (round: number) => planners.map((agent) => ok(agent, round, basePlan()));

function value(result: { ok: true; value: PlanState } | { ok: false; reason: string }): PlanState {
  if (!result.ok) throw new Error(result.reason);
  return result.value;
}

describe("rounds", () => {
  it("three identical proposals settle in round 1", () => {
    const state = fresh();
    expect(nextPlanStep(state)).toEqual({ kind: "ask-round", round: 1, planners });
    const after = recordRound(state, 1, agreeing(1), OPTIONS);
    expect(after.status).toBe("proposed");
    expect(after.plan?.agreed).toBe(true);
    expect(nextPlanStep(after)).toEqual({ kind: "settled" });
  });

  it("asks rounds until the limit, then settles by the method", () => {
    let state = fresh(3);
    for (const round of [1, 2, 3]) {
      expect(nextPlanStep(state)).toEqual({ kind: "ask-round", round, planners });
      state = recordRound(state, round, differing(round), OPTIONS);
      expect(state.status).toBe(round < 3 ? "deliberating" : "proposed");
    }
    expect(state.plan?.agreed).toBe(false);
    expect(state.plan?.items.map((entry) => entry.key)).toEqual(["schema", "api", "docs"]);
    expect(nextPlanStep(state)).toEqual({ kind: "settled" });
    // Earlier rounds are reduced to item keys; the latest is kept in full.
    expect(state.rounds.map((round) => round.answers.length)).toEqual([0, 0, 3]);
    expect(state.rounds[0]!.summary).toEqual([
      { agent: "claude", ok: true, keys: ["schema", "api", "docs"] },
      { agent: "gemini", ok: true, keys: ["schema", "api", "docs"] },
      { agent: "grok", ok: true, keys: ["schema", "ui"] },
    ]);
  });

  it("does not settle early on agreement when a planner gave no valid answer", () => {
    const state = recordRound(fresh(), 1, [ok("claude", 1, basePlan()), ok("gemini", 1, basePlan()), failed("grok", 1)], OPTIONS);
    expect(state.status).toBe("deliberating");
    expect(nextPlanStep(state)).toEqual({ kind: "ask-round", round: 2, planners });
  });

  it("a round with no valid answer stops planning", () => {
    const state = recordRound(fresh(), 1, planners.map((agent) => failed(agent, 1)), OPTIONS);
    expect(state.status).toBe("stopped");
    expect(state.stopped).toBe("no planner gave a valid plan");
    expect(nextPlanStep(state)).toEqual({ kind: "idle" });
  });

  it("recording the same round twice replaces it", () => {
    const once = recordRound(fresh(), 1, differing(1), OPTIONS);
    const twice = recordRound(once, 1, differing(1), OPTIONS);
    expect(twice).toEqual(once);
    expect(twice.rounds).toHaveLength(1);
  });
});

describe("revise", () => {
  it("reopens exactly one more round, with the feedback", () => {
    const proposed = recordRound(fresh(3), 1, agreeing(1), OPTIONS);
    const revised = value(withFeedback(proposed, { by: "alice", at: "2026-12-05T11:00:00Z", text: "Split the API item" }));
    expect(revised.status).toBe("deliberating");
    expect(revised.feedback).toEqual([{ by: "alice", at: "2026-12-05T11:00:00Z", text: "Split the API item", round: 2 }]);
    expect(nextPlanStep(revised)).toEqual({ kind: "ask-round", round: 2, planners });
    const brief = planBrief(revised, "claude", 2);
    expect(brief.feedback).toEqual([{ by: "alice", at: "2026-12-05T11:00:00Z", text: "Split the API item" }]);
    const after = recordRound(revised, 2, differing(2), OPTIONS);
    expect(after.status).toBe("proposed");
    expect(nextPlanStep(after)).toEqual({ kind: "settled" });
  });

  it("truncates long feedback with a marker, and is refused once decided", () => {
    const proposed = recordRound(fresh(), 1, agreeing(1), OPTIONS);
    const long = value(withFeedback(proposed, { by: "a", at: "2026-12-05T11:00:00Z", text: "x".repeat(5000) }));
    expect(long.feedback[0]!.text.length).toBe(2000);
    expect(long.feedback[0]!.text.endsWith("[truncated]")).toBe(true);
    const approved = value(decide(proposed, { how: "approve", by: "bob", at: "2026-12-05T11:00:00Z" }));
    expect(withFeedback(approved, { by: "a", at: "2026-12-05T11:00:00Z", text: "more" })).toEqual({
      ok: false,
      reason: "the plan was already approved by @bob; its sub-issues are being created",
    });
    const rejected = value(decide(proposed, { how: "reject", by: "bob", at: "2026-12-05T11:00:00Z" }));
    expect(withFeedback(rejected, { by: "a", at: "2026-12-05T11:00:00Z", text: "more" }).ok).toBe(false);
  });
});

describe("decide", () => {
  const at = "2026-12-05T12:00:00Z";
  it("approves only a proposed plan with items", () => {
    const deliberating = recordRound(fresh(3), 1, differing(1), OPTIONS);
    expect(decide(deliberating, { how: "approve", by: "bob", at })).toEqual({
      ok: false,
      reason: "the plan is still being deliberated (round 2 of 3)",
    });
    const proposed = recordRound(fresh(), 1, agreeing(1), OPTIONS);
    const approved = value(decide(proposed, { how: "approve", by: "bob", at }));
    expect(approved.status).toBe("approved");
    expect(approved.decidedBy).toEqual({ by: "bob", at, how: "approve" });
    expect(decide(approved, { how: "approve", by: "carol", at })).toEqual({
      ok: false,
      reason: "the plan was already approved by @bob; its sub-issues are being created",
    });
    const stopped = recordRound(fresh(), 1, planners.map((agent) => failed(agent, 1)), OPTIONS);
    expect(decide(stopped, { how: "approve", by: "bob", at }).ok).toBe(false);
    const empty: PlanState = { ...proposed, plan: { items: [], agreed: true, disagreements: [] } };
    expect(decide(empty, { how: "approve", by: "bob", at })).toEqual({ ok: false, reason: "the plan has no items to create" });
  });

  it("rejects anything not yet created", () => {
    for (const state of [fresh(), recordRound(fresh(), 1, agreeing(1), OPTIONS)]) {
      expect(value(decide(state, { how: "reject", by: "bob", at })).status).toBe("rejected");
    }
    const rejected = value(decide(fresh(), { how: "reject", by: "bob", at }));
    expect(decide(rejected, { how: "reject", by: "bob", at }).ok).toBe(false);
  });
});

describe("creation", () => {
  it("records created items idempotently and finishes once all exist", () => {
    const approved = value(decide(recordRound(fresh(), 1, agreeing(1), OPTIONS), { how: "approve", by: "bob", at: "2026-12-05T12:00:00Z" }));
    let state = recordCreated(approved, { key: "schema", number: 20, id: 2000 });
    state = recordCreated(state, { key: "schema", number: 99, id: 9900 });
    expect(state.created).toEqual([{ key: "schema", number: 20, id: 2000 }]);
    expect(remainingItems(state).map((entry) => entry.key)).toEqual(["api", "docs"]);
    expect(finishCreation(state).status).toBe("approved");
    state = recordCreated(recordCreated(state, { key: "api", number: 21, id: 2100 }), { key: "docs", number: 22, id: 2200 });
    expect(remainingItems(state)).toEqual([]);
    expect(finishCreation(state).status).toBe("created");
    expect(decide(finishCreation(state), { how: "reject", by: "x", at: "2026-12-05T12:00:00Z" }).ok).toBe(false);
  });
});

describe("brief and spend", () => {
  it("shows the previous round's proposals from round 2 on, other planners' descriptions truncated", () => {
    const long = [item("schema", "Design the schema", [], { description: "d".repeat(600) })];
    const state = recordRound(fresh(), 1, [ok("claude", 1, long), ok("gemini", 1, long), failed("grok", 1, "bad json")], OPTIONS);
    expect(planBrief(fresh(), "claude", 1).previousRound).toBeNull();
    const brief = planBrief(state, "claude", 2);
    expect(brief.round).toBe(2);
    expect(brief.maxRounds).toBe(3);
    const proposals = brief.previousRound!.proposals;
    expect(proposals[2]).toEqual({ agent: "grok", you: false, error: "bad json" });
    const mine = proposals[0]!;
    const theirs = proposals[1]!;
    expect("items" in mine && mine.items[0]!.description.length).toBe(600);
    expect("items" in theirs && theirs.items[0]!.description.length).toBe(200);
    expect(brief.currentPlan?.items[0]).toEqual({ key: "schema", title: "Design the schema", dependsOn: [], proposedBy: ["claude", "gemini"] });
  });

  it("adds spend per planner and in total", () => {
    let state = addSpend(fresh(), "claude", { inputTokens: 100, outputTokens: 10, costUsd: 0.5 });
    state = addSpend(state, "claude", { inputTokens: 50, outputTokens: 5, costUsd: 0.25 });
    state = addSpend(state, "grok", { inputTokens: 1, outputTokens: 1, costUsd: 0 });
    expect(state.spend.claude).toEqual({ calls: 2, inputTokens: 150, outputTokens: 15, costUsd: 0.75 });
    expect(planningSpend(state).total).toEqual({ calls: 3, inputTokens: 151, outputTokens: 16, costUsd: 0.75 });
  });
});
