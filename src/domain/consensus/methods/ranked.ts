/**
 * Ranked choice by instant run-off (IRV). Each round, every ballot counts for its
 * highest-ranked option still in the count; an option with more than half of the ballots
 * still in the count (not exhausted) wins. Otherwise options with no votes are all dropped
 * at once, or else the option with the fewest votes is eliminated, ties for fewest broken by:
 *   1. fewer votes in the earliest round where the tied options' counts differ;
 *   2. fewer ballots ranking the option anywhere ("mentions");
 *   3. if every option still in the count remains tied, the count ends with no winner (a
 *      tie); otherwise the tied option listed last in the proposal is eliminated.
 * Rule 3 is the only one that looks at list order, and it never picks the winner directly.
 */
import { optionLabel } from "../options.js";
import type { RoundCount, VoteSpec } from "../types.js";
import type { CastRanking, CountMethod, MethodOutcome } from "./common.js";
import { castRankings, formatShare, leaders } from "./common.js";

export const countRanked: CountMethod = (spec, ballots) => {
  const cast = castRankings(spec, ballots);
  const mentions = countMentions(cast);
  const rounds: RoundCount[] = [];
  let continuing = spec.options.map((option) => option.id);
  for (let number = 1; ; number++) {
    const round = countRound(number, continuing, cast);
    rounds.push(round);
    const active = cast.length - (round.exhausted ?? 0);
    if (active === 0) {
      const reason =
        cast.length === 0
          ? "No votes for any option (everyone abstained)."
          : "Every ballot ranks only eliminated options; no decision.";
      return { rounds, reason };
    }
    const [leader] = leaders(round.tallies);
    const leaderVotes = leader === undefined ? 0 : (round.tallies[leader] ?? 0);
    if (leader !== undefined && leaderVotes * 2 > active) return winnerOutcome(spec, rounds, leader, leaderVotes, active);
    const elimination = chooseElimination(spec, continuing, rounds, mentions);
    if (elimination.kind === "tie") return tieOutcome(spec, rounds, elimination.tied);
    round.eliminated = elimination.ids;
    if (elimination.tieBreak) round.tieBreak = elimination.tieBreak;
    continuing = continuing.filter((id) => !elimination.ids.includes(id));
  }
};

function countRound(number: number, continuing: readonly string[], cast: readonly CastRanking[]): RoundCount {
  const tallies: Record<string, number> = Object.fromEntries(continuing.map((id) => [id, 0]));
  let exhausted = 0;
  for (const { ranking } of cast) {
    const top = ranking.find((id) => id in tallies);
    if (top === undefined) exhausted++;
    else tallies[top] = (tallies[top] ?? 0) + 1;
  }
  return { round: number, tallies, exhausted };
}

function countMentions(cast: readonly CastRanking[]): Map<string, number> {
  const mentions = new Map<string, number>();
  for (const { ranking } of cast) for (const id of ranking) mentions.set(id, (mentions.get(id) ?? 0) + 1);
  return mentions;
}

type Elimination =
  | { kind: "eliminate"; ids: string[]; tieBreak?: NonNullable<RoundCount["tieBreak"]> }
  | { kind: "tie"; tied: string[] };

function chooseElimination(
  spec: VoteSpec,
  continuing: readonly string[],
  rounds: readonly RoundCount[],
  mentions: ReadonlyMap<string, number>,
): Elimination {
  const current = rounds[rounds.length - 1]?.tallies ?? {};
  const votes = (id: string): number => current[id] ?? 0;
  const zero = continuing.filter((id) => votes(id) === 0);
  if (zero.length > 0) return { kind: "eliminate", ids: zero };
  const fewest = Math.min(...continuing.map(votes));
  const tied = continuing.filter((id) => votes(id) === fewest);
  if (tied.length === 1) return { kind: "eliminate", ids: tied };
  return breakTie(spec, tied, continuing, rounds, mentions);
}

/** Applies the documented tie-break rules to the options tied for fewest votes. */
function breakTie(
  spec: VoteSpec,
  tied: readonly string[],
  continuing: readonly string[],
  rounds: readonly RoundCount[],
  mentions: ReadonlyMap<string, number>,
): Elimination {
  let set = [...tied];
  for (const round of rounds) {
    set = keepFewest(set, (id) => round.tallies[id] ?? 0);
    if (set.length === 1) return { kind: "eliminate", ids: set, tieBreak: { among: [...tied], rule: "earliest-round" } };
  }
  set = keepFewest(set, (id) => mentions.get(id) ?? 0);
  if (set.length === 1) return { kind: "eliminate", ids: set, tieBreak: { among: [...tied], rule: "fewest-mentions" } };
  if (set.length === continuing.length) return { kind: "tie", tied: set };
  const order = spec.options.map((option) => option.id);
  const last = [...set].sort((a, b) => order.indexOf(b) - order.indexOf(a))[0] ?? set[0] ?? "";
  return { kind: "eliminate", ids: [last], tieBreak: { among: [...tied], rule: "option-order" } };
}

function keepFewest(ids: readonly string[], score: (id: string) => number): string[] {
  const least = Math.min(...ids.map(score));
  return ids.filter((id) => score(id) === least);
}

function winnerOutcome(
  spec: VoteSpec,
  rounds: RoundCount[],
  winner: string,
  votes: number,
  active: number,
): MethodOutcome {
  const label = optionLabel(spec.options, winner);
  const share = `${votes} of ${active} ballots still in the count (${formatShare(votes, active)})`;
  const reason =
    rounds.length === 1
      ? `${label} is the first choice on ${share}, more than half.`
      : `${label} wins in round ${rounds.length} with ${share}, more than half.`;
  return { winner, rounds, reason };
}

function tieOutcome(spec: VoteSpec, rounds: RoundCount[], tied: string[]): MethodOutcome {
  const names = tied.map((id) => optionLabel(spec.options, id)).join(" and ");
  return {
    tie: tied,
    rounds,
    reason: `Round ${rounds.length} ends in a tie between ${names} that no tie-break rule resolves; no decision.`,
  };
}
