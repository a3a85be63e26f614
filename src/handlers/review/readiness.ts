/**
 * Merge readiness from the agents' verdicts and people's word on the PR: their GitHub reviews
 * (approved, changes requested; by people with write permission) and their `/vote approve|reject`,
 * the newer of the two per person (src/domain/review/people.ts).
 * `agents-and-people` uses the core's built-in rule; `consensus` counts one Approve/Reject vote of
 * agents and people with the voting consensus method — the PR vote's method when there is one,
 * else `voting.defaultMethod`. In that count an approving agent votes Approve, a blocker Reject,
 * and a concern abstains (it asks questions; it neither approves nor rejects).
 */
import {
  APPROVE_REJECT_LABELS,
  METHOD_NAMES,
  evaluate,
  makeOptions,
  optionLabel,
  resolveBallots,
  type Ballot,
  type Method,
  type Voter,
  type VoteSpec,
  type VoteState,
} from "../../domain/consensus/index.js";
import { peopleWord, type PersonReview, type TimedVote } from "../../domain/review/people.js";
import type { AgentVerdict, CombineReadiness, PersonVote } from "../../domain/review/policy.js";
import { GitHubError, type ReviewData } from "../../github/port.js";
import type { RunContext } from "../../runtime/context.js";
import { meets } from "../permissions.js";
import { readVote } from "../votes/index.js";

interface ReadinessInput {
  votes: PersonVote[];
  combine?: CombineReadiness;
}

/**
 * What the policy needs besides the agents: nothing for `agents` (no request); else people's word —
 * the PR vote's tally and the PR's reviews (`reviews` when the caller has just listed them, else one
 * `GET …/pulls/{n}/reviews`), and a permission check per reviewer (once per run each).
 */
export async function readinessInput(ctx: RunContext, pr: number, reviews?: readonly ReviewData[]): Promise<ReadinessInput> {
  const method = ctx.config.review.mergeReadiness;
  if (method === "agents") return { votes: [] };
  const state = await readVote(ctx, pr);
  const ballots = state && state.phase !== "cancelled" ? peopleVotes(state) : [];
  const counted = await countedReviews(ctx, pr, reviews ?? (await ctx.github.listReviews(pr)));
  const votes = peopleWord(counted, ballots);
  if (method !== "consensus") return { votes };
  return { votes, combine: consensusReadiness(consensusSettings(ctx, state)) };
}

/** People's standing ballots that name Approve or Reject (the latest of each person counts). */
function peopleVotes(state: VoteState): TimedVote[] {
  const votes: TimedVote[] = [];
  for (const ballot of resolveBallots(state.spec, state.ballots).effective) {
    if (ballot.voter.kind !== "person" || ballot.choice === "abstain" || !ballot.choice[0]) continue;
    const label = optionLabel(state.spec.options, ballot.choice[0]).toLowerCase();
    if (label === "approve" || label === "reject") votes.push({ login: ballot.voter.id, vote: label, at: ballot.at });
  }
  return votes;
}

/**
 * Reviews that may count: by people (not bots, not Orkestra) with write permission or more — the
 * permission that lets a review count towards GitHub's own required approvals. A token that may not
 * ask (a fork's read-only token) counts nobody: unverified means not counted.
 */
async function countedReviews(ctx: RunContext, pr: number, reviews: readonly ReviewData[]): Promise<PersonReview[]> {
  const people = reviews.filter((review) => !review.byOrkestra && review.author.type !== "Bot" && review.state !== "COMMENTED" && review.state !== "PENDING");
  const counted: PersonReview[] = [];
  for (const login of new Set(people.map((review) => review.author.login))) {
    let level;
    try {
      level = await ctx.permissionOf(login);
    } catch (error) {
      if (!(error instanceof GitHubError) || error.status !== 403) throw error;
      ctx.report.notes.push(`#${pr}: @${login}'s review is not counted: this token may not read permissions`);
      continue;
    }
    if (!meets(level, "write")) {
      ctx.report.notes.push(`#${pr}: @${login}'s review does not count towards merge readiness (permission ${level}, write needed)`);
      continue;
    }
    for (const review of people) if (review.author.login === login) counted.push({ login, state: review.state, submittedAt: review.submittedAt });
  }
  return counted;
}

interface ConsensusSettings {
  method: Method;
  threshold: number;
  /** By voter key (`claude`, `@alice`); only the `weighted` method reads them. */
  weights: Record<string, number>;
  /** Where the method came from, for the explanation. */
  source: string;
}

function consensusSettings(ctx: RunContext, state: VoteState | null): ConsensusSettings {
  const weights: Record<string, number> = { ...state?.spec.weights };
  for (const agent of ctx.agents.agents) weights[agent.name.toLowerCase()] ??= agent.spec.weight;
  if (state) return { method: state.spec.method, threshold: state.spec.threshold, weights, source: "the method of the vote on this PR" };
  return { method: ctx.config.voting.defaultMethod, threshold: ctx.config.voting.supermajorityThreshold, weights, source: "`voting.defaultMethod`" };
}

const FIXED_TIME = "2000-01-01T00:00:00.000Z";

/** A `combine` for the core: one Approve/Reject count of agents and people by the consensus method. */
export function consensusReadiness(settings: ConsensusSettings): CombineReadiness {
  return (verdicts, votes) => {
    const ballots = [...verdicts.map(agentBallot), ...votes.map(personBallot)];
    if (ballots.length === 0) return { ready: false, explanation: "Nobody has voted and no agent answered." };
    const spec: VoteSpec = {
      question: "Ready to merge?",
      options: makeOptions(APPROVE_REJECT_LABELS),
      method: settings.method,
      threshold: settings.threshold,
      voters: ballots.map((ballot) => ballot.voter),
      quorum: 1,
      minParticipation: 0,
      deadline: FIXED_TIME,
      createdAt: FIXED_TIME,
      proposer: "orkestra",
      maxRounds: 1,
      weights: settings.weights,
      compromiseAgent: null,
      maintainers: [],
      target: "pull-request",
      taskType: null,
    };
    const result = evaluate(spec, ballots);
    const ready = result.status === "passed" && result.winner === "A";
    const how = `${METHOD_NAMES[settings.method]} (${settings.source}) over ${ballots.length} ballot(s) of agents and people`;
    return { ready, explanation: `${how}: ${ready ? "Approve carried" : result.status === "passed" ? "Reject carried" : "no decision"}. ${result.reason}` };
  };
}

function ballot(voter: Voter, choice: Ballot["choice"]): Ballot {
  return { voter, choice, round: 0, at: FIXED_TIME };
}

function agentBallot(entry: AgentVerdict): Ballot {
  const voter: Voter = { id: entry.agent.toLowerCase(), kind: "agent" };
  return ballot(voter, entry.verdict === "approve" ? ["A"] : entry.verdict === "blocker" ? ["B"] : "abstain");
}

function personBallot(vote: PersonVote): Ballot {
  return ballot({ id: vote.login.toLowerCase(), kind: "person" }, [vote.vote === "approve" ? "A" : "B"]);
}

