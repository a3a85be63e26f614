/**
 * What each agent is shown, as data. The agents layer turns these into prompts and must
 * quote every string in them (question, labels, other voters' reasons) as untrusted data,
 * never as instructions; the thread itself is added by the caller.
 */
import { resolveBallots } from "./tally.js";
import { count } from "./methods/index.js";
import { formatShare } from "./methods/common.js";
import { optionLabel } from "./options.js";
import type { Ballot, Deadlock, Method, Voter, VoteOption, VoteSpec, VoteState } from "./types.js";
import { sameVoter, voterKey } from "./voters.js";

export interface BallotView {
  /** `claude` or `@alice`. */
  voter: string;
  kind: Voter["kind"];
  /** Option labels best first, or `abstain`. */
  choice: string[] | "abstain";
  reason: string | null;
}

export interface RoundBrief {
  question: string;
  options: VoteOption[];
  method: Method;
  /** The rule that decides, in words. */
  rule: string;
  ranked: boolean;
  round: number;
  maxRounds: number;
  /** True for the last round, after a compromise option was added. */
  final: boolean;
  compromise: { option: VoteOption; proposedBy: string; reason: string } | null;
  /** The ballots standing after the previous round (agents and people), with their reasons. */
  previousRound: { round: number; ballots: BallotView[]; standing: string } | null;
  yourPreviousBallot: BallotView | null;
}

export interface CompromiseBrief {
  question: string;
  options: VoteOption[];
  method: Method;
  rule: string;
  deadlock: Deadlock;
  /** Every round so far, each with the ballots standing after it. */
  rounds: Array<{ round: number; ballots: BallotView[] }>;
}

/** The decisive rule of a method, in words. */
export function methodRule(spec: Pick<VoteSpec, "method" | "threshold">): string {
  switch (spec.method) {
    case "unanimous":
      return "every voter who does not abstain must choose the same option";
    case "supermajority":
      return `an option needs at least ${formatShare(spec.threshold, 1)} of the ballots that are not abstentions`;
    case "majority":
      return "an option needs more than half of the ballots that are not abstentions";
    case "plurality":
      return "the option with the most votes wins; a tie for the most decides nothing";
    case "ranked":
      return "ballots rank options best first; round by round the option with the fewest votes is eliminated and its ballots move to their next choice, until one option has more than half of the ballots still in the count";
    case "weighted":
      return "each ballot counts with its voter's weight; an option needs more than half of the weight that is not abstaining";
  }
}

function viewBallot(spec: VoteSpec, ballot: Ballot): BallotView {
  return {
    voter: voterKey(ballot.voter),
    kind: ballot.voter.kind,
    choice: ballot.choice === "abstain" ? "abstain" : ballot.choice.map((id) => optionLabel(spec.options, id)),
    reason: ballot.reason ?? null,
  };
}

function standingAfter(state: VoteState, round: number): Ballot[] {
  return resolveBallots(state.spec, state.ballots, { upToRound: round }).effective;
}

export function buildRoundBrief(state: VoteState, round: number, voter: Voter): RoundBrief {
  const { spec } = state;
  const compromise = state.deliberation.compromise;
  const compromiseOption = compromise ? spec.options.find((option) => option.id === compromise.optionId) : undefined;
  const previous = round > 1 ? standingAfter(state, round - 1) : [];
  const mine = previous.find((ballot) => sameVoter(ballot.voter, voter));
  return {
    question: spec.question,
    options: spec.options,
    method: spec.method,
    rule: methodRule(spec),
    ranked: spec.method === "ranked",
    round,
    maxRounds: spec.maxRounds,
    final: compromise !== undefined && round > compromise.afterRound,
    compromise:
      compromise && compromiseOption
        ? { option: compromiseOption, proposedBy: compromise.by, reason: compromise.reason }
        : null,
    previousRound:
      round > 1
        ? {
            round: round - 1,
            ballots: previous.map((ballot) => viewBallot(spec, ballot)),
            standing: count(spec, previous).reason,
          }
        : null,
    yourPreviousBallot: mine ? viewBallot(spec, mine) : null,
  };
}

/** What the agent asked for a compromise sees: the whole deliberation so far. */
export function buildCompromiseBrief(state: VoteState, deadlock: Deadlock): CompromiseBrief {
  const { spec } = state;
  const rounds = Array.from({ length: deadlock.afterRound }, (_, index) => index + 1).map((round) => ({
    round,
    ballots: standingAfter(state, round).map((ballot) => viewBallot(spec, ballot)),
  }));
  return { question: spec.question, options: spec.options, method: spec.method, rule: methodRule(spec), deadlock, rounds };
}
