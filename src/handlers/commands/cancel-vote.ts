import type { VoteState } from "../../domain/consensus/index.js";
import { applyOutcome, cancelAndApply, isMaintainer, latestVoteIn, openVoteIn } from "../votes/index.js";
import { refuse, type CommandContext, type CommandSpec } from "./types.js";

export const NO_VOTE_TO_END = "there is no open vote here";

/** Whether the vote was ended by the comment being handled again (a redelivery), not by another. */
export function endedByThisComment(state: VoteState, ctx: CommandContext): boolean {
  const ended = state.closed ? { by: state.closed.by, at: state.closed.at } : state.cancelled;
  if (!ended?.by || ended.by !== ctx.author.toLowerCase()) return false;
  return Date.parse(ended.at) >= Date.parse(ctx.comment.createdAt);
}

export const cancelVoteCommand: CommandSpec = {
  name: "cancel-vote",
  usage: "/cancel-vote",
  summary: "Cancel the open vote without a result. The proposer or a maintainer.",
  examples: ["/cancel-vote"],
  // Who may cancel is decided in `run`: the proposer, or a maintainer.
  permission: "read",
  scope: "issue-or-pull-request",
  async run(ctx) {
    const comments = await ctx.github.listComments(ctx.issue.number);
    const vote = openVoteIn(comments);
    if (!vote) {
      const latest = latestVoteIn(comments);
      if (!latest || latest.state.phase !== "cancelled" || !endedByThisComment(latest.state, ctx)) return refuse(NO_VOTE_TO_END);
      await applyOutcome(ctx, ctx.issue, comments, latest.state);
      return { ok: true, effects: [] };
    }
    const proposer = vote.state.spec.proposer === ctx.author.toLowerCase();
    const result = await cancelAndApply(ctx, ctx.issue, vote, comments, {
      at: ctx.clock.now(),
      // The proposer may cancel as such; only others need to be maintainers (which may cost requests).
      by: { login: ctx.author, isMaintainer: !proposer && (await isMaintainer(ctx, ctx.author)) },
    });
    return result.ok ? { ok: true, effects: [] } : refuse(result.error.message);
  },
};
