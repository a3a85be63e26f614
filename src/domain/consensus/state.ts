/**
 * The life of a vote as pure transitions on VoteState: open, cast and withdraw ballots,
 * close (at the deadline or by a maintainer) and cancel. The state lives in the tally
 * comment's marker (render.ts); a handler reads it, applies one transition, writes it back.
 */
import { evaluate } from "./evaluate.js";
import { optionLabel, resolveOption } from "./options.js";
import type { OptionErrorCode } from "./options.js";
import { oneLineReason } from "./parse-vote.js";
import type { ParsedBallot } from "./parse-vote.js";
import { ballotProblem } from "./tally.js";
import type { RejectionCode } from "./tally.js";
import { resolveBallots } from "./tally.js";
import { err, ok } from "./types.js";
import type { Ballot, ConsensusError, Result, Voter, VoteResult, VoteSpec, VoteState } from "./types.js";
import { sameVoter } from "./voters.js";

export function openVote(id: string, spec: VoteSpec): VoteState {
  return { v: 1, id, spec, ballots: [], phase: "open", deliberation: {} };
}

/** The latest deliberation round any agent has answered in; 0 before the first. */
export function currentRound(state: VoteState): number {
  return state.ballots.reduce((max, ballot) => (ballot.voter.kind === "agent" ? Math.max(max, ballot.round) : max), 0);
}

/** True when the vote is open and its deadline has come: the scheduled sweep closes it. */
export function isDue(state: VoteState, now: Date): boolean {
  return state.phase === "open" && now.getTime() >= Date.parse(state.spec.deadline);
}

/**
 * A person's ballot from a parsed `/vote` comment. Pass the comment's `updated_at` as `at`,
 * so an edit is the voter's newest word; the ballot joins the current deliberation round.
 */
export function personBallot(
  state: VoteState,
  login: string,
  parsed: ParsedBallot,
  source: { at: Date; commentId: number },
): Ballot {
  const voter: Voter = { id: login.replace(/^@/, "").toLowerCase(), kind: "person" };
  const ballot: Ballot = {
    voter,
    choice: parsed.choice,
    round: currentRound(state),
    at: source.at.toISOString(),
    sourceCommentId: source.commentId,
  };
  return parsed.reason === undefined ? ballot : { ...ballot, reason: parsed.reason };
}

type BallotErrorCode = RejectionCode | "vote-not-open";
type BallotError = ConsensusError<BallotErrorCode>;

/**
 * Records a ballot. An edited comment replaces the ballot from the same comment; an agent
 * asked twice in one round keeps only its newer answer. Earlier ballots of the voter stay
 * (superseded) so that deleting the newest comment brings the previous one back.
 */
export function castBallot(state: VoteState, ballot: Ballot): Result<VoteState, BallotError> {
  if (state.phase !== "open") {
    return err({ code: "vote-not-open", message: `This vote is ${state.phase}; ballots are no longer counted.` });
  }
  const problem = ballotProblem(state.spec, ballot);
  if (problem) return err(problem);
  const reason = ballot.reason === undefined ? undefined : oneLineReason(ballot.reason);
  const clean: Ballot = { ...ballot, voter: { ...ballot.voter, id: ballot.voter.id.toLowerCase() } };
  if (reason === undefined) delete clean.reason;
  else clean.reason = reason;
  const kept = state.ballots.filter((other) => !replaces(clean, other));
  return ok({ ...state, ballots: [...kept, clean] });
}

function replaces(next: Ballot, old: Ballot): boolean {
  if (next.sourceCommentId !== undefined) return old.sourceCommentId === next.sourceCommentId;
  return next.voter.kind === "agent" && sameVoter(next.voter, old.voter) && old.round === next.round;
}

/** Removes the ballot a deleted (or no longer valid) comment carried; unknown ids change nothing. */
export function withdrawBallot(state: VoteState, sourceCommentId: number): VoteState {
  if (state.phase !== "open") return state;
  const ballots = state.ballots.filter((ballot) => ballot.sourceCommentId !== sourceCommentId);
  return ballots.length === state.ballots.length ? state : { ...state, ballots };
}

export interface Actor {
  login: string;
  /** Decided by the caller from repository permission and the configured maintainers. */
  isMaintainer: boolean;
}

type CloseErrorCode = "vote-not-open" | "not-due" | "not-allowed" | "decision-not-needed" | OptionErrorCode;
type CloseError = ConsensusError<CloseErrorCode>;

export interface CloseRequest {
  at: Date;
  /** `deadline` for the scheduled sweep, or the person who wrote `/close-vote`. */
  by: "deadline" | Actor;
  /** `/close-vote <option>`: a maintainer decides a vote that did not pass by itself. */
  decision?: string;
}

/** Freezes the result. A vote whose deliberation escalated and that still has no winner closes `deadlocked`. */
export function closeVote(state: VoteState, request: CloseRequest): Result<VoteState, CloseError> {
  if (state.phase !== "open") return err({ code: "vote-not-open", message: `This vote is already ${state.phase}.` });
  const { by } = request;
  if (by === "deadline" && request.at.getTime() < Date.parse(state.spec.deadline)) {
    return err({ code: "not-due", message: `The vote closes at ${state.spec.deadline}, not before.` });
  }
  if (by !== "deadline" && !by.isMaintainer) {
    return err({
      code: "not-allowed",
      message: `Only maintainers can close a vote early; it closes by itself at ${state.spec.deadline}.`,
    });
  }
  const counted = finalResult(state);
  const closed = { at: request.at.toISOString(), by: by === "deadline" ? null : by.login.toLowerCase() };
  if (request.decision === undefined || by === "deadline") {
    return ok({ ...state, phase: "closed", result: counted, closed });
  }
  if (counted.status === "passed") {
    return err({
      code: "decision-not-needed",
      message: `The vote already passed (${optionLabel(state.spec.options, counted.winner ?? "")}); use /close-vote without an option to close it as counted.`,
    });
  }
  const decision = resolveOption(state.spec.options, request.decision);
  if (!decision.ok) return decision;
  const result: VoteResult = {
    ...counted,
    status: "passed",
    winner: decision.value,
    reason: `Decided by @${closed.by} (maintainer) after the count ${counted.status === "no-quorum" ? "lacked participation" : "found no decision"}: ${counted.reason}`,
  };
  delete result.tie;
  return ok({ ...state, phase: "closed", result, closed: { ...closed, decidedBy: closed.by ?? "" } });
}

function finalResult(state: VoteState): VoteResult {
  const counted = evaluate(state.spec, resolveBallots(state.spec, state.ballots).effective);
  const escalated = state.deliberation.escalated;
  if (counted.status !== "failed" || !escalated) return counted;
  return { ...counted, status: "deadlocked", reason: `Deadlocked: ${escalated.reason} ${counted.reason}` };
}

type CancelErrorCode = "vote-not-open" | "not-allowed";

/** `/cancel-vote`: the proposer or a maintainer ends the vote without a result. */
export function cancelVote(
  state: VoteState,
  request: { at: Date; by: Actor },
): Result<VoteState, ConsensusError<CancelErrorCode>> {
  if (state.phase !== "open") return err({ code: "vote-not-open", message: `This vote is already ${state.phase}.` });
  const login = request.by.login.replace(/^@/, "").toLowerCase();
  if (login !== state.spec.proposer && !request.by.isMaintainer) {
    return err({ code: "not-allowed", message: "Only the person who proposed the vote or a maintainer can cancel it." });
  }
  return ok({ ...state, phase: "cancelled", cancelled: { at: request.at.toISOString(), by: login } });
}
