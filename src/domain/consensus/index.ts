/** The consensus core: parse, count, deliberate, render. Pure; handlers call it. */
export * from "./types.js";
export { voterKey, sameVoter, isEligible, agentVoters, weightOf } from "./voters.js";
export {
  APPROVE_REJECT_LABELS,
  YES_NO_LABELS,
  describeOptions,
  makeOptions,
  optionLabel,
  resolveOption,
  validateLabel,
} from "./options.js";
export { parseDuration, formatDuration, MAX_DEADLINE_MS } from "./duration.js";
export {
  parseProposal,
  parseMethod,
  parseShare,
  parseDeadline,
  parseVoters,
  PROPOSE_USAGE,
  SETTINGS,
} from "./parse-proposal.js";
export type { Proposal, ProposalError, ProposalErrorCode, VoterRef, DeadlineArg } from "./parse-proposal.js";
export { parseVoteArgs, parseChoice, voteUsage, oneLineReason, NO_OPEN_VOTE_MESSAGE } from "./parse-vote.js";
export type { ParsedBallot, ChoiceError, ChoiceErrorCode } from "./parse-vote.js";
export { buildVoteSpec, teamsToResolve } from "./spec.js";
export type { SpecContext, SpecError, SpecErrorCode, VotingDefaults, WeightSetting } from "./spec.js";
export { COUNTERS, count } from "./methods/index.js";
export type { CountMethod, MethodOutcome } from "./methods/index.js";
export { evaluate, participationOf } from "./evaluate.js";
export type { ClosedResult } from "./evaluate.js";
export { resolveBallots, runningResult, ballotProblem, choiceProblem, compareBallots } from "./tally.js";
export type { RejectedBallot, ResolvedBallots, RejectionCode } from "./tally.js";
export { openVote, personBallot, castBallot, withdrawBallot, closeVote, cancelVote, isDue, currentRound } from "./state.js";
export type { Actor, BallotError, CloseError, CloseRequest } from "./state.js";
export { nextStep, recordStep, addCompromise, recordCompromiseFailure, roundSplit, sameSplit } from "./deliberation.js";
export type { NextStep } from "./deliberation.js";
export { aiBallotAnswerSchema, compromiseAnswerSchema, ballotFromAiAnswer, abstentionFor } from "./ai-answers.js";
export type { AiBallotAnswer, CompromiseAnswer } from "./ai-answers.js";
export { buildRoundBrief, buildCompromiseBrief, methodRule, viewBallot } from "./briefs.js";
export type { BallotView, RoundBrief, CompromiseBrief } from "./briefs.js";
export {
  renderTally,
  parseVoteComment,
  renderEscalation,
  decisionLabel,
  auditLine,
  formatTime,
  VOTE_MARKER_KIND,
  METHOD_NAMES,
} from "./render.js";
export { compactState, METADATA_BUDGET } from "./compact.js";
