import type { PermissionLevel } from "../../config/common.js";
import type { CommandName } from "../../domain/commands/names.js";
import type { ParsedCommand } from "../../domain/commands/parse.js";
import type { CommentData, IssueData } from "../../github/port.js";
import type { RunContext } from "../../runtime/context.js";
import type { Effect } from "../../runtime/effects.js";

/** Where a command makes sense. */
export type CommandScope = "task" | "issue-or-pull-request" | "pull-request";

export interface CommandContext extends RunContext {
  /** The issue or pull request the comment is on, read fresh. */
  issue: IssueData;
  comment: CommentData;
  /** Login of the comment's author. */
  author: string;
}

/**
 * What a command decided. The comment handler writes `effects`, then runs `afterwards` (what
 * must see those writes in the same run, e.g. dependents of a task just closed). Commands whose
 * steps depend on earlier writes (a claim, a tally re-read after a ballot) write those steps
 * through the applier themselves (`ctx.apply`, `ctx.perform`) and return what is left.
 */
export type CommandOutcome =
  | { ok: true; effects: Effect[]; reply?: string; afterwards?: () => Promise<void> }
  | { ok: false; reason: string };

/** One slash command: its documentation, who may use it, and what it does. */
export interface CommandSpec {
  name: CommandName;
  usage: string;
  summary: string;
  examples: string[];
  /** Least repository permission needed (config can change it per repository). */
  permission: PermissionLevel;
  scope: CommandScope;
  run(ctx: CommandContext, command: ParsedCommand): Promise<CommandOutcome>;
}

export function refuse(reason: string): CommandOutcome {
  return { ok: false, reason };
}
