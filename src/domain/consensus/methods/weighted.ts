/**
 * Weighted: each ballot counts with its voter's weight (`spec.weights`, default 1); an option
 * wins with more than half of the non-abstaining weight. With equal weights this is majority.
 */
import type { CountMethod } from "./common.js";
import { countByShare, moreThanHalf } from "./share.js";

export const countWeighted: CountMethod = (spec, ballots) => countByShare(spec, ballots, moreThanHalf("weight"));
