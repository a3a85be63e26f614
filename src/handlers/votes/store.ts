/**
 * Where votes live on GitHub: each vote is one tally comment written by Orkestra, whose
 * hidden metadata holds the vote's state (spec, agents' ballots, deliberation, result).
 * People's ballots are their `/vote` comments after the tally; they are read from there.
 */
import { parseVoteComment, VOTE_MARKER_KIND, type VoteState } from "../../domain/consensus/index.js";
import type { CommentData } from "../../github/port.js";
import { botComments } from "../sticky.js";

export interface StoredVote {
  /** The tally comment; ballots count only from comments written after it. */
  comment: CommentData;
  state: VoteState;
}

/** Every vote on an issue or pull request, oldest first. */
export function votesIn(comments: readonly CommentData[]): StoredVote[] {
  return botComments(comments, VOTE_MARKER_KIND).flatMap((comment) => {
    const state = parseVoteComment(comment.body);
    return state ? [{ comment, state }] : [];
  });
}

/** The open vote (the oldest, should a race have opened two). */
export function openVoteIn(comments: readonly CommentData[]): StoredVote | null {
  return votesIn(comments).find((vote) => vote.state.phase === "open") ?? null;
}

/** The newest vote, open or not. */
export function latestVoteIn(comments: readonly CommentData[]): StoredVote | null {
  return votesIn(comments).at(-1) ?? null;
}

/** The vote a comment belongs to: the newest one whose tally was posted before it. */
export function voteBefore(comments: readonly CommentData[], commentId: number): StoredVote | null {
  return votesIn(comments).filter((vote) => vote.comment.id < commentId).at(-1) ?? null;
}

export function voteWithId(comments: readonly CommentData[], id: string): StoredVote | null {
  return votesIn(comments).find((vote) => vote.state.id === id) ?? null;
}

/** A vote is named after the `/propose` comment that opened it, so a redelivery finds its own vote. */
export function voteId(issue: number, proposalCommentId: number): string {
  return `${issue}-${proposalCommentId}`;
}
