/** Plurality: the option with the most first choices wins; a tie for the most decides nothing. */
import { optionLabel } from "../options.js";
import type { CountMethod } from "./common.js";
import { describeTallies, firstChoiceTallies, formatAmount, leaders, sumOf } from "./common.js";

export const countPlurality: CountMethod = (spec, ballots) => {
  const tallies = firstChoiceTallies(spec, ballots);
  const rounds = [{ round: 1, tallies }];
  const total = sumOf(tallies);
  if (total === 0) return { rounds, reason: "No votes for any option (everyone abstained)." };
  const top = leaders(tallies);
  const [winner] = top;
  if (top.length === 1 && winner !== undefined) {
    return {
      winner,
      rounds,
      reason: `${optionLabel(spec.options, winner)} has the most votes: ${describeTallies(spec, tallies)}.`,
    };
  }
  const names = top.map((id) => optionLabel(spec.options, id)).join(" and ");
  return {
    tie: top,
    rounds,
    reason: `Tie for the most votes between ${names} (${formatAmount(tallies[winner ?? ""] ?? 0)} each); no decision.`,
  };
};
