import { renderMarker } from "../../domain/markers.js";
import { replyKind } from "../comments.js";
import type { RunContext } from "../../runtime/context.js";
import { commentFromPayload, type IssueCommentEvent } from "../payloads.js";
import { upsertSticky, botComments } from "../sticky.js";
import { readBallotComments, votingByComment } from "./ballots.js";
import { openVoteIn } from "./store.js";
import { updateVote } from "./update.js";

/**
 * A ballot comment was edited or deleted: the tally is recounted from the comments (an edit
 * replaces the ballot, a deletion withdraws it). Other commands in edited comments are not run
 * again. An edit that no longer makes a valid ballot gets the reason in the comment's reply.
 */
export async function onBallotCommentChanged(ctx: RunContext, event: IssueCommentEvent): Promise<void> {
  const number = event.issue.number;
  if (!votingByComment(ctx)) return;
  const comments = await ctx.github.listComments(number);
  const vote = openVoteIn(comments);
  if (!vote || event.comment.id <= vote.comment.id) {
    ctx.report.notes.push(`#${number}: ballot comment ${event.action}, but no open vote counts it`);
    return;
  }
  const update = await updateVote(ctx, number, vote.state.id, (state) => state, { comments, why: `ballot comment ${event.action}` });
  if (event.action !== "edited" || !update.state) return;
  const comment = commentFromPayload(event.comment);
  const read = readBallotComments({ comment: vote.comment, state: update.state }, update.comments).find(
    (entry) => entry.comment.id === comment.id,
  );
  const kind = replyKind(comment.id);
  const hasReply = botComments(update.comments, kind).length > 0;
  const text = read?.problem
    ? `@${comment.author.login} 😕 your edited ballot does not count: ${read.problem}`
    : read?.ballot && hasReply
      ? "👍 Your edited ballot counts."
      : null;
  if (!text) return;
  const body = [renderMarker(kind, { to: comment.id }), text].join("\n");
  await ctx.apply(upsertSticky(number, update.comments, kind, body, "ballot comment edited"));
}
