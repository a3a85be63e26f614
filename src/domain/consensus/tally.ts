/**
 * From every ballot ever recorded to the ballots that count: one per eligible voter, the
 * latest (by time, then round, then comment id, then recording order). Ballots from people
 * who are not voters, or naming options the vote does not have, are set aside with a reason.
 */
import { evaluate } from "./evaluate.js";
import { describeOptions } from "./options.js";
import type { Ballot, Choice, ConsensusError, VoteResult, VoteSpec } from "./types.js";
import { isEligible, listVoters, voterKey } from "./voters.js";

export type RejectionCode = "not-a-voter" | "invalid-choice";

interface RejectedBallot {
  ballot: Ballot;
  code: RejectionCode;
  message: string;
}

interface ResolvedBallots {
  /** One per voter who cast a valid ballot, in the order of `spec.voters`. */
  effective: Ballot[];
  /** Valid ballots replaced by a later one of the same voter, and "no answer" records set aside for an earlier answer. */
  superseded: Ballot[];
  rejected: RejectedBallot[];
}

/** Chronological order of ballots; the later one is the voter's word. */
function compareBallots(a: Ballot, b: Ballot): number {
  return (
    Date.parse(a.at) - Date.parse(b.at) ||
    a.round - b.round ||
    (a.sourceCommentId ?? 0) - (b.sourceCommentId ?? 0)
  );
}

/** Resolves ballots; with `upToRound`, only ballots of that round or earlier are considered. */
export function resolveBallots(
  spec: VoteSpec,
  ballots: readonly Ballot[],
  options: { upToRound?: number } = {},
): ResolvedBallots {
  const rejected: RejectedBallot[] = [];
  const latest = new Map<string, Ballot>();
  const superseded: Ballot[] = [];
  const ordered = ballots
    .map((ballot, index) => ({ ballot, index }))
    .filter(({ ballot }) => options.upToRound === undefined || ballot.round <= options.upToRound)
    .sort((a, b) => compareBallots(a.ballot, b.ballot) || a.index - b.index);
  for (const { ballot } of ordered) {
    const problem = ballotProblem(spec, ballot);
    if (problem) {
      rejected.push({ ballot, ...problem });
      continue;
    }
    const key = voterKey(ballot.voter);
    const previous = latest.get(key);
    // "No answer" is not the voter's word: an answer it gave earlier keeps standing.
    if (ballot.noAnswer === true && previous !== undefined && previous.noAnswer !== true) {
      superseded.push(ballot);
      continue;
    }
    if (previous) superseded.push(previous);
    latest.set(key, ballot);
  }
  const effective = spec.voters.flatMap((voter) => {
    const ballot = latest.get(voterKey(voter));
    return ballot ? [ballot] : [];
  });
  return { effective, superseded, rejected };
}

/** Why a ballot cannot count, or null when it can. */
export function ballotProblem(spec: VoteSpec, ballot: Ballot): { code: RejectionCode; message: string } | null {
  if (!isEligible(spec, ballot.voter)) {
    const who = ballot.voter.kind === "person" ? `@${ballot.voter.id}` : ballot.voter.id;
    return {
      code: "not-a-voter",
      message: `${who} is not among the voters of this vote (${listVoters(spec.voters)}); the ballot is not counted.`,
    };
  }
  const invalid = choiceProblem(spec, ballot.choice);
  return invalid ? { code: "invalid-choice", message: invalid.message } : null;
}

/** Checks a choice against the vote: known options, no repeats, rankings only for ranked votes. */
function choiceProblem(spec: VoteSpec, choice: Choice): ConsensusError<"invalid-choice"> | null {
  if (choice === "abstain") return null;
  const known = new Set(spec.options.map((option) => option.id));
  const unknown = choice.find((id) => !known.has(id));
  if (unknown !== undefined) {
    return { code: "invalid-choice", message: `“${unknown}” is not an option (${describeOptions(spec.options)}).` };
  }
  if (new Set(choice).size !== choice.length) {
    return { code: "invalid-choice", message: "A ranking names each option at most once." };
  }
  if (choice.length > 1 && spec.method !== "ranked") {
    return { code: "invalid-choice", message: `This vote uses ${spec.method}: a ballot names one option.` };
  }
  return null;
}

/** The running result of an open vote: `pending`, with what closing now would give. */
export function runningResult(spec: VoteSpec, ballots: readonly Ballot[]): VoteResult {
  const closedNow = evaluate(spec, resolveBallots(spec, ballots).effective);
  const { status, ...rest } = closedNow;
  return { ...rest, status: "pending", provisional: status };
}
