/**
 * AI deliberation as a pure state machine: `nextStep(state)` reads the recorded ballots and
 * deliberation notes and says what the caller should do next. It is a function of the
 * state alone, so a crashed or repeated run picks up where the last one stopped (a
 * half-answered round is asked again, of the agents that have not answered).
 *
 *   round 1 … maxRounds ─ threshold met ────────────────────────────► decided
 *        │  same split as the round before, or maxRounds reached
 *        ▼
 *   deadlocked ─► ask-compromise ─► (option added) ─► final round ─► decided | escalate
 *                      └─ no usable compromise ───────────────────────────► escalate
 */
import { compromiseAnswerSchema, schemaProblem } from "./ai-answers.js";
import { evaluate } from "./evaluate.js";
import { EPSILON, describeTallies } from "./methods/common.js";
import { count } from "./methods/index.js";
import { optionLetter, validateLabel } from "./options.js";
import { oneLineReason } from "./parse-vote.js";
import { currentRound } from "./state.js";
import { resolveBallots } from "./tally.js";
import { LIMITS, err, ok } from "./types.js";
import type { ConsensusError, Deadlock, Result, Voter, VoteResult, VoteState } from "./types.js";
import { agentVoters, sameVoter, weightOf } from "./voters.js";

export type NextStep =
  /** Ask these agents for their ballot in `round` (`final` after a compromise was added). */
  | { kind: "ask-round"; round: number; voters: Voter[]; final: boolean }
  /** The method's threshold is met after `round` (quorum is in `result`, judged as usual). */
  | { kind: "decided"; round: number; result: VoteResult }
  /** Record it with `recordStep`, then ask for a compromise. */
  | { kind: "deadlocked"; round: number; why: Deadlock }
  | { kind: "ask-compromise"; round: number; agent: Voter }
  /** Record it with `recordStep` and mention `mention` so a person decides. */
  | { kind: "escalate"; round: number; reason: string; mention: string[] }
  | { kind: "idle"; why: "no-agents" | "not-open" | "escalated" };

export function nextStep(state: VoteState): NextStep {
  if (state.phase !== "open") return { kind: "idle", why: "not-open" };
  const agents = agentVoters(state.spec);
  if (agents.length === 0) return { kind: "idle", why: "no-agents" };
  const { deadlock, compromise, compromiseFailed, escalated } = state.deliberation;
  if (escalated) return { kind: "idle", why: "escalated" };
  const last = currentRound(state);
  const finalRound = compromise ? compromise.afterRound + 1 : null;
  if (last === 0) return { kind: "ask-round", round: 1, voters: agents, final: false };
  const missing = agents.filter(
    (agent) => !state.ballots.some((ballot) => ballot.round === last && sameVoter(ballot.voter, agent)),
  );
  if (missing.length > 0) return { kind: "ask-round", round: last, voters: missing, final: last === finalRound };
  if (finalRound !== null && last >= finalRound) {
    const decided = decisionAfter(state, last);
    if (decided) return { kind: "decided", round: last, result: decided };
    return escalate(state, last, "The final round with the compromise option did not reach a decision either.");
  }
  if (deadlock) {
    if (compromiseFailed) return escalate(state, last, `No compromise was found: ${compromiseFailed.reason}`);
    if (!compromise) return { kind: "ask-compromise", round: last, agent: compromiseAgent(state) };
    return { kind: "ask-round", round: last + 1, voters: agents, final: true };
  }
  const decided = decisionAfter(state, last);
  if (decided) return { kind: "decided", round: last, result: decided };
  const why = detectDeadlock(state, last);
  if (why) return { kind: "deadlocked", round: last, why };
  return { kind: "ask-round", round: last + 1, voters: agents, final: false };
}

/** The result after `round` when the method's rule is met by the ballots standing then. */
function decisionAfter(state: VoteState, round: number): VoteResult | null {
  const { effective } = resolveBallots(state.spec, state.ballots, { upToRound: round });
  if (count(state.spec, effective).winner === undefined) return null;
  return evaluate(state.spec, effective);
}

/**
 * The split after a round: how much voting weight (1 per voter, or the voter's weight for
 * `weighted`) stands behind each distinct ballot — a whole ranking, or `abstain`. Two rounds
 * have the same split when these amounts are equal, whoever cast them.
 */
export function roundSplit(state: VoteState, round: number): Record<string, number> {
  const split: Record<string, number> = {};
  for (const ballot of resolveBallots(state.spec, state.ballots, { upToRound: round }).effective) {
    const key = ballot.choice === "abstain" ? "abstain" : ballot.choice.join(">");
    split[key] = (split[key] ?? 0) + weightOf(state.spec, ballot.voter);
  }
  return split;
}

function sameSplit(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((key) => Math.abs((a[key] ?? 0) - (b[key] ?? 0)) <= EPSILON);
}

function detectDeadlock(state: VoteState, round: number): Deadlock | null {
  const standing = describeStanding(state, round);
  if (round >= 2 && sameSplit(roundSplit(state, round - 1), roundSplit(state, round))) {
    return {
      afterRound: round,
      kind: "repeated-split",
      reason: `Rounds ${round - 1} and ${round} ended with the same split (${standing}); nobody moved.`,
    };
  }
  if (round >= state.spec.maxRounds) {
    return {
      afterRound: round,
      kind: "max-rounds",
      reason: `No decision after ${round} round${round === 1 ? "" : "s"}, the most allowed (${standing}).`,
    };
  }
  return null;
}

function describeStanding(state: VoteState, round: number): string {
  const { effective } = resolveBallots(state.spec, state.ballots, { upToRound: round });
  const first = count(state.spec, effective).rounds[0]?.tallies ?? {};
  return describeTallies(state.spec, first);
}

function compromiseAgent(state: VoteState): Voter {
  const configured = state.spec.compromiseAgent;
  const agents = agentVoters(state.spec);
  if (configured !== null) return { id: configured, kind: "agent" };
  return agents[0] ?? { id: "unknown", kind: "agent" };
}

function escalate(state: VoteState, round: number, reason: string): NextStep {
  return { kind: "escalate", round, reason, mention: state.spec.maintainers.map((login) => `@${login}`) };
}

/** Writes a `deadlocked` or `escalate` step into the state; other steps need nothing recorded. */
export function recordStep(state: VoteState, step: NextStep): VoteState {
  if (step.kind === "deadlocked" && !state.deliberation.deadlock) {
    return { ...state, deliberation: { ...state.deliberation, deadlock: step.why } };
  }
  if (step.kind === "escalate" && !state.deliberation.escalated) {
    const escalated = { afterRound: step.round, reason: step.reason };
    return { ...state, deliberation: { ...state.deliberation, escalated } };
  }
  return state;
}

type CompromiseErrorCode =
  | "not-deadlocked"
  | "invalid-answer"
  | "bad-option"
  | "duplicate-option"
  | "too-many-options";

/**
 * Adds the compromise an agent proposed (an untrusted answer, validated here) as a new
 * option for the final round. On an error the caller may retry once, then record the failure.
 */
export function addCompromise(
  state: VoteState,
  answer: unknown,
  by: string,
): Result<VoteState, ConsensusError<CompromiseErrorCode>> {
  const deadlock = state.deliberation.deadlock;
  if (!deadlock || state.deliberation.compromise || state.deliberation.compromiseFailed) {
    return err({ code: "not-deadlocked", message: "A compromise is only asked once, after a deadlock." });
  }
  const parsed = compromiseAnswerSchema.safeParse(answer);
  if (!parsed.success) {
    return err({ code: "invalid-answer", message: schemaProblem(parsed.error) });
  }
  const { options } = state.spec;
  if (options.length >= LIMITS.maxOptions) {
    return err({ code: "too-many-options", message: `The vote already has ${LIMITS.maxOptions} options.` });
  }
  const label = validateLabel(parsed.data.option, options.map((option) => option.label));
  if (!label.ok) return label;
  const option = { id: optionLetter(options.length), label: label.value };
  return ok({
    ...state,
    spec: { ...state.spec, options: [...options, option] },
    deliberation: {
      ...state.deliberation,
      compromise: {
        optionId: option.id,
        by: by.toLowerCase(),
        reason: oneLineReason(parsed.data.reason) ?? "",
        afterRound: deadlock.afterRound,
      },
    },
  });
}

/** No usable compromise (the agent failed twice): the next step escalates. */
export function recordCompromiseFailure(state: VoteState, by: string, reason: string): VoteState {
  if (!state.deliberation.deadlock || state.deliberation.compromise) return state;
  return {
    ...state,
    deliberation: {
      ...state.deliberation,
      compromiseFailed: { by: by.toLowerCase(), reason: oneLineReason(reason) ?? "no answer" },
    },
  };
}
