/** Unanimous: passes when every non-abstaining ballot names the same option (and there is one). */
import { optionLabel } from "../options.js";
import type { CountMethod } from "./common.js";
import { describeTallies, firstChoiceTallies, sumOf } from "./common.js";

export const countUnanimous: CountMethod = (spec, ballots) => {
  const tallies = firstChoiceTallies(spec, ballots);
  const rounds = [{ round: 1, tallies }];
  if (sumOf(tallies) === 0) return { rounds, reason: "Every voter abstained, so there is no agreement to record." };
  const backed = Object.keys(tallies).filter((id) => (tallies[id] ?? 0) > 0);
  const [only] = backed;
  if (backed.length === 1 && only !== undefined) {
    return {
      winner: only,
      rounds,
      reason: `All ${tallies[only]} non-abstaining voters chose ${optionLabel(spec.options, only)}.`,
    };
  }
  return { rounds, reason: `Not unanimous: ${describeTallies(spec, tallies)}.` };
};
