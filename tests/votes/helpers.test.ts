import { describe, expect, it } from "vitest";
import { renderTally } from "../../src/domain/consensus/index.js";
import type { CommentData, GitHubPort } from "../../src/github/port.js";
import { mentionsBallot, readBallotComments } from "../../src/handlers/votes/ballots.js";
import { mergeAgentWork } from "../../src/handlers/votes/deliberate.js";
import { replyKind } from "../../src/handlers/comments.js";
import { botComments } from "../../src/handlers/sticky.js";
import { renderMarker } from "../../src/domain/markers.js";
import { decisionLabelSpec } from "../../src/handlers/votes/labels.js";
import { sentence } from "../../src/domain/markdown.js";
import { votingDefaults } from "../../src/handlers/votes/open.js";
import { configSchema } from "../../src/config/schema.js";
import { fixedClock } from "../../tools/fixed-clock.js";
import { createRunContext, emptyReport } from "../../src/runtime/context.js";
import { silentLogger } from "../../src/shared/logger.js";
import { auditDecision, outcomeText } from "../../src/handlers/votes/outcome.js";
import { openVoteIn, voteBefore, votesIn } from "../../src/handlers/votes/store.js";
import { ballot, DEADLINE, makeSpec, stateOf, T0 } from "../consensus/fixtures.js";

const person = (login: string) => ({ login, type: "User" });
const bot = { login: "orkestra[bot]", type: "Bot" };

function comment(id: number, body: string, author = person("alice"), updatedAt = T0): CommentData {
  return { id, body, author, byOrkestra: author.type === "Bot", createdAt: T0, updatedAt };
}

const spec = makeSpec({ voterNames: ["@alice", "@bob", "claude"] });
const tally = comment(10, renderTally(stateOf(spec)), bot);

describe("finding votes", () => {
  it("reads tallies written by Orkestra only, oldest first, and the vote a comment belongs to", () => {
    const closed = { ...stateOf(spec), id: "1-5", phase: "closed" as const };
    const comments = [
      comment(5, renderTally(closed), bot),
      comment(7, renderTally(stateOf(spec)), person("mallory")),
      tally,
      comment(12, "/vote yes"),
    ];
    expect(votesIn(comments).map((vote) => vote.comment.id)).toEqual([5, 10]);
    expect(openVoteIn(comments)?.comment.id).toBe(10);
    expect(voteBefore(comments, 12)?.comment.id).toBe(10);
    expect(voteBefore(comments, 6)?.comment.id).toBe(5);
    expect(voteBefore(comments, 4)).toBeNull();
  });
});

describe("ballots from comments", () => {
  const readMixedComments = () => {
    const comments = [
      comment(9, "/vote yes"),
      tally,
      comment(11, "/vote yes\n\n/vote no -- changed my mind"),
      comment(12, "/vote yes", { login: "helper[bot]", type: "Bot" }),
      comment(13, "<!-- orkestra:reply-1 {} -->\n/vote yes", person("bob")),
      comment(14, "> /vote yes\n\nquoting", person("bob")),
      comment(15, "/vote maybe", person("bob")),
      comment(16, "/vote yes", person("rita")),
    ];
    return readBallotComments({ comment: tally, state: stateOf(spec) }, comments);
  };
  /** [comment id, the ballot's choice or the problem to answer] of each comment read. */
  const readMixed = () => readMixedComments().map((entry) => [entry.comment.id, entry.ballot?.choice ?? entry.problem]);

  it("the last /vote of a comment after the tally counts, with its reason", () => {
    expect(readMixed()[0]).toEqual([11, ["B"]]);
    expect(readMixedComments()[0]?.ballot?.reason).toBe("changed my mind");
  });

  it("comments before the tally, by bots, carrying a marker or only quoting a /vote are not read as ballots", () => {
    expect(readMixedComments().map((entry) => entry.comment.id)).toEqual([11, 15, 16]);
  });

  it("a /vote for an unknown option is read with the problem to answer", () => {
    expect(readMixed()[1]).toEqual([
      15,
      "“maybe” is not an option. Options: A “Yes”, B “No”.",
    ]);
  });

  it("a /vote from someone who is not a voter is read with the problem to answer", () => {
    expect(readMixed()[2]).toEqual([
      16,
      "@rita is not among the voters of this vote (alice, bob, claude); the ballot is not counted.",
    ]);
  });

  it("keeps the recorded ballot of an unchanged comment, and of one edited after the deadline", () => {
    const late = new Date(Date.parse(DEADLINE) + 60_000).toISOString();
    const recorded = ballot("@alice", "A", { sourceCommentId: 11, at: T0, round: 2 });
    const state = stateOf(spec, [recorded]);
    const unchanged = readBallotComments({ comment: tally, state }, [tally, comment(11, "/vote yes")]);
    expect(unchanged).toEqual([{ comment: comment(11, "/vote yes"), ballot: recorded, recorded: true }]);
    const editedLate = readBallotComments({ comment: tally, state }, [tally, comment(11, "/vote no", person("alice"), late)]);
    expect(editedLate[0]?.ballot).toEqual(recorded);
    const newLate = readBallotComments({ comment: tally, state }, [tally, comment(12, "/vote no", person("bob"), late)]);
    expect(newLate[0]?.problem).toBe("it was cast after the deadline");
  });

  it("knows which comments are ballots (for edits and deletions)", () => {
    expect(mentionsBallot("/vote yes")).toBe(true);
    expect(mentionsBallot("thanks!\n/vote B > A")).toBe(true);
    expect(mentionsBallot("```\n/vote yes\n```")).toBe(false);
    expect(mentionsBallot("/voter yes")).toBe(false);
    expect(mentionsBallot(null)).toBe(false);
  });
});

describe("merging a deliberation's work into the freshest tally", () => {
  const fresh = stateOf(spec, [ballot("claude", "A", { round: 1 }), ballot("@bob", "B", { sourceCommentId: 20 })]);
  const withCompromise = { ...spec, options: [...spec.options, { id: "C", label: "Later" }] };
  const mine = {
    ...stateOf(withCompromise, [ballot("claude", "C", { round: 2 })]),
    deliberation: { deadlock: { afterRound: 1, kind: "max-rounds" as const, reason: "x" } },
  };

  it("keeps both runs' agent ballots in a stable order", () => {
    const merged = mergeAgentWork(fresh, mine);
    expect(merged.ballots.map((entry) => `${entry.voter.id}@${entry.round}`)).toEqual(["claude@1", "claude@2", "bob@0"]);
  });

  it("keeps the compromise option this run added", () => {
    expect(mergeAgentWork(fresh, mine).spec.options.map((option) => option.id)).toEqual(["A", "B", "C"]);
  });

  it("keeps this run's deliberation notes", () => {
    expect(mergeAgentWork(fresh, mine).deliberation.deadlock?.afterRound).toBe(1);
  });

  it("leaves a tally closed meanwhile as it is", () => {
    const closed = { ...fresh, phase: "closed" as const };
    expect(mergeAgentWork(closed, mine)).toBe(closed);
  });
});

describe("outcomes", () => {
  const closed = (status: "passed" | "failed" | "no-quorum" | "deadlocked", winner?: string) => ({
    ...stateOf(spec),
    phase: "closed" as const,
    closed: { at: DEADLINE, by: null },
    result: {
      status,
      method: "majority" as const,
      rounds: [],
      participation: { eligible: 3, cast: 2, abstained: 0, quorum: 1, quorumMet: true, minParticipation: 0, participationMet: true },
      reason: "r",
      ...(winner ? { winner } : {}),
    },
  });

  it("labels each outcome with its own colour and description", () => {
    expect(decisionLabelSpec(closed("passed", "A"))).toEqual({ name: "decision:yes", color: "0e8a16", description: "Vote decided: Yes" });
    expect(decisionLabelSpec(closed("failed"))).toMatchObject({ name: "decision:none", color: "d93f0b" });
    expect(decisionLabelSpec(closed("no-quorum"))).toMatchObject({ name: "decision:no-quorum", color: "cfd3d7" });
    expect(decisionLabelSpec(closed("deadlocked"))).toMatchObject({ name: "decision:deadlocked", color: "b60205" });
    expect(decisionLabelSpec(stateOf(spec))).toBeNull();
  });

  it("writes one audit line per closing, keyed by the closing time", () => {
    expect(outcomeText(closed("passed", "B"))).toBe("passed: No");
    expect(auditDecision(closed("passed", "A"))).toEqual({
      at: DEADLINE,
      by: "orkestra",
      what: "vote closed: passed: Yes (majority)",
      why: "“Should we adopt Postgres?”, 2 of 3 voted",
    });
    expect(auditDecision(stateOf(spec))).toBeNull();
  });

  it("a core message that is a whole sentence keeps one full stop in a refusal, and a bare reason gains one", () => {
    expect(sentence("There is no open vote here. Open one (none for yes/no).")).toBe("There is no open vote here. Open one (none for yes/no).");
    expect(sentence("unknown agent ")).toBe("unknown agent.");
  });
});

describe("voting defaults", () => {
  it("use the top-level maintainers and an agent's own weight unless voting.weights names it", () => {
    const config = configSchema.parse({
      agents: { claude: { weight: 2 }, gemini: { weight: 5 } },
      voting: { weights: { gemini: 3, "@alice": 0.5 } },
      maintainers: ["@boss", "org/leads"],
    });
    const services = { github: {} as GitHubPort, clock: fixedClock(T0), log: silentLogger, dryRun: false, repoPrivate: false, env: {} };
    const defaults = votingDefaults(createRunContext(services, config, emptyReport()));
    expect(defaults.weights).toEqual({ claude: 2, gemini: 3, "@alice": 0.5 });
    expect(defaults.maintainers).toEqual(["boss", "org/leads"]);
  });
});

describe("the reply to an edited ballot", () => {
  it("is the one reply the command handler keeps per comment, found by the same kind", () => {
    const reply = comment(50, `${renderMarker("reply-42", { to: 42 })}\n😕 not counted`, bot);
    expect(botComments([reply, comment(51, "/vote yes")], replyKind(42))).toEqual([reply]);
  });
});
