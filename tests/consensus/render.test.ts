import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compactState, METADATA_BUDGET } from "../../src/domain/consensus/compact.js";
import { nextStep, recordStep } from "../../src/domain/consensus/deliberation.js";
import { auditLine, decisionLabel, parseVoteComment, renderEscalation, renderTally } from "../../src/domain/consensus/render.js";
import { cancelVote, closeVote } from "../../src/domain/consensus/state.js";
import type { VoteState } from "../../src/domain/consensus/types.js";
import { RUNS, voteStateArb } from "./arbitraries.js";
import { DEADLINE, at, ballot, election, makeSpec, stateOf } from "./fixtures.js";

/** The part people see: everything after the marker line. */
function visible(body: string): string {
  return body.slice(body.indexOf("-->") + 3);
}

describe("renderTally", () => {
  const spec = makeSpec({ labels: ["Postgres", "MySQL"], voterNames: ["claude", "@alice", "@bob"] });
  const state = stateOf(spec, [
    ballot("claude", "A", { round: 1, reason: "Mature | proven\nand fast" }),
    ballot("@alice", "abstain", { sourceCommentId: 5 }),
  ]);
  const body = renderTally(state);

  it("shows the question, options, ballots with one-line reasons, running result, participation and deadline", () => {
    expect(body).toContain("### 🗳️ Vote: Should we adopt Postgres?");
    expect(body).toContain("| **A** | Postgres |");
    expect(body).toContain("| claude (agent) | A Postgres | Mature \\| proven and fast |");
    expect(body).toContain("| @\u200balice | _abstain_ |  |");
    expect(body).toContain("Not voted yet: @\u200bbob");
    expect(body).toContain("**Participation:** 2 of 3 voted (1 abstained); quorum 1 ✅ met");
    expect(body).toContain("**Deadline:** 2026-11-22 12:00 UTC");
    expect(body).toContain("#### Result (running)\n**If it closed now: passed, Postgres.** Postgres has 1 of 1 votes (100%), more than half.");
    expect(body).toContain("- Round 1 of 3: Postgres 1 (100%)");
    expect(body).toContain("`/vote <option>`");
  });

  it("carries the whole state in its marker", () => {
    expect(parseVoteComment(body)).toEqual(state);
  });

  it("marks the tally final when closed, and shows instant run-off rounds", () => {
    const tn = election(["Memphis", "Nashville", "Chattanooga", "Knoxville"], [
      [42, "A>B>C>D"],
      [26, "B>C>D>A"],
      [15, "C>D>B>A"],
      [17, "D>C>B>A"],
    ]);
    const closed = closeVote(stateOf(tn.spec, tn.ballots), { at: new Date(DEADLINE), by: "deadline" });
    if (!closed.ok) throw new Error(closed.error.message);
    const text = renderTally(closed.value);
    expect(text).toContain("**Closed** at the deadline on 2026-11-22 12:00 UTC. This tally is final.");
    expect(text).toContain("#### Result (final)\n**Passed: Knoxville.**");
    expect(text).toContain("| Option | Round 1 | Round 2 | Round 3 |");
    expect(text).toContain("| C Chattanooga | 15 ✖ |  |  |");
    expect(text).toContain("| D Knoxville | 17 | 32 | 58 |");
    expect(text).not.toContain("/close-vote");
    expect(decisionLabel(closed.value)).toBe("decision:knoxville");
    expect(auditLine(closed.value)).toBe("Vote “Should we adopt Postgres?” closed: passed — Knoxville (ranked, 100 of 100 voted).");
  });

  it("shows a cancelled vote without a result", () => {
    const cancelled = cancelVote(state, { at: new Date(at(30)), by: { login: "alice", isMaintainer: false } });
    if (!cancelled.ok) throw new Error(cancelled.error.message);
    const text = renderTally(cancelled.value);
    expect(text).toContain("**Cancelled** by @\u200balice on 2026-11-20 12:30 UTC.");
    expect(text).toContain("_None: the vote was cancelled._");
    expect(decisionLabel(cancelled.value)).toBeNull();
    expect(auditLine(cancelled.value)).toBe("Vote “Should we adopt Postgres?” cancelled by @\u200balice.");
  });

  it("shows deadlock, compromise and escalation in the deliberation section", () => {
    const agents = makeSpec({ labels: ["A1", "B1"], voterNames: ["claude", "gemini"] });
    let s = stateOf(agents, [
      ballot("claude", "A", { round: 1, at: at(1) }),
      ballot("gemini", "B", { round: 1, at: at(1) }),
      ballot("claude", "A", { round: 2, at: at(2) }),
      ballot("gemini", "B", { round: 2, at: at(2) }),
    ]);
    s = recordStep(s, nextStep(s));
    s = { ...s, deliberation: { ...s.deliberation, compromiseFailed: { by: "claude", reason: "no answer" } } };
    s = recordStep(s, nextStep(s));
    const text = renderTally(s);
    expect(text).toContain("- Deadlocked after round 2: Rounds 1 and 2 ended with the same split");
    expect(text).toContain("- No compromise from claude: no answer");
    expect(text).toContain("- Escalated to the maintainers: No compromise was found: no answer");
    const closed = closeVote(s, { at: new Date(DEADLINE), by: "deadline" });
    expect(closed.ok && decisionLabel(closed.value)).toBe("decision:deadlocked");
  });

  it.each([
    ["Ship it!", "decision:ship-it"],
    ["Café au lait", "decision:cafe-au-lait"],
    ["日本語", "decision:option-a"],
    ["x".repeat(60), `decision:${"x".repeat(40)}`],
  ])("decision label for “%s”", (label, expected) => {
    const s: VoteState = {
      ...stateOf(makeSpec({ labels: [label, "Other"] })),
      phase: "closed",
      result: { status: "passed", method: "majority", winner: "A", rounds: [], reason: "", participation: { eligible: 1, cast: 1, abstained: 0, quorum: 1, quorumMet: true, minParticipation: 0, participationMet: true } },
    };
    expect(decisionLabel(s)).toBe(expected);
  });

  it("the escalation comment mentions the maintainers on purpose, and nobody else", () => {
    const s = stateOf(makeSpec({ maintainers: ["boss", "lead"], question: "Ask @everyone?" }));
    const text = renderEscalation(s, "Rounds 1 and 2 ended with the same split.");
    expect(text.startsWith("@boss @lead: the vote “Ask @\u200beveryone?” is deadlocked.")).toBe(true);
    expect(text).toContain("`/close-vote <option>`");
    expect(renderEscalation(stateOf(makeSpec({ maintainers: [] })), "x")).toContain("none are configured");
  });

  it("ignores markers that are not votes or do not validate", () => {
    expect(parseVoteComment("<!-- orkestra:task {\"v\":1} -->")).toBeNull();
    expect(parseVoteComment("<!-- orkestra:vote {\"v\":2} -->")).toBeNull();
    expect(parseVoteComment("<!-- orkestra:vote {broken -->")).toBeNull();
    expect(parseVoteComment(null)).toBeNull();
  });
});

describe("properties of the tally comment", () => {
  it("round trip: parseVoteComment(renderTally(state)) is the (compacted) state", () => {
    fc.assert(
      fc.property(voteStateArb, (state) => {
        expect(parseVoteComment(renderTally(state))).toEqual(compactState(state));
        expect(compactState(state)).toBe(state);
      }),
      { ...RUNS, numRuns: 200 },
    );
  });

  it("no accidental mentions: every @ in the visible text is defused", () => {
    fc.assert(
      fc.property(voteStateArb, (state) => {
        expect(visible(renderTally(state))).not.toMatch(/@(?!\u200b)[A-Za-z0-9]/);
      }),
      { ...RUNS, numRuns: 200 },
    );
  });

  it("table rows keep their columns: user text never adds or removes a cell", () => {
    fc.assert(
      fc.property(voteStateArb, (state) => {
        const lines = visible(renderTally(state)).split("\n");
        const cells = (line: string) => line.replace(/\\\\/g, "").split(/(?<!\\)\|/).length;
        for (const [header, width] of [["| Voter | Ballot | Reason |", 5], ["| | Option |", 4]] as const) {
          const start = lines.indexOf(header);
          if (start < 0) continue;
          for (let i = start; i < lines.length && lines[i]!.startsWith("|"); i++) expect(cells(lines[i]!)).toBe(width);
        }
      }),
      { ...RUNS, numRuns: 200 },
    );
  });

  it("the visible text never opens or closes an HTML comment", () => {
    fc.assert(
      fc.property(voteStateArb, (state) => {
        const text = visible(renderTally(state));
        expect(text).not.toMatch(/(?<!\\)<!--/);
        expect(text).not.toContain("-->");
      }),
      { ...RUNS, numRuns: 200 },
    );
  });
});

describe("compactState keeps a big vote inside one comment", () => {
  it("drops history, never a ballot that counts, and fits GitHub's 65,536 characters", () => {
    const voters = Array.from({ length: 50 }, (_, i) => `@p${i}`);
    const spec = makeSpec({ voterNames: voters, labels: ["Yes", "No"] });
    const long = "a reason that goes on ".repeat(14).slice(0, 300);
    const ballots = voters.flatMap((name, i) =>
      Array.from({ length: 6 }, (_, k) => ballot(name, k % 2 ? "A" : "B", { at: at(k), sourceCommentId: i * 10 + k + 1, reason: long })),
    );
    const state = stateOf(spec, ballots);
    expect(JSON.stringify(state).length).toBeGreaterThan(METADATA_BUDGET);
    const body = renderTally(state);
    expect(body.length).toBeLessThan(65_536);
    const back = parseVoteComment(body)!;
    expect(JSON.stringify(back).length).toBeLessThanOrEqual(METADATA_BUDGET);
    const effective = (s: VoteState) => s.ballots.filter((b) => b.sourceCommentId! % 10 === 6).map((b) => [b.voter.id, b.choice]);
    expect(effective(back)).toEqual(effective(state));
    expect(back.ballots.filter((b) => b.sourceCommentId! % 10 === 6).every((b) => b.reason !== undefined)).toBe(true);
  });
});
