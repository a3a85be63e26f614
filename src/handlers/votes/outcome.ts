/**
 * Ending a vote: the tally is frozen first (so a rerun cannot count again), then the outcome
 * is applied — the `decision:*` label, the open-vote label taken off, an audit line on the
 * task card. Applying is idempotent, so a run that stopped half-way is finished by the next
 * one (the sweep finds the open-vote label still there).
 */
import {
  cancelVote,
  closeVote,
  optionLabel,
  type Actor,
  type CloseRequest,
  type ConsensusError,
  type Result,
  type VoteState,
} from "../../domain/consensus/index.js";
import { withDecision, type Decision } from "../../domain/task/card.js";
import { same } from "../../domain/task/labels.js";
import type { CommentData, IssueData } from "../../github/port.js";
import type { RunContext } from "../../runtime/context.js";
import type { Effect } from "../../runtime/effects.js";
import { cardEffects, cardIn } from "../task-store.js";
import { recountPeople } from "./ballots.js";
import { DECISION_PREFIX, decisionLabelSpec, openVoteLabel } from "./labels.js";
import { openVoteIn, type StoredVote } from "./store.js";
import { updateVote } from "./update.js";

type EndResult = Result<VoteState, ConsensusError>;

/** Closes an open vote (deadline or maintainer) and applies its outcome. A refusal changes nothing. */
export async function closeAndApply(
  ctx: RunContext,
  issue: IssueData,
  vote: StoredVote,
  comments: CommentData[],
  request: CloseRequest,
): Promise<EndResult> {
  const check = closeVote(await recountPeople(ctx, vote, comments), request);
  if (!check.ok) return check;
  const why = request.by === "deadline" ? "vote closed at its deadline" : `vote closed by @${request.by.login}`;
  return endVote(ctx, issue, vote, comments, why, (state) => closeVote(state, request));
}

/** Cancels an open vote (proposer or maintainer): no result, no decision label. */
export async function cancelAndApply(
  ctx: RunContext,
  issue: IssueData,
  vote: StoredVote,
  comments: CommentData[],
  request: { at: Date; by: Actor },
): Promise<EndResult> {
  const check = cancelVote(vote.state, request);
  if (!check.ok) return check;
  return endVote(ctx, issue, vote, comments, `vote cancelled by @${request.by.login}`, (state) => cancelVote(state, request));
}

async function endVote(
  ctx: RunContext,
  issue: IssueData,
  vote: StoredVote,
  comments: CommentData[],
  why: string,
  end: (state: VoteState) => EndResult,
): Promise<EndResult> {
  const update = await updateVote(
    ctx,
    issue.number,
    vote.state.id,
    (state) => {
      if (state.phase !== "open") return state;
      const ended = end(state);
      return ended.ok ? ended.value : state;
    },
    { comments, why },
  );
  if (!update.state) return { ok: false, error: { code: "vote-not-open", message: "the tally comment of this vote is gone" } };
  await applyOutcome(ctx, issue, update.comments, update.state);
  return { ok: true, value: update.state };
}

/** Labels and audit line for a vote that is closed or cancelled; nothing for what is already done. */
export async function applyOutcome(ctx: RunContext, issue: IssueData, comments: CommentData[], state: VoteState): Promise<void> {
  if (state.phase === "open") return;
  const number = issue.number;
  const effects: Effect[] = [];
  const has = (name: string) => issue.labels.some((label) => same(label, name));
  const decision = state.phase === "closed" ? decisionLabelSpec(state) : null;
  if (decision) {
    const stale = issue.labels.filter((label) => label.toLowerCase().startsWith(DECISION_PREFIX) && !same(label, decision.name));
    if (stale.length > 0) effects.push({ kind: "remove-labels", issue: number, names: stale, why: "a newer vote decided" });
    if (!has(decision.name)) effects.push({ kind: "add-labels", issue: number, labels: [decision], why: outcomeText(state) });
  }
  const open = openVoteLabel(ctx).name;
  if (has(open) && !openVoteIn(comments)) {
    effects.push({ kind: "remove-labels", issue: number, names: [open], why: "no vote is open any more" });
  }
  effects.push(...auditEffects(issue, comments, state));
  await ctx.apply(effects);
}

/** One line on the task card's recent decisions; skipped for pull requests and issues that are not tasks. */
function auditEffects(issue: IssueData, comments: CommentData[], state: VoteState): Effect[] {
  if (issue.isPullRequest) return [];
  const meta = cardIn(comments);
  const decision = auditDecision(state);
  if (!meta || !decision) return [];
  if (meta.history.some((entry) => entry.what === decision.what && entry.at === decision.at)) return [];
  return cardEffects({ issue, comments, meta }, withDecision(meta, decision), decision.what);
}

export function auditDecision(state: VoteState): Decision | null {
  const question = state.spec.question.length > 80 ? `${state.spec.question.slice(0, 79)}…` : state.spec.question;
  if (state.phase === "cancelled" && state.cancelled) {
    return { at: state.cancelled.at, by: state.cancelled.by, what: `vote cancelled (${state.spec.method})`, why: `“${question}”` };
  }
  if (state.phase !== "closed" || !state.closed || !state.result) return null;
  const p = state.result.participation;
  return {
    at: state.closed.at,
    by: state.closed.decidedBy ?? state.closed.by ?? "orkestra",
    what: `vote closed: ${outcomeText(state)} (${state.spec.method})`,
    why: `“${question}”, ${p.cast} of ${p.eligible} voted`,
  };
}

/** `passed: Postgres`, `failed`, `no-quorum`, `deadlocked`. */
export function outcomeText(state: VoteState): string {
  const result = state.result;
  if (!result) return state.phase;
  if (result.status === "passed" && result.winner !== undefined) {
    return `passed: ${optionLabel(state.spec.options, result.winner)}`;
  }
  return result.status;
}
