/**
 * The life of a plan as pure transitions on PlanState: rounds of proposals until the planners
 * agree or the round limit is hit, people's feedback, approval or rejection, and the creation of
 * its sub-issues. The state lives in the plan comment's marker (render.ts); a handler reads it,
 * applies a transition, and writes it back.
 */
import { mergeProposals } from "./merge.js";
import type { MergeOptions } from "./merge.js";
import { PLAN_LIMITS } from "./schema.js";
import type {
  AgentSpend,
  CreatedItem,
  MergedItem,
  PlanMethod,
  PlannerAnswer,
  PlanRound,
  PlanState,
  RoundSummary,
} from "./types.js";

type PlanResult = { ok: true; value: PlanState } | { ok: false; reason: string };

type PlanStep = { kind: "ask-round"; round: number; planners: string[] } | { kind: "settled" } | { kind: "idle" };

const NO_VALID_PLAN = "no planner gave a valid plan";
const TRUNCATED = " … [truncated]";

export function newPlanState(input: { epic: number; id: string; planners: string[]; method: PlanMethod; maxRounds: number }): PlanState {
  return {
    v: 1,
    epic: input.epic,
    id: input.id,
    status: "deliberating",
    planners: [...input.planners],
    method: input.method,
    maxRounds: Math.max(1, input.maxRounds),
    rounds: [],
    feedback: [],
    plan: null,
    decidedBy: null,
    created: [],
    spend: {},
    stopped: null,
  };
}

/** The latest round recorded, if any. */
export function lastRound(state: PlanState): PlanRound | undefined {
  return state.rounds.at(-1);
}

/** The number of the round asked next (1 before any). */
export function nextRoundNumber(state: PlanState): number {
  return (lastRound(state)?.round ?? 0) + 1;
}

/** True when every planner has an answer (valid or not) in the round. */
function isComplete(state: PlanState, round: PlanRound): boolean {
  const answered = new Set(round.summary ? round.summary.map((entry) => entry.agent) : round.answers.map((answer) => answer.agent));
  return state.planners.every((planner) => answered.has(planner));
}

/** What a handler does next for this plan. */
export function nextPlanStep(state: PlanState): PlanStep {
  if (state.status === "proposed") return { kind: "settled" };
  if (state.status !== "deliberating") return { kind: "idle" };
  const last = lastRound(state);
  if (last && !isComplete(state, last)) return { kind: "ask-round", round: last.round, planners: [...state.planners] };
  const next = nextRoundNumber(state);
  if (next > state.maxRounds) return { kind: "idle" };
  const feedbackWaiting = state.feedback.some((entry) => entry.round >= next);
  if (last && agreedByAll(state, last) && !feedbackWaiting) return { kind: "idle" };
  return { kind: "ask-round", round: next, planners: [...state.planners] };
}

/**
 * Records the answers of `round` (replacing the round if it was already recorded), merges the
 * valid proposals into the plan, and settles it ("proposed") when every planner answered validly
 * and they agree, or when the round limit is reached. A round with no valid answer stops planning.
 * Earlier rounds are reduced to each planner's item keys.
 */
export function recordRound(
  state: PlanState,
  round: number,
  answers: PlannerAnswer[],
  options: MergeOptions,
): PlanState {
  if (state.status !== "deliberating") return state;
  const byAgent = new Map<string, PlannerAnswer>();
  for (const answer of answers) byAgent.set(answer.agent, { ...answer, round });
  const ordered = [
    ...state.planners.flatMap((planner) => (byAgent.has(planner) ? [byAgent.get(planner)!] : [])),
    ...[...byAgent.values()].filter((answer) => !state.planners.includes(answer.agent)),
  ];
  const earlier = state.rounds.filter((entry) => entry.round < round).map(summarise);
  const rounds: PlanRound[] = [...earlier, { round, answers: ordered }];
  const valid = ordered.flatMap((answer) => (answer.ok ? [{ agent: answer.agent, proposal: answer.proposal }] : []));
  if (valid.length === 0) {
    return { ...state, rounds, status: "stopped", stopped: NO_VALID_PLAN };
  }
  const plan = mergeProposals(valid, state.method, options);
  const next: PlanState = { ...state, rounds, plan, stopped: null };
  const settled = agreedByAll(next, rounds.at(-1)!) || round >= state.maxRounds;
  return { ...next, status: settled ? "proposed" : "deliberating" };
}

/** True when every planner answered `round` validly and the merge of their answers agreed. */
function agreedByAll(state: PlanState, round: PlanRound): boolean {
  if (!state.plan?.agreed) return false;
  return state.planners.every((planner) => round.answers.some((answer) => answer.agent === planner && answer.ok));
}

/** A round reduced to each planner's item keys. */
export function summarise(round: PlanRound): PlanRound {
  if (round.summary) return { round: round.round, answers: [], summary: round.summary };
  const summary: RoundSummary[] = round.answers.map((answer) => ({
    agent: answer.agent,
    ok: answer.ok,
    keys: answer.ok ? answer.proposal.items.map((item) => item.key) : [],
  }));
  return { round: round.round, answers: [], summary };
}

/** Stops planning with a reason (a budget would be passed, say). */
export function stopPlanning(state: PlanState, reason: string): PlanState {
  if (state.status !== "deliberating") return state;
  return { ...state, status: "stopped", stopped: reason };
}

/**
 * `/plan revise <text>`: the feedback is kept (at most 2,000 characters) and given to the
 * planners in exactly one more round. Refused once the plan is approved, created or rejected.
 */
export function withFeedback(state: PlanState, feedback: { by: string; at: string; text: string }): PlanResult {
  const refusal = closedReason(state);
  if (refusal) return { ok: false, reason: refusal };
  const text = feedback.text.trim();
  if (text === "") return { ok: false, reason: "say what to change: `/plan revise <feedback>`" };
  const chars = [...text];
  const kept =
    chars.length > PLAN_LIMITS.feedbackChars
      ? `${chars.slice(0, PLAN_LIMITS.feedbackChars - TRUNCATED.length).join("")}${TRUNCATED}`
      : text;
  const round = nextRoundNumber(state);
  const maxRounds = state.status === "deliberating" ? Math.max(state.maxRounds, round) : round;
  return {
    ok: true,
    value: {
      ...state,
      status: "deliberating",
      stopped: null,
      maxRounds,
      feedback: [...state.feedback, { by: feedback.by, at: feedback.at, text: kept, round }],
    },
  };
}

function closedReason(state: PlanState): string | null {
  const by = state.decidedBy ? ` by @${state.decidedBy.by}` : "";
  if (state.status === "approved") return `the plan was already approved${by}; its sub-issues are being created`;
  if (state.status === "created") return `the plan was already approved${by} and its sub-issues are created`;
  if (state.status === "rejected") return `the plan was rejected${by}; \`/plan\` starts a new one`;
  return null;
}

/** `/plan approve` and `/plan reject`. */
export function decide(state: PlanState, decision: { how: "approve" | "reject"; by: string; at: string }): PlanResult {
  const decidedBy = { by: decision.by, at: decision.at, how: decision.how };
  if (decision.how === "reject") {
    if (state.status === "created") return { ok: false, reason: closedReason(state)! };
    if (state.status === "rejected") return { ok: false, reason: closedReason(state)! };
    return { ok: true, value: { ...state, status: "rejected", decidedBy } };
  }
  switch (state.status) {
    case "deliberating":
      return { ok: false, reason: `the plan is still being deliberated (round ${Math.min(nextRoundNumber(state), state.maxRounds)} of ${state.maxRounds})` };
    case "stopped":
      return { ok: false, reason: `planning stopped (${state.stopped ?? "no reason given"}); there is no plan to approve` };
    case "approved":
    case "created":
    case "rejected":
      return { ok: false, reason: closedReason(state)! };
    case "proposed":
      if (!state.plan || state.plan.items.length === 0) return { ok: false, reason: "the plan has no items to create" };
      return { ok: true, value: { ...state, status: "approved", decidedBy } };
  }
}

/** Records a created sub-issue (once per key; a repeat replaces nothing). */
export function recordCreated(state: PlanState, item: CreatedItem): PlanState {
  if (state.created.some((entry) => entry.key === item.key)) return state;
  return { ...state, created: [...state.created, { key: item.key, number: item.number, id: item.id }] };
}

/** The plan's items that have no sub-issue yet, in creation order. */
export function remainingItems(state: PlanState): MergedItem[] {
  const done = new Set(state.created.map((entry) => entry.key));
  return (state.plan?.items ?? []).filter((item) => !done.has(item.key));
}

/** Item key → sub-issue number, for the items created so far. */
export function createdNumbers(state: PlanState): Map<string, number> {
  return new Map(state.created.map((entry) => [entry.key, entry.number]));
}

/** "created" once every item of an approved plan has its sub-issue; otherwise unchanged. */
export function finishCreation(state: PlanState): PlanState {
  if (state.status !== "approved" || !state.plan || remainingItems(state).length > 0) return state;
  return { ...state, status: "created" };
}

const NO_SPEND: AgentSpend = { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 };

/** Adds one call's usage to the agent's spend on this plan. */
export function addSpend(state: PlanState, agent: string, usage: { inputTokens: number; outputTokens: number; costUsd: number }): PlanState {
  const before = state.spend[agent] ?? NO_SPEND;
  const after: AgentSpend = {
    calls: before.calls + 1,
    inputTokens: before.inputTokens + usage.inputTokens,
    outputTokens: before.outputTokens + usage.outputTokens,
    costUsd: before.costUsd + usage.costUsd,
  };
  return { ...state, spend: { ...state.spend, [agent]: after } };
}

/** The plan's spend per planner and in total (tokens are input + output). */
export function planningSpend(state: PlanState): { byAgent: Record<string, AgentSpend>; total: AgentSpend; tokens: number } {
  const total = Object.values(state.spend).reduce<AgentSpend>(
    (sum, spend) => ({
      calls: sum.calls + spend.calls,
      inputTokens: sum.inputTokens + spend.inputTokens,
      outputTokens: sum.outputTokens + spend.outputTokens,
      costUsd: sum.costUsd + spend.costUsd,
    }),
    NO_SPEND,
  );
  return { byAgent: { ...state.spend }, total, tokens: total.inputTokens + total.outputTokens };
}
