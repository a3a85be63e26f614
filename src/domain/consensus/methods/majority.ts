/** Majority: an option wins with more than half of the non-abstaining ballots. */
import type { CountMethod } from "./common.js";
import { countByShare, moreThanHalf } from "./share.js";

export const countMajority: CountMethod = (spec, ballots) => countByShare(spec, ballots, moreThanHalf("votes"));
