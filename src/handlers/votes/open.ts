/**
 * Opening a vote: from a parsed `/propose` to a spec (teams expanded, agents checked, config
 * defaults applied), then one tally comment and the open-vote label.
 */
import { resolveAgentSpecs } from "../../agents/index.js";
import {
  buildVoteSpec,
  nextStep,
  openVote,
  renderTally,
  teamsToResolve,
  type Proposal,
  type VoterRef,
  type VoteSpec,
  type VoteState,
  type VotingDefaults,
} from "../../domain/consensus/index.js";
import { parseVoters } from "../../domain/consensus/parse-proposal.js";
import type { CommentData, IssueData } from "../../github/port.js";
import type { RunContext } from "../../runtime/context.js";
import { reportWouldAsk } from "./dry-run.js";
import { openVoteLabel } from "./labels.js";
import { votesIn } from "./store.js";

type SpecOutcome = { ok: true; spec: VoteSpec } | { ok: false; reason: string };

/** The config's voting defaults, with the one top-level list of maintainers and the agents' weights. */
export function votingDefaults(ctx: RunContext): VotingDefaults {
  const agentWeights = Object.fromEntries(
    resolveAgentSpecs(ctx.config.agents)
      .filter((agent) => agent.weight !== 1)
      .map((agent) => [agent.name, agent.weight]),
  );
  return {
    ...ctx.config.voting,
    weights: { ...agentWeights, ...ctx.config.voting.weights },
    maintainers: ctx.config.maintainers,
  };
}

export async function specFor(ctx: RunContext, issue: IssueData, proposer: string, proposal: Proposal): Promise<SpecOutcome> {
  const config = votingDefaults(ctx);
  const off = switchedOffAgent(ctx, proposal.voters ?? defaultRefs(config));
  if (off) return { ok: false, reason: off };
  const teams: Record<string, string[]> = {};
  for (const team of teamsToResolve(proposal, config)) {
    const members = await ctx.github.teamMembers(team.org, team.slug);
    if (members) teams[`${team.org}/${team.slug}`.toLowerCase()] = members;
  }
  const built = buildVoteSpec(proposal, {
    config,
    now: ctx.clock.now(),
    proposer,
    target: issue.isPullRequest ? "pull-request" : "issue",
    knownAgents: ctx.agents.agents.map((agent) => agent.name),
    teams,
    taskType: ctx.scheme.typesIn(issue.labels)[0] ?? null,
  });
  return built.ok ? { ok: true, spec: built.value } : { ok: false, reason: built.error.message };
}

function defaultRefs(config: VotingDefaults): VoterRef[] {
  const parsed = config.voters.length > 0 ? parseVoters(config.voters.join(",")) : null;
  return parsed?.ok ? parsed.value : [];
}

/** An agent voter that is configured but off (no key, disabled) is named with the reason. */
function switchedOffAgent(ctx: RunContext, refs: readonly VoterRef[]): string | null {
  for (const ref of refs) {
    if (ref.kind !== "agent") continue;
    const off = ctx.agents.disabled.find((agent) => agent.name === ref.id);
    if (off) return `agent \`${off.name}\` cannot vote: ${off.message}`;
  }
  return null;
}

type OpenOutcome = { ok: true; state: VoteState; comments: CommentData[] } | { ok: false; reason: string };

/**
 * Posts the tally and the open-vote label, then reads the comments back: should another vote
 * have been opened at the same moment, the older one stays and this one is removed again.
 */
export async function postVote(ctx: RunContext, issue: IssueData, id: string, spec: VoteSpec): Promise<OpenOutcome> {
  const state = openVote(id, spec);
  const number = issue.number;
  await ctx.apply([
    { kind: "create-comment", issue: number, body: renderTally(state), why: "vote opened" },
    { kind: "add-labels", issue: number, labels: [openVoteLabel(ctx)], why: "vote opened" },
  ]);
  if (ctx.dryRun) {
    // Nothing was posted, so no deliberation follows: say whom it would start by asking.
    reportWouldAsk(ctx, number, nextStep(state));
    return { ok: true, state, comments: [] };
  }
  const comments = await ctx.github.listComments(number);
  const open = votesIn(comments).filter((vote) => vote.state.phase === "open");
  const [first, ...others] = open;
  const mine = others.filter((vote) => vote.state.id === id);
  if (mine.length > 0) {
    await ctx.apply(
      mine.map((vote) => ({ kind: "delete-comment" as const, issue: number, commentId: vote.comment.id, why: "another vote was opened first" })),
    );
  }
  if (!first || first.state.id !== id) {
    return { ok: false, reason: "another vote was opened here at the same moment; only one can be open at a time" };
  }
  return { ok: true, state: first.state, comments };
}
