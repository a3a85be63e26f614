import { describe, expect, it } from "vitest";
import { parseVoteArgs } from "../../src/domain/consensus/parse-vote.js";
import { castBallot, cancelVote, closeVote, isDue, personBallot, withdrawBallot } from "../../src/domain/consensus/state.js";
import { recordStep } from "../../src/domain/consensus/deliberation.js";
import { resolveBallots, runningResult } from "../../src/domain/consensus/tally.js";
import type { VoteState } from "../../src/domain/consensus/types.js";
import { DEADLINE, at, ballot, makeSpec, stateOf } from "./fixtures.js";

const spec = makeSpec({ voterNames: ["@alice", "@bob", "claude"] });

function cast(state: VoteState, ...ballots: Parameters<typeof ballot>[]): VoteState {
  return ballots.reduce((current, args) => {
    const next = castBallot(current, ballot(...args));
    if (!next.ok) throw new Error(next.error.message);
    return next.value;
  }, state);
}

describe("resolveBallots: the latest ballot per voter counts", () => {
  it("a voter's later ballot by time counts over an earlier one", () => {
    const { effective, superseded } = resolveBallots(spec, [
      ballot("@alice", "B", { at: at(5), sourceCommentId: 10 }),
      ballot("@alice", "A", { at: at(1), sourceCommentId: 30 }),
    ]);
    expect(effective.map((b) => [b.voter.id, b.choice])).toEqual([["alice", ["B"]]]);
    expect(superseded).toHaveLength(1);
  });

  it("of two ballots cast at the same time, the one from the later comment counts", () => {
    const { effective } = resolveBallots(spec, [
      ballot("@bob", "A", { at: at(2), sourceCommentId: 21 }),
      ballot("@bob", "B", { at: at(2), sourceCommentId: 20 }),
    ]);
    expect(effective.map((b) => [b.voter.id, b.choice])).toEqual([["bob", ["A"]]]);
  });

  it("the order ballots were recorded in does not change which ones count", () => {
    const ballots = [
      ballot("@alice", "B", { at: at(5), sourceCommentId: 10 }),
      ballot("@alice", "A", { at: at(1), sourceCommentId: 30 }),
      ballot("@bob", "A", { at: at(2), sourceCommentId: 21 }),
      ballot("@bob", "B", { at: at(2), sourceCommentId: 20 }),
    ];
    const { effective, superseded } = resolveBallots(spec, ballots);
    expect(effective.map((b) => [b.voter.id, b.choice])).toEqual([
      ["alice", ["B"]],
      ["bob", ["A"]],
    ]);
    expect(superseded).toHaveLength(2);
    expect(resolveBallots(spec, [...ballots].reverse()).effective).toEqual(effective);
  });

  it("people outside the vote are set aside with a reply, not counted", () => {
    const { effective, rejected } = resolveBallots(spec, [ballot("@mallory", "A"), ballot("@Alice", "A")]);
    expect(effective).toHaveLength(1);
    expect(rejected).toEqual([
      {
        ballot: expect.objectContaining({ voter: { id: "mallory", kind: "person" } }),
        code: "not-a-voter",
        message: "@mallory is not among the voters of this vote (alice, bob, claude); the ballot is not counted.",
      },
    ]);
  });

  it("an agent and a person of the same name are different voters", () => {
    const mixed = makeSpec({ voterNames: ["claude", "@claude"] });
    expect(resolveBallots(mixed, [ballot("claude", "A"), ballot("@claude", "B")]).effective).toHaveLength(2);
  });

  it("upToRound ignores later rounds", () => {
    const ballots = [ballot("claude", "A", { round: 1, at: at(1) }), ballot("claude", "B", { round: 2, at: at(2) })];
    expect(resolveBallots(spec, ballots, { upToRound: 1 }).effective[0]?.choice).toEqual(["A"]);
  });

  it("the running result is pending and says what closing now would give", () => {
    const result = runningResult(spec, [ballot("@alice", "A"), ballot("@bob", "A")]);
    expect(result).toMatchObject({ status: "pending", provisional: "passed", winner: "A" });
  });
});

describe("castBallot and withdrawBallot", () => {
  /** Alice votes A in comment 1, then B in comment 2, then edits comment 2 to abstain. */
  function aliceEditsHerSecondBallot(): VoteState {
    const state = cast(stateOf(spec), ["@alice", "A", { at: at(1), sourceCommentId: 1 }], ["@alice", "B", { at: at(2), sourceCommentId: 2 }]);
    expect(resolveBallots(spec, state.ballots).effective[0]?.choice).toEqual(["B"]);
    return cast(state, ["@alice", "abstain", { at: at(3), sourceCommentId: 2 }]);
  }

  it("an edited comment replaces its ballot instead of adding one", () => {
    const state = aliceEditsHerSecondBallot();
    expect(state.ballots).toHaveLength(2);
    expect(resolveBallots(spec, state.ballots).effective[0]?.choice).toBe("abstain");
  });

  it("a deleted comment's ballot is withdrawn and the voter's earlier ballot counts again", () => {
    const state = withdrawBallot(aliceEditsHerSecondBallot(), 2);
    expect(resolveBallots(spec, state.ballots).effective[0]?.choice).toEqual(["A"]);
  });

  it("withdrawing for a comment that holds no ballot changes nothing", () => {
    const state = withdrawBallot(aliceEditsHerSecondBallot(), 2);
    expect(withdrawBallot(state, 999)).toBe(state);
  });

  it("personBallot turns a parsed /vote into a ballot of the current round", () => {
    const state = cast(stateOf(spec), ["claude", "A", { round: 2 }]);
    const parsed = parseVoteArgs("no -- not yet", [], spec);
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(personBallot(state, "@Bob", parsed.value, { at: new Date(at(9)), commentId: 77 })).toEqual({
      voter: { id: "bob", kind: "person" },
      choice: ["B"],
      reason: "not yet",
      round: 2,
      at: at(9),
      sourceCommentId: 77,
    });
  });

  it("an agent asked twice in a round keeps its newer answer", () => {
    const state = cast(stateOf(spec), ["claude", "A", { round: 1 }], ["claude", "B", { round: 1, at: at(1) }]);
    expect(state.ballots).toHaveLength(1);
    expect(state.ballots[0]?.choice).toEqual(["B"]);
  });

  const reasonedBallot = () => cast(stateOf(spec), ["@Alice", "A", { reason: "  fast\n\nand   boring  " }]).ballots[0];

  it("a ballot's reason is kept to one line", () => {
    expect(reasonedBallot()).toMatchObject({ reason: "fast and boring" });
  });

  it("a voter's login is lower-cased", () => {
    expect(reasonedBallot()).toMatchObject({ voter: { id: "alice" } });
  });

  it.each([
    [ballot("@mallory", "A"), "not-a-voter", "@mallory is not among the voters"],
    [ballot("@alice", "C"), "invalid-choice", "“C” is not an option"],
    [ballot("@alice", "A>B"), "invalid-choice", "a ballot names one option"],
  ])("refuses %j", (b, code, message) => {
    const result = castBallot(stateOf(spec), b);
    expect(result).toMatchObject({ ok: false, error: { code, message: expect.stringContaining(message) } });
  });

  it("refuses ballots once the vote is closed", () => {
    const closed: VoteState = { ...stateOf(spec), phase: "closed" };
    expect(castBallot(closed, ballot("@alice", "A"))).toMatchObject({ ok: false, error: { code: "vote-not-open" } });
  });
});

describe("closing and cancelling", () => {
  const maintainer = { login: "Maint", isMaintainer: true };
  const member = { login: "bob", isMaintainer: false };

  it("the sweep closes a due vote and freezes the result", () => {
    const state = cast(stateOf(spec), ["@alice", "A"], ["@bob", "A"]);
    expect(isDue(state, new Date(DEADLINE))).toBe(true);
    expect(closeVote(state, { at: new Date(at(60)), by: "deadline" })).toMatchObject({ ok: false, error: { code: "not-due" } });
    const closed = closeVote(state, { at: new Date(DEADLINE), by: "deadline" });
    expect(closed).toMatchObject({ ok: true, value: { phase: "closed", closed: { by: null }, result: { status: "passed", winner: "A" } } });
    if (!closed.ok) return;
    expect(isDue(closed.value, new Date(DEADLINE))).toBe(false);
    expect(closeVote(closed.value, { at: new Date(DEADLINE), by: "deadline" })).toMatchObject({ ok: false, error: { code: "vote-not-open" } });
  });

  it("only maintainers close early", () => {
    const state = stateOf(spec);
    expect(closeVote(state, { at: new Date(at(1)), by: member })).toMatchObject({ ok: false, error: { code: "not-allowed" } });
    expect(closeVote(state, { at: new Date(at(1)), by: maintainer })).toMatchObject({
      ok: true,
      value: { closed: { by: "maint" }, result: { status: "no-quorum" } },
    });
  });

  it("a maintainer may decide a vote that found no decision, not overrule one that passed", () => {
    const split = cast(stateOf(spec), ["@alice", "A"], ["@bob", "B"]);
    const decided = closeVote(split, { at: new Date(at(1)), by: maintainer, decision: "no" });
    expect(decided).toMatchObject({ ok: true, value: { result: { status: "passed", winner: "B" }, closed: { decidedBy: "maint" } } });
    expect(decided.ok && decided.value.result?.reason).toMatch(/^Decided by @maint \(maintainer\) after the count found no decision/);
    expect(closeVote(split, { at: new Date(at(1)), by: maintainer, decision: "perhaps" })).toMatchObject({
      ok: false,
      error: { code: "unknown-option" },
    });
    const passed = cast(split, ["claude", "A"]);
    expect(closeVote(passed, { at: new Date(at(1)), by: maintainer, decision: "B" })).toMatchObject({
      ok: false,
      error: { code: "decision-not-needed" },
    });
  });

  it("an escalated vote with no winner closes deadlocked", () => {
    const split = cast(stateOf(spec), ["@alice", "A"], ["@bob", "B"]);
    const escalated = recordStep(split, { kind: "escalate", round: 3, reason: "No compromise was found.", mention: [] });
    const closed = closeVote(escalated, { at: new Date(DEADLINE), by: "deadline" });
    expect(closed).toMatchObject({ ok: true, value: { result: { status: "deadlocked" } } });
    expect(closed.ok && closed.value.result?.reason).toMatch(/^Deadlocked: No compromise was found\. No option has more than half/);
  });

  it("the proposer cancels", () => {
    expect(cancelVote(stateOf(spec), { at: new Date(at(1)), by: { login: "@ALICE", isMaintainer: false } })).toMatchObject({
      ok: true,
      value: { phase: "cancelled", cancelled: { by: "alice" } },
    });
  });

  it("a maintainer cancels", () => {
    expect(cancelVote(stateOf(spec), { at: new Date(at(1)), by: maintainer })).toMatchObject({
      ok: true,
      value: { phase: "cancelled", cancelled: { by: "maint" } },
    });
  });

  it("someone who is neither the proposer nor a maintainer cannot cancel", () => {
    expect(cancelVote(stateOf(spec), { at: new Date(at(1)), by: member })).toMatchObject({ ok: false, error: { code: "not-allowed" } });
  });

  it("a cancelled vote cannot be cancelled again", () => {
    const cancelled = cancelVote(stateOf(spec), { at: new Date(at(1)), by: maintainer });
    expect(cancelled.ok && cancelVote(cancelled.value, { at: new Date(at(2)), by: maintainer })).toMatchObject({
      ok: false,
      error: { code: "vote-not-open" },
    });
  });
});
