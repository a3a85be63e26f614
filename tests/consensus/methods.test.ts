import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/domain/consensus/evaluate.js";
import { count } from "../../src/domain/consensus/methods/index.js";
import type { Method } from "../../src/domain/consensus/types.js";
import { ballot, election, makeSpec } from "./fixtures.js";

const yesNoVoters = ["@a", "@b", "@c", "@d", "@e", "@f"];

/** Ballots `["A", "B", "abstain"]` cast by @a, @b, @c… in turn. */
function run(method: Method, choices: string[], extra: Parameters<typeof makeSpec>[0] = {}) {
  const spec = makeSpec({ method, voterNames: yesNoVoters, ...extra });
  const ballots = choices.map((choice, i) => ballot(yesNoVoters[i]!, choice));
  return evaluate(spec, ballots);
}

describe("unanimous", () => {
  it.each([
    { name: "all agree", choices: ["A", "A", "A"], status: "passed", winner: "A" },
    { name: "abstentions do not break unanimity", choices: ["B", "abstain", "B"], status: "passed", winner: "B" },
    { name: "one dissent fails it", choices: ["A", "A", "B"], status: "failed", winner: undefined },
    { name: "everyone abstaining decides nothing", choices: ["abstain", "abstain"], status: "failed", winner: undefined },
  ])("$name", ({ choices, status, winner }) => {
    const result = run("unanimous", choices);
    expect(result.status).toBe(status);
    expect(result.winner).toBe(winner);
  });

  it("explains a failure with the split", () => {
    expect(run("unanimous", ["A", "A", "B"]).reason).toBe("Not unanimous: Yes 2 (66.7%), No 1 (33.3%).");
  });
});

describe("supermajority", () => {
  it.each([
    { name: "exactly 75% passes (≥)", choices: ["A", "A", "A", "B"], threshold: 0.75, status: "passed" },
    { name: "two thirds misses 75%", choices: ["A", "A", "B"], threshold: 0.75, status: "failed" },
    { name: "exactly 2/3 meets a 2/3 threshold despite floating point", choices: ["A", "A", "B"], threshold: 2 / 3, status: "passed" },
    { name: "abstentions are not in the denominator", choices: ["A", "A", "A", "abstain", "abstain", "B"], threshold: 0.75, status: "passed" },
    { name: "a unanimous No carries No", choices: ["B", "B"], threshold: 0.9, status: "passed" },
  ])("$name", ({ choices, threshold, status }) => {
    expect(run("supermajority", choices, { threshold }).status).toBe(status);
  });

  it("states the share and the rule", () => {
    expect(run("supermajority", ["A", "A", "A", "B"]).reason).toBe("Yes has 3 of 4 votes (75%), at least 75%.");
  });
});

describe("majority", () => {
  it.each([
    { name: "3 of 5 passes", choices: ["A", "A", "A", "B", "B"], status: "passed", winner: "A" },
    { name: "exactly half is not a majority", choices: ["A", "A", "B", "B"], status: "failed", winner: undefined },
    { name: "abstentions are left out of the share", choices: ["A", "abstain", "abstain", "B", "A"], status: "passed", winner: "A" },
  ])("$name", ({ choices, status, winner }) => {
    const result = run("majority", choices);
    expect(result.status).toBe(status);
    expect(result.winner).toBe(winner);
  });

  it("with three options, a plurality short of half fails", () => {
    const spec = makeSpec({ labels: ["Postgres", "MySQL", "SQLite"], voterNames: yesNoVoters });
    const ballots = ["A", "A", "B", "B", "C"].map((c, i) => ballot(yesNoVoters[i]!, c));
    const result = evaluate(spec, ballots);
    expect(result.status).toBe("failed");
    expect(result.reason).toBe("No option has more than half of the votes: Postgres 2 (40%), MySQL 2 (40%), SQLite 1 (20%).");
  });
});

describe("plurality", () => {
  it("Tennessee example: Memphis wins a plurality with 42% (Wikipedia, “Plurality voting”)", () => {
    const { spec, ballots } = election(
      ["Memphis", "Nashville", "Chattanooga", "Knoxville"],
      [
        [42, "A>B>C>D"],
        [26, "B>C>D>A"],
        [15, "C>D>B>A"],
        [17, "D>C>B>A"],
      ],
      { method: "plurality" },
    );
    const result = evaluate(spec, ballots);
    expect(result.status).toBe("passed");
    expect(result.winner).toBe("A");
    expect(result.rounds[0]?.tallies).toEqual({ A: 42, B: 26, C: 15, D: 17 });
  });

  it("a tie for the most decides nothing and names the tied options", () => {
    const spec = makeSpec({ method: "plurality", labels: ["X", "Y", "Z"], voterNames: yesNoVoters });
    const result = evaluate(spec, ["A", "B", "C", "A", "B"].map((c, i) => ballot(yesNoVoters[i]!, c)));
    expect(result.status).toBe("failed");
    expect(result.tie).toEqual(["A", "B"]);
    expect(result.reason).toBe("Tie for the most votes between X and Y (2 each); no decision.");
  });
});

describe("weighted", () => {
  const voterNames = ["claude", "gemini", "@alice"];
  const weighted = (weights: Record<string, number>, choices: string[]) =>
    evaluate(
      makeSpec({ method: "weighted", voterNames, weights }),
      choices.map((c, i) => ballot(voterNames[i]!, c)),
    );

  it.each<{ name: string; weights: Record<string, number>; choices: string[]; status: string; winner: string | undefined }>([
    { name: "a heavy agent alone makes half, not more", weights: { claude: 2 }, choices: ["A", "B", "B"], status: "failed", winner: undefined },
    { name: "weight 3 against 2 carries", weights: { claude: 3 }, choices: ["A", "B", "B"], status: "passed", winner: "A" },
    { name: "fractional weights", weights: { claude: 0.5, gemini: 0.25, "@alice": 0.3 }, choices: ["A", "B", "B"], status: "passed", winner: "B" },
    { name: "zero weight is an advisory ballot", weights: { claude: 0, gemini: 0 }, choices: ["A", "A", "B"], status: "passed", winner: "B" },
    { name: "no weight at all decides nothing", weights: { claude: 0, gemini: 0, "@alice": 0 }, choices: ["A", "A", "B"], status: "failed", winner: undefined },
  ])("$name", ({ weights, choices, status, winner }) => {
    const result = weighted(weights, choices);
    expect(result.status).toBe(status);
    expect(result.winner).toBe(winner);
  });

  it("reports weight, not heads", () => {
    const result = weighted({ claude: 3 }, ["A", "B", "B"]);
    expect(result.rounds[0]?.tallies).toEqual({ A: 3, B: 2 });
    expect(result.reason).toBe("Yes has 3 of 5 weight (60%), more than half.");
  });

  it("weights are ignored by every other method", () => {
    const spec = makeSpec({ method: "majority", voterNames, weights: { claude: 10 } });
    expect(count(spec, [ballot("claude", "A"), ballot("gemini", "B"), ballot("@alice", "B")]).winner).toBe("B");
  });
});

describe("quorum and participation (all methods)", () => {
  const methods: Method[] = ["unanimous", "supermajority", "majority", "plurality", "ranked", "weighted"];

  it.each(methods)("%s: below quorum is no-quorum even when every ballot agrees", (method) => {
    const result = run(method, ["A", "A"], { quorum: 3 });
    expect(result.status).toBe("no-quorum");
    expect(result.winner).toBeUndefined();
    expect(result.reason).toContain("quorum is 3 voters and 2 cast a ballot");
  });

  it("abstentions count toward the quorum", () => {
    expect(run("majority", ["A", "abstain", "abstain"], { quorum: 3 }).status).toBe("passed");
  });

  it.each([
    { share: 0.5, cast: 3, met: true },
    { share: 0.5, cast: 2, met: false },
    { share: 2 / 3, cast: 4, met: true },
    { share: 0.7, cast: 4, met: false },
  ])("minimum participation $share of 6 voters with $cast ballots: met=$met", ({ share, cast, met }) => {
    const result = run("majority", Array.from({ length: cast }, () => "A"), { minParticipation: share });
    expect(result.participation.participationMet).toBe(met);
    expect(result.status).toBe(met ? "passed" : "no-quorum");
  });

  it("0.7 of 10 voters needs exactly 7, not 8 (no floating-point rounding up)", () => {
    const names = Array.from({ length: 10 }, (_, i) => `@p${i}`);
    const spec = makeSpec({ voterNames: names, minParticipation: 0.7 });
    const result = evaluate(spec, names.slice(0, 7).map((n) => ballot(n, "A")));
    expect(result.participation.participationMet).toBe(true);
  });
});
