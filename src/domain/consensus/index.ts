/** The consensus core: parse, count, deliberate, render. Pure; handlers call it. */
export * from "./types.js";
;
export {
  APPROVE_REJECT_LABELS,
  
  
  makeOptions,
  optionLabel,
  
  
} from "./options.js";
;
export {
  parseProposal,
  
  
  
  
  
  
} from "./parse-proposal.js";
export type { Proposal,   VoterRef,  } from "./parse-proposal.js";
export { parseVoteArgs, parseChoice,   NO_OPEN_VOTE_MESSAGE } from "./parse-vote.js";
;
export { buildVoteSpec, teamsToResolve } from "./spec.js";
export type {    VotingDefaults,  } from "./spec.js";
;
;
export { evaluate,  } from "./evaluate.js";
;
export { resolveBallots, runningResult, ballotProblem,   } from "./tally.js";
;
export { openVote, personBallot, castBallot,  closeVote, cancelVote, isDue,  } from "./state.js";
export type { Actor,   CloseRequest } from "./state.js";
export { nextStep, recordStep, addCompromise, recordCompromiseFailure,   } from "./deliberation.js";
export type { NextStep } from "./deliberation.js";
export { aiBallotAnswerSchema, compromiseAnswerSchema, ballotFromAiAnswer, noAnswerFor } from "./ai-answers.js";
export type { AiBallotAnswer, CompromiseAnswer } from "./ai-answers.js";
export { buildRoundBrief, buildCompromiseBrief, methodRule,  } from "./briefs.js";
export type {  RoundBrief, CompromiseBrief } from "./briefs.js";
export {
  renderTally,
  parseVoteComment,
  renderEscalation,
  decisionLabel,
  
  formatTime,
  VOTE_MARKER_KIND,
  METHOD_NAMES,
} from "./render.js";
;
