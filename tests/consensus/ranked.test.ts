import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/domain/consensus/evaluate.js";
import { countRanked } from "../../src/domain/consensus/methods/ranked.js";
import { election } from "./fixtures.js";

describe("ranked choice (instant run-off): published example elections", () => {
  it("Tennessee capital: Knoxville wins in round 3 (Wikipedia, “Instant-runoff voting”, Tennessee example)", () => {
    // 42% Memphis > Nashville > Chattanooga > Knoxville; 26% Nashville > Chattanooga > Knoxville > Memphis;
    // 15% Chattanooga > Knoxville > Nashville > Memphis; 17% Knoxville > Chattanooga > Nashville > Memphis.
    const { spec, ballots } = election(
      ["Memphis", "Nashville", "Chattanooga", "Knoxville"],
      [
        [42, "A>B>C>D"],
        [26, "B>C>D>A"],
        [15, "C>D>B>A"],
        [17, "D>C>B>A"],
      ],
    );
    const outcome = countRanked(spec, ballots);
    expect(outcome.winner).toBe("D");
    expect(outcome.rounds.map((r) => r.tallies)).toEqual([
      { A: 42, B: 26, C: 15, D: 17 },
      { A: 42, B: 26, D: 32 },
      { A: 42, D: 58 },
    ]);
    expect(outcome.rounds.map((r) => r.eliminated)).toEqual([["C"], ["B"], undefined]);
    expect(outcome.reason).toBe("Knoxville wins in round 3 with 58 of 100 ballots still in the count (58%), more than half.");
  });

  it("Tannenbaum's non-monotonicity example: C wins, then loses after gaining first places", () => {
    // P. Tannenbaum, Excursions in Modern Mathematics (instant run-off chapter), as used in Duke's
    // Discrete Models course, Fall 2022: 7 A>B>C, 8 B>C>A, 10 C>A>B, 4 A>C>B.
    const before = election(["A", "B", "C"], [
      [7, "A>B>C"],
      [8, "B>C>A"],
      [10, "C>A>B"],
      [4, "A>C>B"],
    ]);
    const first = countRanked(before.spec, before.ballots);
    expect(first.rounds.map((r) => r.tallies)).toEqual([{ A: 11, B: 8, C: 10 }, { A: 11, C: 18 }]);
    expect(first.winner).toBe("C");

    // The four A>C>B voters move C to the top: C loses. IRV is not monotonic, so the
    // property tests check monotonicity only for the other methods.
    const after = election(["A", "B", "C"], [
      [7, "A>B>C"],
      [8, "B>C>A"],
      [10, "C>A>B"],
      [4, "C>A>B"],
    ]);
    const second = countRanked(after.spec, after.ballots);
    expect(second.rounds.map((r) => r.tallies)).toEqual([{ A: 7, B: 8, C: 14 }, { B: 15, C: 14 }]);
    expect(second.winner).toBe("B");
  });

  it("Introduction to Electoral Systems §3.10 (pierzgal.github.io): C wins in round 3 with 8 of 14", () => {
    const { spec, ballots } = election(["A", "B", "C", "D"], [
      [4, "A>B>C>D"],
      [2, "B>A>C>D"],
      [1, "B>C>A>D"],
      [2, "D>C>A>B"],
      [5, "C>B>A>D"],
    ]);
    const outcome = countRanked(spec, ballots);
    expect(outcome.rounds.map((r) => r.tallies)).toEqual([
      { A: 4, B: 3, C: 5, D: 2 },
      { A: 4, B: 3, C: 7 },
      { A: 6, C: 8 },
    ]);
    expect(outcome.winner).toBe("C");
  });
});

describe("ranked choice: rules of the count", () => {
  it("a first-round majority wins at once", () => {
    const { spec, ballots } = election(["A", "B", "C"], [
      [3, "A"],
      [1, "B>A"],
      [1, "C"],
    ]);
    const outcome = countRanked(spec, ballots);
    expect(outcome.rounds).toHaveLength(1);
    expect(outcome.reason).toBe("A is the first choice on 3 of 5 ballots still in the count (60%), more than half.");
  });

  it("exhausted ballots leave the count: the majority is of ballots still counting", () => {
    const { spec, ballots } = election(["A", "B", "C"], [
      [5, "A"],
      [4, "B"],
      [2, "C"],
    ]);
    const outcome = countRanked(spec, ballots);
    expect(outcome.rounds[1]).toMatchObject({ tallies: { A: 5, B: 4 }, exhausted: 2 });
    expect(outcome.winner).toBe("A");
  });

  it("options without a vote are all dropped in one round", () => {
    const { spec, ballots } = election(["A", "B", "C", "D", "E"], [
      [3, "A"],
      [2, "B>C"],
      [2, "C"],
    ]);
    const outcome = countRanked(spec, ballots);
    expect(outcome.rounds[0]?.eliminated).toEqual(["D", "E"]);
    expect(outcome.rounds[0]?.tieBreak).toBeUndefined();
  });

  it("tie-break 1: fewer votes in the earliest round where the tied options differ", () => {
    // Round 2 ties B and C at 3; in round 1 C had 2 and B had 3, so C goes.
    const { spec, ballots } = election(["A", "B", "C", "D"], [
      [5, "A"],
      [3, "B"],
      [2, "C>A"],
      [1, "D>C"],
    ]);
    const outcome = countRanked(spec, ballots);
    expect(outcome.rounds[1]).toMatchObject({
      tallies: { A: 5, B: 3, C: 3 },
      eliminated: ["C"],
      tieBreak: { among: ["B", "C"], rule: "earliest-round" },
    });
    expect(outcome.winner).toBe("A");
  });

  it("tie-break 2: fewer ballots ranking the option anywhere", () => {
    // B and C tie at 2 in the only round; B is ranked on 6 ballots, C on 2.
    const { spec, ballots } = election(["A", "B", "C"], [
      [4, "A>B"],
      [2, "B"],
      [2, "C"],
    ]);
    const outcome = countRanked(spec, ballots);
    expect(outcome.rounds[0]).toMatchObject({ eliminated: ["C"], tieBreak: { among: ["B", "C"], rule: "fewest-mentions" } });
    expect(outcome.winner).toBe("A");
  });

  it("tie-break 3: still tied, the option listed last is eliminated", () => {
    const { spec, ballots } = election(["A", "B", "C"], [
      [3, "A"],
      [2, "B"],
      [2, "C"],
    ]);
    const outcome = countRanked(spec, ballots);
    expect(outcome.rounds[0]).toMatchObject({ eliminated: ["C"], tieBreak: { among: ["B", "C"], rule: "option-order" } });
  });

  it("list order never picks the winner: a tie among every remaining option ends with no decision", () => {
    const { spec, ballots } = election(["A", "B"], [
      [2, "A"],
      [2, "B"],
    ]);
    const result = evaluate(spec, ballots);
    expect(result.status).toBe("failed");
    expect(result.tie).toEqual(["A", "B"]);
    expect(result.reason).toBe("Round 1 ends in a tie between A and B that no tie-break rule resolves; no decision.");
  });

  it("a final two tied now but not earlier is decided by the earlier round", () => {
    // Round 2: A 3, B 3. Round 1: A 3, B 2, so B goes and A wins.
    const { spec, ballots } = election(["A", "B", "C"], [
      [3, "A"],
      [2, "B"],
      [1, "C>B"],
    ]);
    const outcome = countRanked(spec, ballots);
    expect(outcome.rounds[1]).toMatchObject({ tallies: { A: 3, B: 3 }, eliminated: ["B"] });
    expect(outcome.winner).toBe("A");
  });

  it("every ballot abstaining decides nothing", () => {
    const { spec, ballots } = election(["A", "B"], [[3, "abstain"]]);
    const outcome = countRanked(spec, ballots);
    expect(outcome.winner).toBeUndefined();
    expect(outcome.reason).toBe("No votes for any option (everyone abstained).");
  });
});
