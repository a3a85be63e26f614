import {
  ballotProblem,
  formatTime,
  NO_OPEN_VOTE_MESSAGE,
  parseVoteArgs,
  personBallot,
  type VoteState,
} from "../../domain/consensus/index.js";
import { updateVote, voteBefore, VOTE_PERMISSION } from "../votes/index.js";
import { refuse, type CommandSpec } from "./types.js";

export const voteCommand: CommandSpec = {
  name: "vote",
  usage: "/vote <option> [-- reason]",
  summary:
    "Cast or change your ballot in the open vote: an option's label, letter or number, `abstain`, or a ranking `B > A > C`; your latest ballot counts.",
  examples: ["/vote yes", "/vote B -- we know it well", "/vote sqlite > postgres", "/vote approve"],
  permission: VOTE_PERMISSION,
  scope: "issue-or-pull-request",
  // The answer depends on the comment (when it was written, what it says), not on when it is
  // handled, so a redelivery after the vote ended gives the same answer and changes nothing.
  async run(ctx, command) {
    const number = ctx.issue.number;
    const comments = await ctx.github.listComments(number);
    const vote = voteBefore(comments, ctx.comment.id);
    if (!vote) return refuse(NO_OPEN_VOTE_MESSAGE);
    const { state } = vote;
    const counted = state.ballots.some((ballot) => ballot.sourceCommentId === ctx.comment.id);
    if (counted && state.phase !== "open") return { ok: true, effects: [] };
    const ended = endedAt(state);
    if (ended && Date.parse(ctx.comment.createdAt) >= Date.parse(ended)) return refuse(NO_OPEN_VOTE_MESSAGE);
    if (Date.parse(ctx.comment.updatedAt) > Date.parse(state.spec.deadline)) {
      return refuse(`voting ended at ${formatTime(state.spec.deadline)}; this ballot is not counted`);
    }
    const parsed = parseVoteArgs(command.args, command.block, state.spec);
    if (!parsed.ok) return refuse(parsed.error.message);
    const at = new Date(ctx.comment.updatedAt);
    const problem = ballotProblem(state.spec, personBallot(state, ctx.author, parsed.value, { at, commentId: ctx.comment.id }));
    if (problem) return refuse(problem.message);
    if (state.phase !== "open") return refuse(`the vote was ${state.phase} before this ballot was counted`);
    await updateVote(ctx, number, state.id, (current) => current, { comments, trusted: [ctx.author], why: `ballot of @${ctx.author}` });
    return { ok: true, effects: [] };
  },
};

function endedAt(state: VoteState): string | null {
  return state.closed?.at ?? state.cancelled?.at ?? null;
}
