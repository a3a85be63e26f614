/**
 * Issue 12, item 9, in the domain: an agent that gave no answer is recorded (so deliberation
 * moves on and the tally can name it) but is not a ballot cast: it never counts toward quorum or
 * participation, and it never replaces an answer the agent gave earlier. A deliberate `abstain`
 * still takes part.
 */
import { describe, expect, it } from "vitest";
import { noAnswerFor } from "../../src/domain/consensus/ai-answers.js";
import { evaluate } from "../../src/domain/consensus/evaluate.js";
import { parseVoteComment, renderTally } from "../../src/domain/consensus/render.js";
import { castBallot } from "../../src/domain/consensus/state.js";
import { resolveBallots, runningResult } from "../../src/domain/consensus/tally.js";
import { at, ballot, makeSpec, stateOf, voter } from "./fixtures.js";

const spec = makeSpec({ voterNames: ["claude", "gemini", "grok"], method: "plurality", quorum: 2 });
const failed = (name: string, round = 1, why = "claude: provider returned 503") => noAnswerFor(voter(name), round, new Date(at(round)), why);

describe("quorum when agents gave no answer", () => {
  it("records no answer as a flagged abstention-shaped entry with the reason", () => {
    expect(failed("grok", 2, "timeout")).toEqual({
      voter: voter("grok"),
      choice: "abstain",
      round: 2,
      at: at(2),
      reason: "No valid answer: timeout",
      noAnswer: true,
    });
  });

  it("one answer and two outages do not make a quorum of two", () => {
    const effective = resolveBallots(spec, [ballot("claude", "A", { round: 1 }), failed("gemini"), failed("grok")]).effective;
    const result = evaluate(spec, effective);
    expect(result.status).toBe("no-quorum");
    expect(result.participation).toEqual({
      eligible: 3,
      cast: 1,
      abstained: 0,
      noAnswer: ["gemini", "grok"],
      quorum: 2,
      quorumMet: false,
      minParticipation: 0,
      participationMet: true,
    });
    expect(result.reason).toContain("quorum is 2 voters and 1 cast a ballot");
    expect(result.reason).toContain("No answer from gemini, grok, which does not count.");
  });

  it("no answer does not meet minimum participation either", () => {
    const strict = { ...spec, quorum: 1, minParticipation: 0.5 };
    const result = evaluate(strict, [ballot("claude", "A", { round: 1 }), failed("gemini"), failed("grok")]);
    expect(result).toMatchObject({ status: "no-quorum", participation: { cast: 1, participationMet: false } });
  });

  it("a deliberate abstention still counts toward quorum", () => {
    const result = evaluate(spec, [ballot("claude", "A", { round: 1 }), ballot("gemini", "abstain", { round: 1 }), failed("grok")]);
    expect(result).toMatchObject({ status: "passed", winner: "A", participation: { cast: 2, abstained: 1, noAnswer: ["grok"], quorumMet: true } });
  });

  it("no answer in a later round leaves the agent's earlier answer standing", () => {
    const ballots = [ballot("claude", "A", { round: 1, at: at(1) }), ballot("gemini", "B", { round: 1, at: at(1) }), failed("gemini", 2)];
    expect(resolveBallots(spec, ballots).effective.map((b) => `${b.voter.id}: ${String(b.choice)}`)).toEqual(["claude: A", "gemini: B"]);
    // An answer after an outage replaces the record of no answer as usual.
    const later = [...ballots, ballot("gemini", "A", { round: 3, at: at(3) })];
    expect(resolveBallots(spec, later).effective.map((b) => `${b.voter.id}: ${String(b.choice)}`)).toEqual(["claude: A", "gemini: A"]);
  });

  it("the tally names who gave no answer and keeps the record through its metadata", () => {
    let state = stateOf(spec);
    for (const b of [ballot("claude", "A", { round: 1, at: at(1) }), failed("gemini"), failed("grok")]) {
      const cast = castBallot(state, b);
      if (!cast.ok) throw new Error(cast.error.message);
      state = cast.value;
    }
    const body = renderTally(state);
    expect(body).toContain("**Participation:** 1 of 3 voted; no answer from gemini, grok (not counted); quorum 2 ⏳ not met");
    expect(body).toContain("| gemini (agent) | _no answer_ |");
    expect(runningResult(spec, state.ballots)).toMatchObject({ status: "pending", provisional: "no-quorum" });
    expect(parseVoteComment(body)?.ballots.filter((b) => b.noAnswer === true).map((b) => b.voter.id)).toEqual(["gemini", "grok"]);
  });
});
