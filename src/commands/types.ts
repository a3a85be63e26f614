import type { PermissionLevel } from "../config/common.js";
import type { CommandName } from "../domain/commands/names.js";
import type { ParsedCommand } from "../domain/commands/parse.js";
import type { CommentData, IssueData } from "../github/port.js";
import type { RunContext } from "../handlers/context.js";
import type { Effect } from "../handlers/effects.js";

/** Where a command makes sense. */
export type CommandScope = "task" | "issue-or-pull-request" | "pull-request";

export interface CommandContext extends RunContext {
  /** The issue or pull request the comment is on, read fresh. */
  issue: IssueData;
  comment: CommentData;
  /** Login of the comment's author. */
  author: string;
}

export type CommandOutcome =
  | { ok: true; effects: Effect[]; reply?: string }
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
