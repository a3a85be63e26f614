import { closeAndApply, applyOutcome, isMaintainer, latestVoteIn, openVoteIn } from "../votes/index.js";
import { endedByThisComment, NO_VOTE_TO_END } from "./cancel-vote.js";
import { refuse, type CommandSpec } from "./types.js";

export const closeVoteCommand: CommandSpec = {
  name: "close-vote",
  usage: "/close-vote [option]",
  summary:
    "Close the open vote now, as counted; with an option, decide a vote that did not pass by itself. Maintainers only (`maintain` permission or listed in `maintainers`).",
  examples: ["/close-vote", "/close-vote Postgres"],
  // Who may close is decided in `run`: maintain permission, or being listed in `maintainers`.
  permission: "read",
  scope: "issue-or-pull-request",
  async run(ctx, command) {
    const comments = await ctx.github.listComments(ctx.issue.number);
    const vote = openVoteIn(comments);
    if (!vote) {
      const latest = latestVoteIn(comments);
      if (!latest || latest.state.phase !== "closed" || !endedByThisComment(latest.state, ctx)) return refuse(NO_VOTE_TO_END);
      // A redelivery: the vote was closed by this very comment; finish applying its outcome.
      await applyOutcome(ctx, ctx.issue, comments, latest.state);
      return { ok: true, effects: [] };
    }
    const decision = command.args.trim();
    const result = await closeAndApply(ctx, ctx.issue, vote, comments, {
      at: ctx.clock.now(),
      by: { login: ctx.author, isMaintainer: await isMaintainer(ctx, ctx.author) },
      ...(decision ? { decision } : {}),
    });
    return result.ok ? { ok: true, effects: [] } : refuse(result.error.message);
  },
};
