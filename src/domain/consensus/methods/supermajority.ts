/** Supermajority: an option wins with at least `spec.threshold` (default 75%) of the non-abstaining ballots. */
import type { CountMethod } from "./common.js";
import { atLeast, countByShare } from "./share.js";

export const countSupermajority: CountMethod = (spec, ballots) => countByShare(spec, ballots, atLeast(spec.threshold));
