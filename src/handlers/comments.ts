import { distance } from "fastest-levenshtein";
import { findCommand, enabledCommands, requiredPermission } from "./commands/registry.js";
import type { CommandContext, CommandOutcome, CommandSpec } from "./commands/types.js";
import { COMMAND_NAMES } from "../domain/commands/names.js";
import { parseCommands, type ParsedCommand } from "../domain/commands/parse.js";
import { sentence } from "../domain/markdown.js";
import { codeSpan } from "../domain/untrusted-text.js";
import { isOrkestraText, renderMarker } from "../domain/markers.js";
import { GitHubError, type CommentData, type CommentKind, type IssueData } from "../github/port.js";
import type { RunContext } from "../runtime/context.js";
import type { Effect } from "../runtime/effects.js";
import { commentFromPayload, issueFromPayload, type IssueCommentEvent } from "./payloads.js";
import { hasStatusLabel, mayBeTask, repairOnEvent, repairTask } from "./heal.js";
import { authorPermission, meets } from "./permissions.js";
import { RUN_TIME_LIMIT_MS } from "./run-limit.js";
import { pausedRefusal, repoPause, WORK_WHILE_PAUSED } from "./pause.js";
import { upsertSticky } from "./sticky.js";
import { mentionsBallot, onBallotCommentChanged } from "./votes/index.js";

const REPLY_KIND = "reply";

/** The kind of the one reply Orkestra keeps per command comment. */
export function replyKind(commentId: number): string {
  return `${REPLY_KIND}-${commentId}`;
}

/** Commands worth reading in a comment: known names, and near misses to point out. */
export function commandsIn(body: string): ParsedCommand[] {
  return parseCommands(body).filter((command) => findCommand(command.name) || nearMiss(command.name));
}

function nearMiss(name: string): string | undefined {
  return COMMAND_NAMES.find((known) => distance(known, name) <= (known.length > 4 ? 2 : 1));
}

/**
 * Whether a comment asks anything of Orkestra: only then is a broken configuration worth a comment
 * on its issue (a plain comment that may wake a waiting issue is not a request).
 */
export function asksForCommands(event: IssueCommentEvent): boolean {
  return event.action === "created" && commandsIn(event.comment.body ?? "").length > 0;
}

/**
 * Whether an `issue_comment` event could need Orkestra, decided without any request: it carries
 * commands, or a person's comment is the next event of an issue that may be a task (to bring in
 * line) or have waited for a fixed configuration.
 */
export function wantsCommands(event: IssueCommentEvent): boolean {
  // An edited or deleted `/vote` comment changes a tally; edits never run other commands again.
  if (event.action === "edited" || event.action === "deleted") {
    return event.comment.user?.type !== "Bot" && (mentionsBallot(event.comment.body) || mentionsBallot(event.changes?.body?.from));
  }
  if (event.action !== "created") return false;
  const body = event.comment.body ?? "";
  if (event.comment.user?.type === "Bot" || event.sender.type === "Bot" || isOrkestraText(body)) return false;
  return commandsIn(body).length > 0 || mayBeTask(event.issue);
}

/**
 * A comment with commands, wherever it was written: an issue's or pull request's conversation, or a
 * line of a pull request's diff. The one seam between the two: the runner below is the same.
 */
export interface CommandComment {
  /** The issue or pull request it is on. */
  number: number;
  comment: CommentData;
  /** GitHub's `author_association`, when the payload says it. */
  association: string | undefined;
  /** Which reactions endpoint the 👀 and 👍/😕 go through. */
  on: CommentKind;
  /** The issue as the event described it, for when it cannot be read. */
  described: IssueData | null;
  /** A link to the comment, for a reply that is not next to it. */
  link?: string;
  /** Why a command cannot be run from here, or null. */
  refuses?: (name: string) => string | null;
}

/**
 * `issue_comment` events: run the slash commands in a new comment. Every command comment
 * gets 👀 at once, then 👍 when all its commands were done or 😕 with one reply saying why.
 */
export async function onCommentEvent(ctx: RunContext, event: IssueCommentEvent): Promise<void> {
  if (event.action !== "created") return onBallotCommentChanged(ctx, event);
  const comment = commentFromPayload(event.comment);
  const commands = commandsIn(comment.body);
  if (commands.length === 0) {
    // A comment without commands gets no reaction; like any event it brings the issue's task in
    // line (or makes the task the issue was meant to be, e.g. after a fixed configuration).
    const repaired = await repairOnEvent(ctx, event.issue, comment.author.login);
    if (!repaired) ctx.report.notes.push(`#${event.issue.number}: comment ${comment.id} has no commands; nothing to do`);
    return;
  }
  const association = typeof event.comment.author_association === "string" ? event.comment.author_association : undefined;
  await runCommandComment(ctx, { number: event.issue.number, comment, association, on: "issue-comment", described: issueFromPayload(event.issue) }, commands);
}

/** Runs the commands of one comment once, however often it is delivered: 👀, the commands, one reply, 👍 or 😕. */
export async function runCommandComment(ctx: RunContext, source: CommandComment, commands: readonly ParsedCommand[]): Promise<void> {
  const { comment, on } = source;
  const prefix = `#${source.number}`;
  const seen = await receive(ctx, source.number, comment.id, on);
  if (seen === "handled") {
    ctx.report.notes.push(`${prefix}: the commands in comment ${comment.id} were handled before (a redelivery); nothing to do`);
    return;
  }
  if (seen === "in-progress") {
    ctx.report.notes.push(`${prefix}: another delivery of comment ${comment.id} is running its commands; nothing to do`);
    return;
  }
  let issue = (await ctx.github.getIssue(source.number)) ?? source.described;
  if (!issue) {
    ctx.report.notes.push(`${prefix}: gone; the commands in comment ${comment.id} were not run`);
    return;
  }
  // Commands on an issue that waited for a fixed configuration, or whose making stopped half way,
  // find the task it should have been (a task with a status label is synced by the command itself).
  const unfinished = !issue.isPullRequest && issue.state === "open" && !hasStatusLabel(ctx, issue);
  if (unfinished && !(await repoPause(ctx.github, ctx.report)) && (await repairTask(ctx, issue, comment.author.login))) issue = (await ctx.github.getIssue(issue.number)) ?? issue;
  const base: CommandContext = { ...ctx, issue, comment, author: comment.author.login };
  const answers: string[] = [];
  let allOk = true;
  for (const [index, command] of commands.entries()) {
    const written = ctx.report.actions.length;
    const outcome = await runCommand(base, command, source.association, source.refuses);
    // A later command in the same comment must see what this one wrote.
    const more = index < commands.length - 1;
    if (more && ctx.report.actions.length > written) base.issue = (await ctx.github.getIssue(issue.number)) ?? base.issue;
    ctx.report.notes.push(`${prefix}: /${command.name} ${command.args} → ${outcome.ok ? "done" : `refused: ${outcome.reason}`}`);
    if (!outcome.ok) {
      allOk = false;
      answers.push(`😕 ${codeSpan(`/${command.name}${command.args ? ` ${command.args}` : ""}`)}: ${sentence(outcome.reason)}`);
    } else if (outcome.reply) {
      answers.push(outcome.reply);
    }
  }
  // The reply goes before the final reaction: the reaction is the receipt that all is done.
  if (answers.length > 0 && source.link) answers.unshift(`In reply to [this comment](${source.link}):`);
  const effects = answers.length > 0 ? await replyEffects(ctx, issue.number, comment.id, base.author, answers, allOk, seen) : [];
  const content = allOk ? "+1" : "confused";
  effects.push({ kind: "react", issue: issue.number, commentId: comment.id, content, on, why: allOk ? "command done" : "command refused" });
  await ctx.apply(effects);
}

/**
 * Acknowledges a command comment with 👀. GitHub answers 200 instead of 201 when the reaction
 * was already there, which means this comment was seen before; when Orkestra's final 👍 or 😕
 * is there too, its commands were all handled and running them again could undo newer ones.
 * "new" | "in-progress" (another delivery runs them now) | "seen" (a run stopped half-way, longer
 * ago than any run may take) | "handled".
 */
async function receive(ctx: RunContext, issue: number, commentId: number, on: CommentKind): Promise<"new" | "in-progress" | "seen" | "handled"> {
  const fresh = await ctx.perform({ kind: "react", issue, commentId, content: "eyes", on, why: "command received" });
  // In a dry run nothing was written, so the comment counts as new.
  if (fresh !== false) return "new";
  const mine = await ctx.github.ownReactions(commentId, on);
  if (mine.some((reaction) => reaction.content === "+1" || reaction.content === "confused")) return "handled";
  // 👀 without a final reaction: another delivery is at work (GitHub delivers an event more than
  // once, and app replicas or Action runs take them at the same time) — or it died. Only the
  // delivery whose 👀 was new runs the commands; one whose run outlived a job's time limit is over.
  const receipt = mine.find((reaction) => reaction.content === "eyes");
  const age = receipt ? ctx.clock.now().getTime() - Date.parse(receipt.createdAt) : Infinity;
  return age < RUN_TIME_LIMIT_MS ? "in-progress" : "seen";
}

/**
 * Runs one command as its author, after the checks every command passes (enabled, scope, pause,
 * permission). A refusal is a decision too: it goes to the ledger with its reason.
 */
export async function runCommand(
  ctx: CommandContext,
  command: ParsedCommand,
  association: string | undefined,
  refuses?: CommandComment["refuses"],
): Promise<CommandOutcome> {
  const outcome = await checkAndRun(ctx, command, association, refuses);
  if (!outcome.ok) {
    const what = `/${command.name}${command.args ? ` ${command.args}` : ""}`;
    ctx.ledger.add({ kind: "refusal", issue: ctx.issue.number, by: ctx.author, what, why: outcome.reason });
  }
  return outcome;
}

async function checkAndRun(
  ctx: CommandContext,
  command: ParsedCommand,
  association: string | undefined,
  refuses: CommandComment["refuses"],
): Promise<CommandOutcome> {
  const spec = findCommand(command.name);
  if (!spec) return { ok: false, reason: `unknown command — did you mean \`/${nearMiss(command.name)}\`? Comment \`/help\` for the list` };
  if (!enabledCommands(ctx.config).includes(spec)) return { ok: false, reason: "this command is disabled in this repository" };
  const scopeProblem = checkScope(spec, ctx) ?? refuses?.(spec.name) ?? null;
  if (scopeProblem) return { ok: false, reason: scopeProblem };
  // Paused (the repository, or this task): only `/pause`, `/resume` and `/help` still work.
  const paused = WORK_WHILE_PAUSED.includes(spec.name) ? null : await pausedRefusal(ctx, ctx.issue, spec);
  if (paused) return { ok: false, reason: paused };
  const needs = requiredPermission(spec, ctx.config);
  const has = await authorPermission(ctx, ctx.author, association, needs);
  if (!meets(has, needs)) {
    return { ok: false, reason: `@${ctx.author} needs \`${needs}\` permission on this repository for \`/${spec.name}\` (has \`${has}\`)` };
  }
  const writtenBefore = ctx.report.actions.length;
  try {
    const outcome = await spec.run(ctx, command);
    if (outcome.ok) {
      await ctx.apply(outcome.effects);
      await outcome.afterwards?.();
    }
    return outcome;
  } catch (error) {
    if (!(error instanceof GitHubError)) throw error;
    ctx.report.errors.push(`#${ctx.issue.number}: /${spec.name} failed: ${error.message}`);
    const status = error.status ?? "network";
    // Say what is true: a failure after the first writes (a claim, an agent's work) left them in place.
    const written = ctx.report.actions.length - writtenBefore;
    if (written > 0) return { ok: false, reason: `GitHub answered with an error (${status}) after part of it was done (${written} write${written === 1 ? "" : "s"}, which stay); the task card says where it stands` };
    return { ok: false, reason: `GitHub answered with an error (${status}); nothing was changed, try again later` };
  }
}

function checkScope(spec: CommandSpec, ctx: CommandContext): string | null {
  if (spec.scope === "pull-request" && !ctx.issue.isPullRequest) return "this command works on pull requests only";
  if (spec.scope === "task" && ctx.issue.isPullRequest) return "this command works on task issues, not pull requests";
  return null;
}

/**
 * One reply per command comment, marked with the comment's id. Only a run that finds the
 * comment seen before (a redelivery after a run that stopped half-way) can meet an earlier
 * reply, so only that one reads the comments to edit it instead of repeating it.
 */
async function replyEffects(
  ctx: RunContext,
  issue: number,
  commentId: number,
  author: string,
  answers: string[],
  allOk: boolean,
  seen: "new" | "seen",
): Promise<Effect[]> {
  const kind = replyKind(commentId);
  const mention = allOk ? "" : `@${author} `;
  const body = [renderMarker(kind, { to: commentId }), `${mention}${answers.join("\n\n")}`].join("\n");
  const why = allOk ? "command reply" : "command refused";
  const comments = seen === "seen" ? await ctx.github.listComments(issue) : [];
  return upsertSticky(issue, comments, kind, body, why);
}
