/**
 * People's ballots are their `/vote` comments: the tally is recomputed from the comments every
 * time (latest ballot per voter; an edit replaces a ballot, a deletion withdraws it), so the
 * comments are the source of truth and two handlers racing cannot lose a ballot for good.
 */
import {
  ballotProblem,
  parseVoteArgs,
  personBallot,
  type Ballot,
  type VoteState,
} from "../../domain/consensus/index.js";
import { parseCommands, type ParsedCommand } from "../../domain/commands/parse.js";
import { isOrkestraText } from "../../domain/markers.js";
import type { CommentData } from "../../github/port.js";
import type { PermissionLevel } from "../../config/common.js";
import type { RunContext } from "../../runtime/context.js";
import { authorPermission, meets } from "../permissions.js";
import type { StoredVote } from "./store.js";

const VOTE_COMMAND = "vote";
/** Least permission `/vote` needs unless the config says otherwise. */
export const VOTE_PERMISSION: PermissionLevel = "read";

/** Whether people vote by `/vote` comments here: with the command disabled, none of them counts. */
export function votingByComment(ctx: Pick<RunContext, "config">): boolean {
  return !ctx.config.commands.disabled.includes(VOTE_COMMAND);
}

/** The `/vote` that counts in a comment: the last one, when a comment has several. */
function ballotCommand(body: string): ParsedCommand | undefined {
  return parseCommands(body)
    .filter((command) => command.name === VOTE_COMMAND)
    .at(-1);
}

/** Whether a comment's text is (or was) a ballot: edits and deletions of such comments update the tally. */
export function mentionsBallot(body: string | null | undefined): boolean {
  return body !== null && body !== undefined && !isOrkestraText(body) && ballotCommand(body) !== undefined;
}

interface CommentBallot {
  comment: CommentData;
  /** Set when the comment holds a valid ballot of an eligible voter. */
  ballot?: Ballot;
  /** Why it does not count, in words for its author. */
  problem?: string;
  /** True when the tally already recorded this very ballot (same comment, same edit). */
  recorded: boolean;
}

/**
 * Reads the ballots in the comments written after the tally. Bots and Orkestra's own comments
 * never count. A comment changed after the deadline keeps the ballot recorded before it.
 */
export function readBallotComments(vote: StoredVote, comments: readonly CommentData[]): CommentBallot[] {
  const { state } = vote;
  const deadline = Date.parse(state.spec.deadline);
  const read: CommentBallot[] = [];
  for (const comment of [...comments].sort((a, b) => a.id - b.id)) {
    if (comment.id <= vote.comment.id || comment.author.type === "Bot" || isOrkestraText(comment.body)) continue;
    const command = ballotCommand(comment.body);
    if (!command) continue;
    const recorded = state.ballots.find((ballot) => ballot.sourceCommentId === comment.id);
    const at = new Date(comment.updatedAt);
    if (recorded && Date.parse(recorded.at) === at.getTime()) {
      read.push({ comment, ballot: recorded, recorded: true });
    } else if (at.getTime() > deadline) {
      read.push(recorded ? { comment, ballot: recorded, recorded: true } : { comment, problem: "it was cast after the deadline", recorded: false });
    } else {
      read.push(parseBallot(state, comment, command));
    }
  }
  return read;
}

function parseBallot(state: VoteState, comment: CommentData, command: ParsedCommand): CommentBallot {
  const parsed = parseVoteArgs(command.args, command.block, state.spec);
  if (!parsed.ok) return { comment, problem: parsed.error.message, recorded: false };
  const ballot = personBallot(state, comment.author.login, parsed.value, { at: new Date(comment.updatedAt), commentId: comment.id });
  const problem = ballotProblem(state.spec, ballot);
  return problem ? { comment, problem: problem.message, recorded: false } : { comment, ballot, recorded: false };
}

export interface RecountOptions {
  /** Logins already known to have the permission `/vote` needs (the author of the command being run). */
  trusted?: readonly string[];
}

/**
 * The vote with its people's ballots taken from the comments. Ballots the tally has not
 * recorded yet are checked against the author's permission (free on a public repository,
 * where everybody can read). With `/vote` disabled no comment counts. A closed or cancelled
 * vote is frozen and returned as it is.
 */
export async function recountPeople(
  ctx: RunContext,
  vote: StoredVote,
  comments: readonly CommentData[],
  options: RecountOptions = {},
): Promise<VoteState> {
  const { state } = vote;
  if (state.phase !== "open") return state;
  const needs = ctx.config.commands.permissions[VOTE_COMMAND] ?? VOTE_PERMISSION;
  const allowed = new Map<string, boolean>((options.trusted ?? []).map((login) => [login.toLowerCase(), true]));
  const people: Ballot[] = [];
  const ballots = votingByComment(ctx) ? readBallotComments(vote, comments) : [];
  for (const { ballot, recorded, comment } of ballots) {
    if (!ballot) continue;
    if (!recorded && !(await mayVote(ctx, comment.author.login, needs, allowed))) continue;
    people.push(ballot);
  }
  const agents = state.ballots.filter((ballot) => ballot.voter.kind === "agent");
  return { ...state, ballots: [...agents, ...people] };
}

async function mayVote(ctx: RunContext, login: string, needs: PermissionLevel, cache: Map<string, boolean>): Promise<boolean> {
  const key = login.toLowerCase();
  const known = cache.get(key);
  if (known !== undefined) return known;
  const allowed = meets(await authorPermission(ctx, login, undefined, needs), needs);
  if (!allowed) ctx.report.notes.push(`ballot of @${login} not counted: needs \`${needs}\` permission`);
  cache.set(key, allowed);
  return allowed;
}
