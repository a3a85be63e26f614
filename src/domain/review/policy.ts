/**
 * The deterministic decision policy: agents' verdicts → one PR review, labels and a check run.
 *
 * Rules, first match wins (n = agents that answered; abstentions are listed, never counted):
 * 1. any blocker (verdict, or a blocker finding)  → REQUEST_CHANGES, `review:blocked`, maintainers mentioned, check failure
 * 2. fewer answers than the quorum (default 1)      → COMMENT, labels unchanged, check `noVerdictConclusion` (neutral)
 * 3. concerns > n / 2                               → COMMENT, `review:needs-clarification`, check action_required
 * 4. at least one concern                           → COMMENT with the warnings, check neutral
 * 5. all approve                                    → APPROVE (COMMENT when approving is not allowed), check success
 * Merge readiness then combines the agents' verdicts with people's `/vote approve|reject` by the
 * configured method and, unless the method is `agents`, decides the check run's conclusion.
 */
import { effectiveVerdict } from "./schema.js";
import type { AbstentionStatus, AgentOutcome, Verdict } from "./schema.js";

export const REVIEW_EVENTS = ["APPROVE", "REQUEST_CHANGES", "COMMENT"] as const;
export type ReviewEvent = (typeof REVIEW_EVENTS)[number];
export type CheckConclusion = "success" | "failure" | "neutral" | "action_required";
export const REVIEW_OUTCOMES = ["blocked", "needs-clarification", "concern", "approved", "no-verdict"] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

export interface ReviewLabels {
  blocked: string;
  needsClarification: string;
  /** Optional label for an all-approve outcome; empty means none. */
  approved?: string;
}

export type MergeReadinessMethod = "agents" | "agents-and-people" | "consensus";

export interface PolicyOptions {
  /** May the bot submit APPROVE? When false an all-approve review is a COMMENT. */
  allowApprove: boolean;
  labels: ReviewLabels;
  /** People or teams (`octocat`, `org/team`) mentioned when a blocker is found. */
  maintainers: readonly string[];
  /** Answers needed for a verdict other than blocked (default 1). */
  quorum?: number;
  /** The check conclusion when no verdict is reached (default neutral). */
  noVerdictConclusion?: "neutral" | "action_required";
  /** How merge readiness is decided (default `agents`). */
  mergeReadiness?: MergeReadinessMethod;
}

export interface AgentVerdict {
  agent: string;
  verdict: Verdict;
}

export interface PersonVote {
  login: string;
  vote: "approve" | "reject";
}

export interface Readiness {
  ready: boolean;
  explanation: string;
}

/** A consensus method (src/domain/consensus) adapted to this shape by the caller. */
export type CombineReadiness = (agentVerdicts: readonly AgentVerdict[], peopleVotes: readonly PersonVote[]) => Readiness;

export interface Abstention {
  agent: string;
  status: AbstentionStatus;
  error: string;
}

export interface ReviewDecision {
  outcome: ReviewOutcome;
  event: ReviewEvent;
  labelsToAdd: string[];
  labelsToRemove: string[];
  /** Handles to mention (without `@`); empty unless blocked. */
  mention: string[];
  conclusion: CheckConclusion;
  title: string;
  summary: string;
  verdicts: AgentVerdict[];
  missing: Abstention[];
  counts: { approve: number; concern: number; blocker: number; answered: number; missing: number };
  mergeReadiness: Readiness & { method: MergeReadinessMethod };
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/**
 * The built-in `agents-and-people` rule: a person's reject vetoes; an agent blocker vetoes unless
 * at least one person approved (a person takes responsibility); otherwise ready when approvals
 * (agents' and people's) outnumber the agents' concerns.
 */
export const agentsAndPeopleReadiness: CombineReadiness = (verdicts, votes) => {
  const rejecters = votes.filter((vote) => vote.vote === "reject").map((vote) => `@${vote.login}`);
  const peopleApprove = votes.filter((vote) => vote.vote === "approve").length;
  const blockers = verdicts.filter((entry) => entry.verdict === "blocker").length;
  const concerns = verdicts.filter((entry) => entry.verdict === "concern").length;
  const approvals = verdicts.filter((entry) => entry.verdict === "approve").length + peopleApprove;
  if (rejecters.length > 0) return { ready: false, explanation: `Rejected by ${rejecters.join(", ")}.` };
  if (blockers > 0 && peopleApprove === 0) return { ready: false, explanation: `${plural(blockers, "agent")} found a blocker and no person has approved.` };
  if (approvals > concerns) {
    return { ready: true, explanation: `${approvals} approval(s) (agents and people) against ${plural(concerns, "concern")}${blockers ? `; ${peopleApprove} person(s) approved over the blocker` : ""}.` };
  }
  return { ready: false, explanation: `${approvals} approval(s) do not outnumber ${plural(concerns, "concern")}.` };
};

interface Rule {
  outcome: ReviewOutcome;
  event: ReviewEvent;
  conclusion: CheckConclusion;
  label: keyof ReviewLabels | null;
}

function chooseRule(counts: ReviewDecision["counts"], options: PolicyOptions): Rule {
  if (counts.blocker > 0) return { outcome: "blocked", event: "REQUEST_CHANGES", conclusion: "failure", label: "blocked" };
  if (counts.answered < Math.max(1, options.quorum ?? 1)) {
    return { outcome: "no-verdict", event: "COMMENT", conclusion: options.noVerdictConclusion ?? "neutral", label: null };
  }
  if (counts.concern > counts.answered / 2) {
    return { outcome: "needs-clarification", event: "COMMENT", conclusion: "action_required", label: "needsClarification" };
  }
  if (counts.concern > 0) return { outcome: "concern", event: "COMMENT", conclusion: "neutral", label: null };
  return { outcome: "approved", event: options.allowApprove ? "APPROVE" : "COMMENT", conclusion: "success", label: "approved" };
}

function describe(outcome: ReviewOutcome, counts: ReviewDecision["counts"]): { title: string; summary: string } {
  const of = `${counts.answered} agent${counts.answered === 1 ? "" : "s"}`;
  switch (outcome) {
    case "blocked":
      return { title: `Blocked: ${counts.blocker} of ${of} found a blocker`, summary: "At least one agent found a problem that must be fixed before merging." };
    case "needs-clarification":
      return { title: `Needs clarification: ${counts.concern} of ${of} have concerns`, summary: "A majority of the agents have concerns; please answer or address them." };
    case "concern":
      return {
        title: `${counts.concern} of ${of} raised ${counts.concern === 1 ? "a concern" : "concerns"}`,
        summary: "No blocker and no majority of concerns; read the warnings below.",
      };
    case "approved":
      return { title: `Approved by ${counts.approve} of ${of}`, summary: "Every agent that answered approves this change." };
    case "no-verdict":
      return { title: "No verdict: not enough agents answered", summary: "The review could not reach a verdict; run `/review` to try again." };
  }
}

function readiness(
  method: MergeReadinessMethod,
  outcome: ReviewOutcome,
  verdicts: AgentVerdict[],
  votes: readonly PersonVote[],
  combine: CombineReadiness | undefined,
): Readiness {
  if (method === "agents-and-people") return agentsAndPeopleReadiness(verdicts, votes);
  if (method === "consensus") {
    return combine ? combine(verdicts, votes) : { ready: false, explanation: "The consensus method is not available, so readiness cannot be decided." };
  }
  const ready = outcome === "approved" || outcome === "concern";
  return { ready, explanation: `Decided by the agents alone (${outcome}).` };
}

/** Applies the policy (see the module comment) to the agents' outcomes and people's votes. */
export function decideReview(
  outcomes: readonly AgentOutcome[],
  options: PolicyOptions,
  people: { votes?: readonly PersonVote[]; combine?: CombineReadiness } = {},
): ReviewDecision {
  const verdicts: AgentVerdict[] = [];
  const missing: Abstention[] = [];
  for (const outcome of outcomes) {
    if (outcome.status === "ok") verdicts.push({ agent: outcome.agent, verdict: effectiveVerdict(outcome.review) });
    else missing.push({ agent: outcome.agent, status: outcome.status, error: outcome.error });
  }
  const count = (verdict: Verdict) => verdicts.filter((entry) => entry.verdict === verdict).length;
  const counts = { approve: count("approve"), concern: count("concern"), blocker: count("blocker"), answered: verdicts.length, missing: missing.length };

  const rule = chooseRule(counts, options);
  const managed = [options.labels.blocked, options.labels.needsClarification, options.labels.approved ?? ""].filter(Boolean);
  const label = rule.label ? (options.labels[rule.label] ?? "") : "";
  const labelsToAdd = label ? [label] : [];
  // Without a verdict the labels of the last real review stay: a blocker is not cleared by an outage.
  const labelsToRemove = rule.outcome === "no-verdict" ? [] : managed.filter((name) => name !== label);

  const method = options.mergeReadiness ?? "agents";
  const ready = readiness(method, rule.outcome, verdicts, people.votes ?? [], people.combine);
  let conclusion = rule.conclusion;
  if (method !== "agents") conclusion = ready.ready ? "success" : rule.conclusion === "success" || rule.conclusion === "neutral" ? "action_required" : rule.conclusion;

  return {
    outcome: rule.outcome,
    event: rule.event,
    labelsToAdd,
    labelsToRemove,
    mention: rule.outcome === "blocked" ? options.maintainers.map((handle) => handle.replace(/^@/, "")) : [],
    conclusion,
    ...describe(rule.outcome, counts),
    verdicts,
    missing,
    counts,
    mergeReadiness: { method, ...ready },
  };
}
