import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { abstentionFor, aiBallotAnswerSchema, ballotFromAiAnswer, compromiseAnswerSchema } from "../../src/domain/consensus/ai-answers.js";
import { buildCompromiseBrief, buildRoundBrief } from "../../src/domain/consensus/briefs.js";
import {
  addCompromise,
  nextStep,
  recordCompromiseFailure,
  recordStep,
  roundSplit,
} from "../../src/domain/consensus/deliberation.js";
import type { NextStep } from "../../src/domain/consensus/deliberation.js";
import { castBallot } from "../../src/domain/consensus/state.js";
import type { Method, VoteState } from "../../src/domain/consensus/types.js";
import { RUNS } from "./arbitraries.js";
import { at, ballot, makeSpec, stateOf, voter } from "./fixtures.js";

const agents = ["claude", "gemini", "grok"];
const spec = makeSpec({ labels: ["Postgres", "MySQL", "SQLite"], voterNames: agents, maxRounds: 3 });

/** Records one agent round: `choices[i]` is agent i's ballot (`"A"`, `"abstain"`). */
function round(state: VoteState, number: number, choices: string[]): VoteState {
  return choices.reduce((current, choice, i) => {
    const next = castBallot(current, ballot(agents[i]!, choice, { round: number, at: at(number * 10 + i), reason: `r${number}` }));
    if (!next.ok) throw new Error(next.error.message);
    return next.value;
  }, state);
}

function kind(step: NextStep): string {
  return step.kind;
}

describe("nextStep: the deliberation state machine", () => {
  it("starts by asking every agent for round 1", () => {
    expect(nextStep(stateOf(spec))).toEqual({ kind: "ask-round", round: 1, voters: agents.map(voter), final: false });
  });

  it("asks again only the agents missing from a half-answered round", () => {
    const state = castBallot(stateOf(spec), ballot("claude", "A", { round: 1 }));
    expect(state.ok && nextStep(state.value)).toEqual({
      kind: "ask-round",
      round: 1,
      voters: [voter("gemini"), voter("grok")],
      final: false,
    });
  });

  it("stops as soon as the method's threshold is met", () => {
    const state = round(stateOf(spec), 1, ["A", "A", "B"]);
    expect(nextStep(state)).toMatchObject({ kind: "decided", round: 1, result: { status: "passed", winner: "A" } });
  });

  it("moves to another round while positions change", () => {
    const state = round(round(stateOf(spec), 1, ["A", "B", "C"]), 2, ["A", "B", "B"]);
    expect(state.ballots).toHaveLength(6);
    expect(nextStep(state)).toEqual({ kind: "decided", round: 2, result: expect.objectContaining({ winner: "B" }) });
    const moving = round(round(stateOf(spec), 1, ["A", "B", "C"]), 2, ["A", "B", "abstain"]);
    expect(nextStep(moving)).toMatchObject({ kind: "ask-round", round: 3, final: false });
  });

  it("the same split twice running is a deadlock, even if voters swapped sides", () => {
    const state = round(round(stateOf(spec), 1, ["A", "B", "C"]), 2, ["B", "C", "A"]);
    expect(roundSplit(state, 1)).toEqual(roundSplit(state, 2));
    expect(nextStep(state)).toEqual({
      kind: "deadlocked",
      round: 2,
      why: {
        afterRound: 2,
        kind: "repeated-split",
        reason: "Rounds 1 and 2 ended with the same split (Postgres 1 (33.3%), MySQL 1 (33.3%), SQLite 1 (33.3%)); nobody moved.",
      },
    });
  });

  it("no decision after maxRounds is a deadlock", () => {
    const state = [["A", "B", "C"], ["A", "A", "B"], ["A", "B", "B"]].reduce(
      (current, choices, i) => round(current, i + 1, choices),
      stateOf({ ...spec, method: "unanimous" }),
    );
    expect(nextStep(state)).toMatchObject({ kind: "deadlocked", round: 3, why: { kind: "max-rounds" } });
  });

  it("deadlock → compromise → final round → decided", () => {
    let state = round(round(stateOf(spec), 1, ["A", "B", "C"]), 2, ["A", "B", "C"]);
    const deadlocked = nextStep(state);
    state = recordStep(state, deadlocked);
    expect(state.deliberation.deadlock?.kind).toBe("repeated-split");
    expect(nextStep(state)).toEqual({ kind: "ask-compromise", round: 2, agent: voter("claude") });

    const brief = buildCompromiseBrief(state, state.deliberation.deadlock!);
    expect(brief.rounds).toHaveLength(2);
    expect(brief.rounds[1]?.ballots[0]).toEqual({ voter: "claude", kind: "agent", choice: ["Postgres"], reason: "r2" });

    const added = addCompromise(state, { option: "Postgres now, SQLite for tests", reason: "Both camps get speed." }, "Claude");
    expect(added.ok).toBe(true);
    if (!added.ok) return;
    state = added.value;
    expect(state.spec.options.at(-1)).toEqual({ id: "D", label: "Postgres now, SQLite for tests" });
    expect(nextStep(state)).toEqual({ kind: "ask-round", round: 3, voters: agents.map(voter), final: true });

    const view = buildRoundBrief(state, 3, voter("gemini"));
    expect(view).toMatchObject({
      round: 3,
      final: true,
      compromise: { option: { id: "D" }, proposedBy: "claude", reason: "Both camps get speed." },
      previousRound: { round: 2, standing: expect.stringContaining("No option has more than half") },
      yourPreviousBallot: { voter: "gemini", choice: ["MySQL"] },
    });
    state = round(state, 3, ["D", "D", "C"]);
    expect(nextStep(state)).toMatchObject({ kind: "decided", round: 3, result: { winner: "D" } });
  });

  it("a final round without a decision escalates to the maintainers, then waits", () => {
    let state = round(round(stateOf(spec), 1, ["A", "B", "C"]), 2, ["A", "B", "C"]);
    state = recordStep(state, nextStep(state));
    const added = addCompromise(state, { option: "Hybrid", reason: "meet halfway" }, "claude");
    if (!added.ok) throw new Error(added.error.message);
    state = round(added.value, 3, ["D", "B", "C"]);
    const step = nextStep(state);
    expect(step).toEqual({
      kind: "escalate",
      round: 3,
      reason: "The final round with the compromise option did not reach a decision either.",
      mention: ["@maint"],
    });
    state = recordStep(state, step);
    expect(nextStep(state)).toEqual({ kind: "idle", why: "escalated" });
    expect(recordStep(state, step)).toBe(state);
  });

  it("no usable compromise escalates at once", () => {
    let state = round(round(stateOf(spec), 1, ["A", "B", "C"]), 2, ["A", "B", "C"]);
    state = recordStep(state, nextStep(state));
    state = recordCompromiseFailure(state, "claude", "answered twice with invalid JSON");
    expect(nextStep(state)).toMatchObject({ kind: "escalate", reason: "No compromise was found: answered twice with invalid JSON" });
  });

  it("uses the configured compromise agent", () => {
    let state = round(round(stateOf({ ...spec, compromiseAgent: "mediator" }), 1, ["A", "B", "C"]), 2, ["A", "B", "C"]);
    state = recordStep(state, nextStep(state));
    expect(nextStep(state)).toMatchObject({ kind: "ask-compromise", agent: { id: "mediator", kind: "agent" } });
  });

  it("people's ballots count toward a round's decision", () => {
    const mixed = makeSpec({ labels: ["Postgres", "MySQL", "SQLite"], voterNames: [...agents, "@alice", "@bob"] });
    let state = stateOf(mixed, [ballot("@alice", "B", { round: 0 }), ballot("@bob", "B", { round: 0 })]);
    state = round(state, 1, ["A", "B", "C"]);
    expect(nextStep(state)).toMatchObject({ kind: "decided", result: { winner: "B" } });
  });

  it("is idle without agents or once the vote is not open", () => {
    expect(nextStep(stateOf(makeSpec()))).toEqual({ kind: "idle", why: "no-agents" });
    expect(nextStep({ ...stateOf(spec), phase: "cancelled" })).toEqual({ kind: "idle", why: "not-open" });
  });

  it("weighted splits compare weight, so moving weight is progress", () => {
    const weighted = { ...spec, method: "weighted" as const, weights: { claude: 2 } };
    const state = round(round(stateOf(weighted), 1, ["A", "B", "C"]), 2, ["B", "A", "C"]);
    expect(roundSplit(state, 1)).toEqual({ A: 2, B: 1, C: 1 });
    expect(roundSplit(state, 2)).toEqual({ B: 2, A: 1, C: 1 });
    expect(kind(nextStep(state))).toBe("ask-round");
  });
});

describe("addCompromise refuses what cannot be added", () => {
  const deadlocked = (): VoteState => {
    const state = round(round(stateOf(spec), 1, ["A", "B", "C"]), 2, ["A", "B", "C"]);
    return recordStep(state, nextStep(state));
  };

  it.each([
    [{ option: "MySQL", reason: "x" }, "duplicate-option"],
    [{ option: "A > B", reason: "x" }, "bad-option"],
    [{ option: "", reason: "x" }, "invalid-answer"],
    [{ option: "New", reason: "x".repeat(301) }, "invalid-answer"],
    [{ option: "New" }, "invalid-answer"],
    ["just text", "invalid-answer"],
  ])("%j → %s", (answer, code) => {
    expect(addCompromise(deadlocked(), answer, "claude")).toMatchObject({ ok: false, error: { code } });
  });

  it("only after a deadlock, and only once", () => {
    expect(addCompromise(stateOf(spec), { option: "X", reason: "y" }, "claude")).toMatchObject({
      ok: false,
      error: { code: "not-deadlocked" },
    });
    const once = addCompromise(deadlocked(), { option: "X", reason: "y" }, "claude");
    expect(once.ok && addCompromise(once.value, { option: "Z", reason: "y" }, "claude")).toMatchObject({
      ok: false,
      error: { code: "not-deadlocked" },
    });
  });
});

describe("AI ballots", () => {
  const ranked = { ...spec, method: "ranked" as const };
  const when = new Date(at(5));

  it("parses the choice with the /vote grammar and keeps the reason on one line", () => {
    expect(ballotFromAiAnswer(ranked, voter("claude"), 2, { choice: "SQLite > postgres", reason: "small\nand fast" }, when)).toEqual({
      ok: true,
      value: { voter: voter("claude"), choice: ["C", "A"], reason: "small and fast", round: 2, at: when.toISOString() },
    });
    expect(ballotFromAiAnswer(spec, voter("claude"), 1, { choice: "abstain", reason: "no view" }, when)).toMatchObject({
      ok: true,
      value: { choice: "abstain" },
    });
  });

  it.each([
    [{ choice: "Oracle", reason: "r" }, "“Oracle” is not an option"],
    [{ choice: "A > B", reason: "r" }, "a ballot names one option"],
    [{ choice: "A", reason: "r".repeat(301) }, "reason: Too big"],
    [{ choice: "A" }, "reason:"],
    [{ choice: "A", reason: "r", extra: 1 }, "Unrecognized key"],
    [null, "answer:"],
    ["A", "answer:"],
  ])("refuses %j with a message to send back", (answer, message) => {
    const result = ballotFromAiAnswer(spec, voter("claude"), 1, answer, when);
    expect(result).toMatchObject({ ok: false, error: { code: "invalid-answer", message: expect.stringContaining(message) } });
  });

  it("records an abstention when an agent has no valid answer", () => {
    expect(abstentionFor(voter("grok"), 2, when, "timeout")).toEqual({
      voter: voter("grok"),
      choice: "abstain",
      round: 2,
      at: when.toISOString(),
      reason: "No valid answer: timeout",
    });
  });

  it("the answer schemas export to JSON Schema for structured output", async () => {
    const { z } = await import("zod");
    const ballotSchema = z.toJSONSchema(aiBallotAnswerSchema) as { required: string[]; additionalProperties: boolean };
    expect(ballotSchema.required).toEqual(["choice", "reason"]);
    expect(ballotSchema.additionalProperties).toBe(false);
    expect((z.toJSONSchema(compromiseAnswerSchema) as { required: string[] }).required).toEqual(["option", "reason"]);
  });
});

describe("bounded deliberation", () => {
  it("whatever the agents answer, it ends in decided or escalated within maxRounds + 1 rounds", () => {
    const methods: Method[] = ["unanimous", "supermajority", "majority", "plurality", "ranked", "weighted"];
    fc.assert(
      fc.property(
        fc.constantFrom(...methods),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 5 }),
        fc.boolean(),
        fc.infiniteStream(fc.nat()),
        (method, maxRounds, agentCount, compromiseWorks, random) => {
          const names = Array.from({ length: agentCount }, (_, i) => `agent${i}`);
          let state = stateOf(makeSpec({ method, maxRounds, labels: ["P", "Q", "R"], voterNames: names }));
          let highestRound = 0;
          let last: NextStep | null = null;
          for (let steps = 0; steps < 100 && (last === null || !["decided", "idle"].includes(last.kind)); steps++) {
            last = nextStep(state);
            if (last.kind === "ask-round") {
              highestRound = Math.max(highestRound, last.round);
              for (const v of last.voters) {
                const pick = random.next().value % (state.spec.options.length + 1);
                const choice = pick === state.spec.options.length ? "abstain" : state.spec.options[pick]!.id;
                const next = castBallot(state, ballot(v.id, choice, { round: last.round, at: at(last.round) }));
                if (!next.ok) throw new Error(next.error.message);
                state = next.value;
              }
            } else if (last.kind === "ask-compromise") {
              const added = compromiseWorks ? addCompromise(state, { option: "Middle way", reason: "both" }, last.agent.id) : null;
              state = added?.ok ? added.value : recordCompromiseFailure(state, last.agent.id, "no answer");
            } else {
              state = recordStep(state, last);
            }
          }
          expect(last?.kind === "decided" || (last?.kind === "idle" && last.why === "escalated")).toBe(true);
          expect(highestRound).toBeLessThanOrEqual(maxRounds + 1);
          if (highestRound === maxRounds + 1) expect(state.deliberation.compromise).toBeDefined();
        },
      ),
      RUNS,
    );
  });
});
