/** Methods where one option wins by holding a share of the non-abstaining votes (or weight). */
import { optionLabel } from "../options.js";
import type { Ballot, VoteSpec } from "../types.js";
import { EPSILON, describeTallies, firstChoiceTallies, formatAmount, formatShare, leaders, sumOf } from "./common.js";
import type { MethodOutcome } from "./common.js";

interface ShareRule {
  /** True when `votes` out of `total` carries the vote. */
  meets(votes: number, total: number): boolean;
  /** The rule in words: `more than half`, `at least 75%`. */
  text: string;
  /** `votes` or `weight`. */
  unit: string;
}

export function countByShare(spec: VoteSpec, ballots: readonly Ballot[], rule: ShareRule): MethodOutcome {
  const tallies = firstChoiceTallies(spec, ballots);
  const total = sumOf(tallies);
  const rounds = [{ round: 1, tallies }];
  if (total <= EPSILON) {
    return { rounds, reason: `No ${rule.unit} for any option (everyone abstained), so no option has ${rule.text}.` };
  }
  const [leader] = leaders(tallies);
  const votes = leader === undefined ? 0 : (tallies[leader] ?? 0);
  if (leader !== undefined && rule.meets(votes, total)) {
    return {
      winner: leader,
      rounds,
      reason: `${optionLabel(spec.options, leader)} has ${formatAmount(votes)} of ${formatAmount(total)} ${rule.unit} (${formatShare(votes, total)}), ${rule.text}.`,
    };
  }
  return { rounds, reason: `No option has ${rule.text} of the ${rule.unit}: ${describeTallies(spec, tallies)}.` };
}

export const moreThanHalf = (unit: string): ShareRule => ({
  meets: (votes, total) => votes * 2 - total > EPSILON * Math.max(1, total),
  text: "more than half",
  unit,
});

export const atLeast = (threshold: number): ShareRule => ({
  meets: (votes, total) => votes - threshold * total >= -EPSILON * Math.max(1, total),
  text: `at least ${formatShare(threshold, 1)}`,
  unit: "votes",
});
