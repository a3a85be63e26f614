/**
 * Votes on issues and pull requests: the handler side of src/domain/consensus. The commands
 * (`/propose`, `/vote`, `/close-vote`, `/cancel-vote`) live in src/handlers/commands; this is what they,
 * the comment handler, the sweep and the review handler share.
 */
import { runningResult, type VoteResult, type VoteState } from "../../domain/consensus/index.js";
import type { RunContext } from "../../runtime/context.js";
import { recountPeople } from "./ballots.js";
import { latestVoteIn } from "./store.js";

export { closeDueVotes } from "./sweep.js";
export { onBallotCommentChanged } from "./edits.js";
export { mentionsBallot, VOTE_PERMISSION } from "./ballots.js";
export { deliberate,  } from "./deliberate.js";
export { applyOutcome, cancelAndApply, closeAndApply } from "./outcome.js";
export { isMaintainer } from "./maintainers.js";
export { latestVoteIn, openVoteIn, voteBefore, voteId, votesIn,  } from "./store.js";
export { updateVote } from "./update.js";

/**
 * The newest vote on an issue or pull request (open, closed or cancelled), with people's
 * ballots as the comments stand now; null when there never was one. Reads only: one request,
 * plus, on a private repository, the permission of authors whose ballots the tally has not recorded yet.
 */
export async function readVote(ctx: RunContext, number: number): Promise<VoteState | null> {
  const comments = await ctx.github.listComments(number);
  const vote = latestVoteIn(comments);
  return vote ? recountPeople(ctx, vote, comments) : null;
}

/** The final result of a closed vote, or the running one ("if it closed now") of an open vote. */
export function voteResult(state: VoteState): VoteResult {
  return state.result ?? runningResult(state.spec, state.ballots);
}
