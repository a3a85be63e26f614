/** One counting function per method, all with the same signature. */
import type { Method } from "../types.js";
import type { CountMethod } from "./common.js";
import { countMajority } from "./majority.js";
import { countPlurality } from "./plurality.js";
import { countRanked } from "./ranked.js";
import { countSupermajority } from "./supermajority.js";
import { countUnanimous } from "./unanimous.js";
import { countWeighted } from "./weighted.js";

const COUNTERS: Readonly<Record<Method, CountMethod>> = {
  unanimous: countUnanimous,
  supermajority: countSupermajority,
  majority: countMajority,
  plurality: countPlurality,
  ranked: countRanked,
  weighted: countWeighted,
};

/** Counts effective ballots with the vote's own method (quorum is judged separately). */
export const count: CountMethod = (spec, ballots) => COUNTERS[spec.method](spec, ballots);

export type {  MethodOutcome } from "./common.js";
;
