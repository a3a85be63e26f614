/** Planning (`/plan`): proposals, their merge, the plan's state, its comment and its sub-issues. Pure; handlers call it. */
export type * from "./types.js";
export { PLAN_KIND, PLAN_METHODS, readPlanState, proposalSchema, normaliseTitle } from "./schema.js";
export { mergeProposals } from "./merge.js";
export {
  newPlanState,
  nextPlanStep,
  recordRound,
  stopPlanning,
  withFeedback,
  decide,
  recordCreated,
  remainingItems,
  finishCreation,
  addSpend,
  planningSpend,
} from "./state.js";
export { planBrief } from "./brief.js";
export type { PlanBrief } from "./brief.js";
export { renderPlanComment, MAX_PLAN_COMMENT_CHARS } from "./render.js";
export { renderSubIssue, readPlanItem } from "./sub-issue.js";
