/**
 * Writing a vote. GitHub has no compare-and-set for comments, so two handlers (two Action
 * runs, two app replicas) may each write a tally the other has not seen. Every write is
 * therefore followed by a fresh read: when the tally on GitHub is not what the comments and
 * this run's change say it should be, it is recomputed and written again (a few times at most).
 */
import { renderTally, voteStateSchema, type VoteState } from "../../domain/consensus/index.js";
import type { CommentData } from "../../github/port.js";
import type { RunContext } from "../../runtime/context.js";
import { recountPeople, type RecountOptions } from "./ballots.js";
import { voteWithId } from "./store.js";

/** Writes after which a still-different tally is left to the next event (and reported). */
const MAX_WRITES = 3;

interface VoteUpdate {
  /** The vote as last read (after this run's change), or null when its tally is gone. */
  state: VoteState | null;
  /** The comments of that last read. */
  comments: CommentData[];
  /** Tally edits this update made. */
  writes: number;
}

interface UpdateOptions extends RecountOptions {
  /** Comments read a moment ago; saves the first read. */
  comments?: CommentData[];
  why: string;
}

/**
 * Brings the tally of vote `id` in line with the comments and with `change` (identity for a
 * ballot; a close, a cancellation or an agent round otherwise). `change` is applied to the
 * freshest state on every attempt, so it must be a pure function of that state.
 */
export async function updateVote(
  ctx: RunContext,
  issue: number,
  id: string,
  change: (state: VoteState) => VoteState,
  options: UpdateOptions,
): Promise<VoteUpdate> {
  let comments = options.comments ?? (await ctx.github.listComments(issue));
  let writes = 0;
  for (;;) {
    const vote = voteWithId(comments, id);
    if (!vote) return { state: null, comments, writes };
    const next = canonical(change(await recountPeople(ctx, vote, comments, options)));
    const body = renderTally(next);
    if (body === vote.comment.body) return { state: next, comments, writes };
    if (writes === MAX_WRITES) {
      const note = `#${issue}: the tally kept changing while Orkestra wrote it; the next event recounts it`;
      ctx.log.warn(note);
      ctx.report.notes.push(note);
      return { state: next, comments, writes };
    }
    await ctx.apply([{ kind: "update-comment", issue, commentId: vote.comment.id, body, why: options.why }]);
    writes += 1;
    // In a dry run nothing was written, so reading again would only find the same difference.
    if (ctx.dryRun) return { state: next, comments, writes };
    comments = await ctx.github.listComments(issue);
  }
}

/** The state with its keys in the schema's order, as it reads back from a tally: equal states render alike. */
function canonical(state: VoteState): VoteState {
  const parsed = voteStateSchema.safeParse(state);
  return parsed.success ? parsed.data : state;
}
