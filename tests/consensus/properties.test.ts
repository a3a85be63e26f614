/**
 * Properties that truly hold for each method, checked with fast-check (fixed seed).
 * Each test is named after the property; where a property holds only under a condition
 * (neutrality of instant run-off needs profiles whose count never falls back to list
 * order), the condition is in the name and enforced with fc.pre.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/domain/consensus/evaluate.js";
import { count } from "../../src/domain/consensus/methods/index.js";
import { resolveBallots } from "../../src/domain/consensus/tally.js";
import type { Ballot, Method, VoteResult } from "../../src/domain/consensus/types.js";
import { RUNS, electionArb, realize } from "./arbitraries.js";
import type { Election } from "./arbitraries.js";

const ALL: Method[] = ["unanimous", "supermajority", "majority", "plurality", "ranked", "weighted"];
const THRESHOLD_METHODS: Method[] = ["unanimous", "supermajority", "majority", "plurality", "weighted"];

function decision(result: VoteResult) {
  return { status: result.status, winner: result.winner, tie: result.tie };
}

function usedListOrder(result: VoteResult): boolean {
  return result.rounds.some((round) => round.tieBreak?.rule === "option-order");
}

function firstChoices(ballots: readonly Ballot[]): string[] {
  return ballots.flatMap((b) => (b.choice === "abstain" ? [] : [b.choice[0]!]));
}

describe("anonymity: which voter cast which ballot does not matter", () => {
  it.each(ALL)("%s: permuting voters (with their weights) leaves the whole result unchanged", (method) => {
    fc.assert(
      fc.property(
        electionArb(method).chain((e) =>
          fc.record({ e: fc.constant(e), order: fc.shuffledSubarray([...e.casts.keys()], { minLength: e.casts.length }) }),
        ),
        ({ e, order }) => {
          const permuted: Election = {
            ...e,
            casts: order.map((i) => e.casts[i]!),
            weights: order.map((i) => e.weights[i]!),
          };
          const a = realize(e);
          const b = realize(permuted);
          expect(evaluate(b.spec, b.ballots)).toEqual(evaluate(a.spec, a.ballots));
        },
      ),
      RUNS,
    );
  });
});

describe("neutrality: renaming the options renames the winner", () => {
  const renamed = (e: Election, perm: string[]): Election => {
    const map = new Map(e.optionIds.map((id, i) => [id, perm[i]!]));
    return { ...e, casts: e.casts.map((c) => (c === null || c === "abstain" ? c : c.map((id) => map.get(id)!))) };
  };
  const arb = (method: Method, voters: [number, number]) =>
    electionArb(method, { voters }).chain((e) =>
      fc.record({ e: fc.constant(e), perm: fc.shuffledSubarray(e.optionIds, { minLength: e.optionIds.length }) }),
    );

  it.each(THRESHOLD_METHODS)("%s: every profile (ties decide nothing, so no tie favours an option)", (method) => {
    fc.assert(
      fc.property(arb(method, [1, 9]), ({ e, perm }) => {
        const map = new Map(e.optionIds.map((id, i) => [id, perm[i]!]));
        const a = realize(e);
        const b = realize(renamed(e, perm));
        const before = evaluate(a.spec, a.ballots);
        const after = evaluate(b.spec, b.ballots);
        expect(after.status).toBe(before.status);
        expect(after.winner).toBe(before.winner === undefined ? undefined : map.get(before.winner));
        expect([...(after.tie ?? [])].sort()).toEqual((before.tie ?? []).map((id) => map.get(id)).sort());
      }),
      RUNS,
    );
  });

  it("ranked: profiles whose count never eliminates by list order (tie-break rule 3)", () => {
    fc.assert(
      fc.property(arb("ranked", [5, 15]), ({ e, perm }) => {
        const a = realize(e);
        const before = evaluate(a.spec, a.ballots);
        fc.pre(!usedListOrder(before));
        const map = new Map(e.optionIds.map((id, i) => [id, perm[i]!]));
        const b = realize(renamed(e, perm));
        const after = evaluate(b.spec, b.ballots);
        expect(usedListOrder(after)).toBe(false);
        expect(after.status).toBe(before.status);
        expect(after.winner).toBe(before.winner === undefined ? undefined : map.get(before.winner));
      }),
      RUNS,
    );
  });
});

describe("unanimity: when every non-abstaining ballot puts X first, X wins", () => {
  it.each(ALL)("%s", (method) => {
    fc.assert(
      fc.property(electionArb(method, { weights: [1, 3] }), (e) => {
        const { spec, ballots } = realize(e);
        const firsts = new Set(firstChoices(ballots));
        fc.pre(firsts.size === 1);
        expect(decision(evaluate(spec, ballots))).toEqual({ status: "passed", winner: [...firsts][0], tie: undefined });
      }),
      RUNS,
    );
  });
});

describe("majority criterion: an option first on more than half of the ballots wins", () => {
  it.each(["ranked", "plurality", "majority"] as const)("%s", (method) => {
    fc.assert(
      fc.property(electionArb(method, { voters: [1, 12], options: [2, 4] }), (e) => {
        const { spec, ballots } = realize(e);
        const firsts = firstChoices(ballots);
        const top = e.optionIds.find((id) => firsts.filter((f) => f === id).length * 2 > firsts.length);
        fc.pre(top !== undefined);
        expect(evaluate(spec, ballots)).toMatchObject({ status: "passed", winner: top });
      }),
      RUNS,
    );
  });
});

describe("instant run-off criteria", () => {
  /** Ballot prefers x to y: ranks x, and y lower or not at all. */
  const prefers = (b: Ballot, x: string, y: string): boolean => {
    if (b.choice === "abstain") return false;
    const ix = b.choice.indexOf(x);
    const iy = b.choice.indexOf(y);
    return ix >= 0 && (iy < 0 || ix < iy);
  };

  it("Condorcet loser criterion: an option beaten head-to-head by every other option never wins", () => {
    fc.assert(
      fc.property(electionArb("ranked", { voters: [3, 15], options: [3, 5] }), (e) => {
        const { spec, ballots } = realize(e);
        const loser = e.optionIds.find((l) =>
          e.optionIds.every(
            (y) => y === l || ballots.filter((b) => prefers(b, y, l)).length > ballots.filter((b) => prefers(b, l, y)).length,
          ),
        );
        fc.pre(loser !== undefined);
        expect(count(spec, ballots).winner).not.toBe(loser);
      }),
      RUNS,
    );
  });

  it("Pareto: if no ballot ranks Y above X, Y does not win", () => {
    fc.assert(
      fc.property(electionArb("ranked", { voters: [1, 12], options: [2, 5] }), fc.nat(), fc.nat(), (e, i, j) => {
        const x = e.optionIds[i % e.optionIds.length]!;
        const y = e.optionIds[j % e.optionIds.length]!;
        fc.pre(x !== y);
        // Rewrite each ballot so that X comes before Y wherever Y is ranked.
        const casts = e.casts.map((c) => {
          if (c === null || c === "abstain" || !c.includes(y)) return c;
          if (!c.includes(x)) return c.map((id) => (id === y ? x : id));
          const [ix, iy] = [c.indexOf(x), c.indexOf(y)];
          return ix < iy ? c : c.map((id) => (id === x ? y : id === y ? x : id));
        });
        const { spec, ballots } = realize({ ...e, casts });
        expect(count(spec, ballots).winner).not.toBe(y);
      }),
      RUNS,
    );
  });
});

describe("monotonicity: raising the winner on a ballot never makes it lose (not IRV: see ranked.test.ts)", () => {
  it.each(THRESHOLD_METHODS)("%s", (method) => {
    fc.assert(
      fc.property(electionArb(method), fc.nat(), (e, pick) => {
        const { spec, ballots } = realize(e);
        const before = evaluate(spec, ballots);
        fc.pre(before.status === "passed" && before.winner !== undefined);
        const cast = e.casts.map((c, i) => [c, i] as const).filter(([c]) => c !== null);
        const [, index] = cast[pick % cast.length]!;
        const raised = realize({ ...e, casts: e.casts.map((c, i) => (i === index ? [before.winner!] : c)) });
        expect(evaluate(raised.spec, raised.ballots)).toMatchObject({ status: "passed", winner: before.winner });
      }),
      RUNS,
    );
  });
});

describe("monotonic thresholds: raising the supermajority threshold can only turn a pass into a fail", () => {
  it("supermajority", () => {
    fc.assert(
      fc.property(
        electionArb("supermajority"),
        fc.double({ min: 0.5001, max: 1, noNaN: true }),
        fc.double({ min: 0.5001, max: 1, noNaN: true }),
        (e, t1, t2) => {
          const [low, high] = t1 <= t2 ? [t1, t2] : [t2, t1];
          const atLow = realize(e, { threshold: low });
          const atHigh = realize(e, { threshold: high });
          const lower = evaluate(atLow.spec, atLow.ballots);
          const higher = evaluate(atHigh.spec, atHigh.ballots);
          if (higher.status === "passed") expect(decision(lower)).toEqual(decision(higher));
          if (lower.status !== "passed") expect(higher.status).toBe(lower.status);
        },
      ),
      RUNS,
    );
  });
});

describe("weighted with equal weights is majority", () => {
  it("same decision, tallies scaled by the weight", () => {
    fc.assert(
      fc.property(electionArb("weighted"), fc.integer({ min: 1, max: 5 }), (e, w) => {
        const equal = { ...e, weights: e.weights.map(() => w) };
        const weighted = realize(equal);
        const majority = realize({ ...equal, method: "majority" });
        const a = evaluate(weighted.spec, weighted.ballots);
        const b = evaluate(majority.spec, majority.ballots);
        expect(decision(a)).toEqual(decision(b));
        const scaled = Object.fromEntries(Object.entries(b.rounds[0]!.tallies).map(([id, n]) => [id, n * w]));
        expect(a.rounds[0]!.tallies).toEqual(scaled);
      }),
      RUNS,
    );
  });
});

describe("quorum monotonicity", () => {
  it.each(ALL)("%s: a higher quorum or participation share never turns no-quorum into a decision", (method) => {
    fc.assert(
      fc.property(
        electionArb(method),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (e, q1, q2, p1, p2) => {
          const lowQ = Math.min(q1, q2);
          const lowP = Math.min(p1, p2);
          const low = realize(e, { quorum: lowQ, minParticipation: lowP });
          const high = realize(e, { quorum: Math.max(q1, q2), minParticipation: Math.max(p1, p2) });
          if (evaluate(low.spec, low.ballots).status === "no-quorum") {
            expect(evaluate(high.spec, high.ballots).status).toBe("no-quorum");
          }
        },
      ),
      RUNS,
    );
  });

  it.each(ALL)("%s: one more ballot (even an abstention) never loses a quorum that was met", (method) => {
    fc.assert(
      fc.property(electionArb(method), fc.integer({ min: 1, max: 9 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(), (e, quorum, share, pick) => {
        const silent = e.casts.flatMap((c, i) => (c === null ? [i] : []));
        fc.pre(silent.length > 0);
        const who = silent[pick % silent.length]!;
        const before = realize(e, { quorum, minParticipation: share });
        const after = realize({ ...e, casts: e.casts.map((c, i) => (i === who ? "abstain" : c)) }, { quorum, minParticipation: share });
        const p0 = evaluate(before.spec, before.ballots).participation;
        const p1 = evaluate(after.spec, after.ballots).participation;
        if (p0.quorumMet) expect(p1.quorumMet).toBe(true);
        if (p0.participationMet) expect(p1.participationMet).toBe(true);
      }),
      RUNS,
    );
  });
});

describe("the latest ballot counts, whatever order ballots were recorded in", () => {
  it("resolveBallots is independent of recording order", () => {
    const ballotArb = fc.record({
      voter: fc.constantFrom("a", "b", "c"),
      choice: fc.constantFrom("A", "B", "abstain"),
      minute: fc.integer({ min: 0, max: 5 }),
      comment: fc.integer({ min: 1, max: 10_000 }),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(ballotArb, { maxLength: 10, selector: (b) => `${b.minute}/${b.comment}` }),
        fc.infiniteStream(fc.nat()),
        (raw, randomness) => {
          const { spec } = realize({ method: "majority", optionIds: ["A", "B"], casts: [null, null, null], weights: [1, 1, 1] });
          const people = { ...spec, voters: ["a", "b", "c"].map((id) => ({ id, kind: "person" as const })) };
          const ballots: Ballot[] = raw.map((b) => ({
            voter: { id: b.voter, kind: "person" },
            choice: b.choice === "abstain" ? "abstain" : [b.choice],
            round: 0,
            at: new Date(Date.UTC(2026, 10, 20, 12, b.minute)).toISOString(),
            sourceCommentId: b.comment,
          }));
          const shuffled = [...ballots].sort(() => (randomness.next().value % 3) - 1);
          expect(resolveBallots(people, shuffled).effective).toEqual(resolveBallots(people, ballots).effective);
        },
      ),
      RUNS,
    );
  });
});
