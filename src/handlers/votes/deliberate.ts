/**
 * Runs the AI deliberation of a vote within one run (an Action must finish its work in its
 * own run): the pure `nextStep` says what to do, this asks the agents, records their ballots
 * and writes the tally after every step, so a run that stops is resumed by the next one
 * (a redelivered `/propose`) exactly where it stopped.
 */
import { z } from "zod";
import type { DataBlock } from "../../agents/index.js";
import { readMarker, renderMarker } from "../../domain/markers.js";
import {
  noAnswerFor,
  addCompromise,
  castBallot,
  nextStep,
  recordCompromiseFailure,
  recordStep,
  renderEscalation,
  type Ballot,
  type Voter,
  type VoteState,
} from "../../domain/consensus/index.js";
import type { CommentData, IssueData } from "../../github/port.js";
import type { RunContext } from "../../runtime/context.js";
import { botComments } from "../sticky.js";
import { askBallot, askCompromise, describeSpend, threadBlocks, type SpendLog } from "./ask.js";
import { reportWouldAsk } from "./dry-run.js";
import { voteWithId } from "./store.js";
import { updateVote } from "./update.js";

const ESCALATION_KIND = "vote-escalation";
/** The escalation comment names the vote it escalated, so each vote escalates once. */
const escalationMarkerSchema = z.object({ vote: z.string() });

type DeliberationEnd = "decided" | "escalated" | "no-agents" | "not-open" | "tally-gone" | "step-limit" | "dry-run";

interface DeliberationReport {
  /** Why the deliberation stopped. */
  ended: DeliberationEnd;
  /** Agent calls made by this run. */
  calls: number;
  spend: SpendLog;
}

/**
 * Deliberates vote `id` until a decision, an escalation, or nothing is left to ask. Bounded:
 * `nextStep` reaches a deadlock after at most `maxRounds`, then one compromise and one final round.
 */
export async function deliberate(
  ctx: RunContext,
  issue: IssueData,
  id: string,
  comments: CommentData[],
): Promise<DeliberationReport> {
  const spend: SpendLog = new Map();
  const vote = voteWithId(comments, id);
  if (!vote) return finish(ctx, issue.number, "tally-gone", spend);
  const thread = threadBlocks(issue, comments);
  let state = vote.state;
  let snapshot = comments;
  const limit = 4 * (state.spec.maxRounds + 3);
  for (let steps = 0; steps < limit; steps++) {
    const step = nextStep(state);
    if (ctx.dryRun && reportWouldAsk(ctx, issue.number, step)) return finish(ctx, issue.number, "dry-run", spend);
    let next: VoteState;
    switch (step.kind) {
      case "ask-round":
        next = await askRound(ctx, state, step.round, step.voters, thread, spend);
        break;
      case "deadlocked":
        // Recorded with the compromise that follows, in one write.
        state = recordStep(state, step);
        continue;
      case "ask-compromise":
        next = await compromise(ctx, state, step.agent.id, thread, spend);
        break;
      case "escalate":
        await escalate(ctx, issue.number, state, step.reason, snapshot);
        next = recordStep(state, step);
        break;
      case "decided":
        return finish(ctx, issue.number, "decided", spend);
      case "idle":
        return finish(ctx, issue.number, step.why, spend);
    }
    const mine = next;
    const update = await updateVote(ctx, issue.number, id, (fresh) => mergeAgentWork(fresh, mine), {
      comments: snapshot,
      why: `vote deliberation (${step.kind})`,
    });
    if (!update.state) return finish(ctx, issue.number, "tally-gone", spend);
    state = update.state;
    snapshot = update.comments;
  }
  return finish(ctx, issue.number, "step-limit", spend);
}

async function askRound(
  ctx: RunContext,
  state: VoteState,
  round: number,
  voters: Voter[],
  thread: DataBlock[],
  spend: SpendLog,
): Promise<VoteState> {
  const ballots = await Promise.all(voters.map((voter) => askBallot(ctx, state, round, voter, thread, spend)));
  let next = state;
  for (const ballot of ballots) next = cast(next, ballot);
  return next;
}

/** Records an agent's ballot; one the vote cannot take becomes "no answer", so no agent is asked forever. */
function cast(state: VoteState, ballot: Ballot): VoteState {
  const cast = castBallot(state, ballot);
  if (cast.ok) return cast.value;
  const fallback = castBallot(state, noAnswerFor(ballot.voter, ballot.round, new Date(ballot.at), cast.error.message));
  return fallback.ok ? fallback.value : state;
}

/** Asks for a compromise, once more when the first answer is unusable, then gives up (the next step escalates). */
async function compromise(
  ctx: RunContext,
  state: VoteState,
  agent: string,
  thread: DataBlock[],
  spend: SpendLog,
): Promise<VoteState> {
  const deadlock = state.deliberation.deadlock;
  if (!deadlock) return state;
  let problem: string | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    const answer = await askCompromise(ctx, state, deadlock, agent, thread, spend, problem);
    if (!answer.ok) return recordCompromiseFailure(state, agent, answer.reason);
    const added = addCompromise(state, answer.answer, agent);
    if (added.ok) return added.value;
    problem = added.error.message;
  }
  return recordCompromiseFailure(state, agent, problem ?? "no usable option");
}

/** Mentions the maintainers once per vote: the comment carries the vote's id. */
async function escalate(ctx: RunContext, issue: number, state: VoteState, reason: string, comments: CommentData[]): Promise<void> {
  const done = botComments(comments, ESCALATION_KIND).some(
    (comment) => readMarker(comment.body, ESCALATION_KIND, escalationMarkerSchema)?.vote === state.id,
  );
  if (done) return;
  const body = [renderMarker(ESCALATION_KIND, { vote: state.id }), renderEscalation(state, reason)].join("\n");
  await ctx.apply([{ kind: "create-comment", issue, body, why: "deadlocked vote escalated to the maintainers" }]);
}

/**
 * This run's agent work laid over the freshest tally: its agent ballots, deliberation notes and
 * compromise option win; people's ballots come from the comments anyway. A vote closed or
 * cancelled meanwhile stays as it is.
 */
export function mergeAgentWork(fresh: VoteState, mine: VoteState): VoteState {
  if (fresh.phase !== "open") return fresh;
  const key = (ballot: Ballot) => `${ballot.voter.id}#${ballot.round}`;
  const ours = mine.ballots.filter((ballot) => ballot.voter.kind === "agent");
  const theirs = fresh.ballots.filter((ballot) => ballot.voter.kind === "agent" && !ours.some((own) => key(own) === key(ballot)));
  const order = mine.spec.voters.map((voter) => voter.id);
  const agents = [...theirs, ...ours].sort(
    (a, b) => a.round - b.round || order.indexOf(a.voter.id) - order.indexOf(b.voter.id),
  );
  const people = fresh.ballots.filter((ballot) => ballot.voter.kind === "person");
  return {
    ...fresh,
    spec: mine.spec.options.length > fresh.spec.options.length ? mine.spec : fresh.spec,
    ballots: [...agents, ...people],
    deliberation: { ...fresh.deliberation, ...mine.deliberation },
  };
}

function finish(ctx: RunContext, issue: number, ended: DeliberationEnd, spend: SpendLog): DeliberationReport {
  const calls = [...spend.values()].reduce((sum, entry) => sum + entry.calls, 0);
  if (calls > 0) {
    const line = `#${issue}: vote deliberation ${ended} — ${describeSpend(spend)}`;
    ctx.report.notes.push(line);
    ctx.log.info(line);
  }
  return { ended, calls, spend };
}
