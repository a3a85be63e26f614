/** What every counting method shares: one signature, first-choice tallies and readable shares. */
import { optionLabel } from "../options.js";
import type { Ballot, RoundCount, VoteSpec } from "../types.js";
import { weightOf } from "../voters.js";

export interface MethodOutcome {
  /** Option id that carried the vote; absent when no option met the method's rule. */
  winner?: string;
  /** Options tied for the win when a tie ended the count. */
  tie?: string[];
  rounds: RoundCount[];
  /** Why, in words a person can read. */
  reason: string;
}

/**
 * Every method counts the effective ballots (one per eligible voter, see tally.ts) of a
 * vote. Abstentions and quorum are not the method's business: abstentions are skipped here,
 * quorum is judged in evaluate.ts.
 */
export type CountMethod = (spec: VoteSpec, ballots: readonly Ballot[]) => MethodOutcome;

/** Tolerance for comparing sums of fractional weights with thresholds. */
export const EPSILON = 1e-9;

export interface CastRanking {
  ranking: string[];
  weight: number;
}

/** Non-abstaining ballots as rankings of known options, with their voter's weight. */
export function castRankings(spec: VoteSpec, ballots: readonly Ballot[]): CastRanking[] {
  const known = new Set(spec.options.map((option) => option.id));
  const cast: CastRanking[] = [];
  for (const ballot of ballots) {
    if (ballot.choice === "abstain") continue;
    const ranking = ballot.choice.filter((id) => known.has(id));
    if (ranking.length > 0) cast.push({ ranking, weight: weightOf(spec, ballot.voter) });
  }
  return cast;
}

/** Votes (or weight) behind each option's first choice; every option appears, in order. */
export function firstChoiceTallies(spec: VoteSpec, ballots: readonly Ballot[]): Record<string, number> {
  const tallies: Record<string, number> = Object.fromEntries(spec.options.map((option) => [option.id, 0]));
  for (const { ranking, weight } of castRankings(spec, ballots)) {
    const first = ranking[0];
    if (first !== undefined) tallies[first] = (tallies[first] ?? 0) + weight;
  }
  return tallies;
}

export function sumOf(tallies: Readonly<Record<string, number>>): number {
  return Object.values(tallies).reduce((total, value) => total + value, 0);
}

/** Whole numbers as they are, fractions to two places. */
export function formatAmount(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2).replace(/0+$/, "").replace(/\.$/, "");
}

export function formatShare(part: number, total: number): string {
  return total === 0 ? "0%" : `${formatAmount(Math.round((part / total) * 1000) / 10)}%`;
}

/** `Postgres 3 (60%), MySQL 2 (40%)`, biggest first, options without support left out. */
export function describeTallies(spec: VoteSpec, tallies: Readonly<Record<string, number>>): string {
  const total = sumOf(tallies);
  const entries = Object.entries(tallies)
    .filter(([, value]) => value > 0)
    .sort((a, b) => b[1] - a[1]);
  if (entries.length === 0) return "no votes for any option";
  return entries
    .map(([id, value]) => `${optionLabel(spec.options, id)} ${formatAmount(value)} (${formatShare(value, total)})`)
    .join(", ");
}

/** Options with the largest tally, in option order. */
export function leaders(tallies: Readonly<Record<string, number>>): string[] {
  const best = Math.max(...Object.values(tallies));
  return Object.entries(tallies)
    .filter(([, value]) => Math.abs(value - best) <= EPSILON)
    .map(([id]) => id);
}
