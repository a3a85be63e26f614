import { visibleLines } from "../markdown.js";

export interface ParsedCommand {
  /** Lower-cased command name without the slash, e.g. `depends-on`. */
  name: string;
  /** The rest of the command line, trimmed. */
  args: string;
  /** Following lines up to a blank line or the next command (e.g. `/propose` options). */
  block: string[];
  /** 0-based line of the command in the comment. */
  line: number;
}

const COMMAND_RE = /^ {0,3}\/([A-Za-z][A-Za-z0-9-]*)(?:[ \t]+(.*))?$/;

/** At most this many commands are taken from one comment; the rest are ignored. */
export const MAX_COMMANDS_PER_COMMENT = 10;

/**
 * Finds line-anchored slash commands in a comment. Anything quoted (code fences, block
 * quotes, HTML comments) is ignored. Unknown names are returned too: the caller decides
 * whether `/shrug` deserves an answer.
 */
export function parseCommands(body: string): ParsedCommand[] {
  const commands: ParsedCommand[] = [];
  let current: ParsedCommand | null = null;
  let previousIndex = -1;
  for (const { index, text } of visibleLines(body)) {
    const match = COMMAND_RE.exec(text);
    const contiguous = index === previousIndex + 1;
    previousIndex = index;
    if (match?.[1]) {
      current = { name: match[1].toLowerCase(), args: (match[2] ?? "").trim(), block: [], line: index };
      commands.push(current);
      if (commands.length === MAX_COMMANDS_PER_COMMENT) break;
    } else if (current && contiguous && text.trim() !== "") {
      current.block.push(text);
    } else {
      current = null;
    }
  }
  return commands;
}
