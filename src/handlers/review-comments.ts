import { isOrkestraText } from "../domain/markers.js";
import type { RunContext, RunReport } from "../runtime/context.js";
import { commandsIn, runCommandComment, type CommandComment } from "./comments.js";
import { commentFromPayload, type PullRequestReviewCommentEvent } from "./payloads.js";

/**
 * Commands written on a line of a pull request's diff (`pull_request_review_comment`) run as in the
 * pull request's conversation: same parser, checks, 👀 then 👍/😕 on the comment itself. The reply
 * goes to the conversation, linking the comment, where the task's other answers are.
 */

/** Votes keep their ballots in the conversation (edits there recount them): not from a diff line. */
const CONVERSATION_ONLY: readonly string[] = ["propose", "vote", "close-vote", "cancel-vote"];

function refuses(name: string): string | null {
  return CONVERSATION_ONLY.includes(name) ? "votes are held in the pull request's conversation: write it there, not on a line of the diff" : null;
}

/**
 * Whether a review comment asks anything of Orkestra, decided without any request: a person's new
 * comment with commands. Bots' comments — agents' review findings that Orkestra posts among them —
 * never run, whatever they quote.
 */
export function wantsReviewCommentCommands(event: PullRequestReviewCommentEvent, report: RunReport): boolean {
  const { action, comment, pull_request: pull } = event;
  const what = `#${pull.number}: review comment ${comment.id}`;
  if (action !== "created") {
    report.notes.push(`${what} ${action}; only new comments run commands`);
    return false;
  }
  const body = comment.body ?? "";
  if (comment.user?.type === "Bot" || event.sender.type === "Bot" || isOrkestraText(body)) {
    report.notes.push(`${what} is a bot's (@${comment.user?.login ?? event.sender.login}); it runs no commands`);
    return false;
  }
  if (commandsIn(body).length === 0) {
    report.notes.push(`${what} has no commands; nothing to do`);
    return false;
  }
  return true;
}

export async function onReviewCommentEvent(ctx: RunContext, event: PullRequestReviewCommentEvent): Promise<void> {
  const comment = commentFromPayload(event.comment);
  const source: CommandComment = {
    number: event.pull_request.number,
    comment,
    association: event.comment.author_association,
    on: "review-comment",
    described: null,
    ...(event.comment.html_url ? { link: event.comment.html_url } : {}),
    refuses,
  };
  await runCommandComment(ctx, source, commandsIn(comment.body));
}
