import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";

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

/** At most this many commands are taken from one comment; the rest are ignored. */
export const MAX_COMMANDS_PER_COMMENT = 10;

/** `/name args`, read from the source where a line of paragraph text starts. */
const COMMAND_RE = /^\/([A-Za-z][A-Za-z0-9-]*)(?:[ \t]+(.*))?$/;
/** `/name\` before a line ending: a hard line break right after the name. */
const HARD_BREAK_COMMAND_RE = /^\/([A-Za-z][A-Za-z0-9-]*)\\$/;
/** CommonMark line endings: a lone `\r` ends a line as much as `\n` does. */
const LINE_ENDING_RE = /\r\n|\r|\n/;

/** The parts of an mdast node this module reads (lines and columns 1-based, offsets 0-based). */
interface Point {
  line: number;
  column: number;
  offset?: number;
}
interface MdNode {
  type: string;
  position?: { start: Point; end: Point };
  children?: MdNode[];
}

/** Nodes whose lines GitHub shows as code, a quote or raw/hidden HTML: no command and no block line comes from them. */
const HIDDEN_TYPES = new Set(["code", "html", "blockquote"]);

/**
 * Finds line-anchored slash commands in a comment, the way GitHub renders it: the comment
 * is parsed as CommonMark + GFM, and a command is a line of paragraph text (outside block
 * quotes) that starts with `/name`, written literally in the source. Code (fenced,
 * indented, inline spans over several lines), block quotes (lazy continuation lines
 * included), HTML blocks (`<pre>`, comments) and headings never yield commands. Unknown
 * names are returned too: the caller decides whether `/shrug` deserves an answer.
 */
export function parseCommands(body: string): ParsedCommand[] {
  const lines = body.split(LINE_ENDING_RE);
  const tree = fromMarkdown(body, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] }) as MdNode;
  const hidden = new Set<number>();
  const found: { name: string; args: string; line: number }[] = [];
  collect(tree, lines, hidden, found);

  found.sort((a, b) => a.line - b.line);
  const commandLines = new Set(found.map((command) => command.line));
  return found.slice(0, MAX_COMMANDS_PER_COMMENT).map(({ name, args, line }) => {
    const block: string[] = [];
    for (let next = line + 1; next < lines.length; next++) {
      const text = lines[next]!;
      if (text.trim() === "" || hidden.has(next) || commandLines.has(next)) break;
      block.push(text);
    }
    return { name, args, block, line };
  });
}

function collect(node: MdNode, lines: string[], hidden: Set<number>, found: { name: string; args: string; line: number }[]): void {
  if (HIDDEN_TYPES.has(node.type)) {
    const { start, end } = node.position!;
    for (let line = start.line; line <= end.line; line++) hidden.add(line - 1);
    return;
  }
  if (node.type === "paragraph") {
    paragraphCommands(node, lines, found);
    return;
  }
  for (const child of node.children ?? []) collect(child, lines, hidden, found);
}

/**
 * Each source line of the paragraph whose first character is plain text of the paragraph
 * (not inside inline code, inline HTML, a link or emphasis that began on an earlier line)
 * is a candidate; it is a command when the source from there reads `/name …`.
 */
function paragraphCommands(paragraph: MdNode, lines: string[], found: { name: string; args: string; line: number }[]): void {
  const { start, end } = paragraph.position!;
  // GFM autolink literals replace the text around them with nodes that carry no position;
  // those are text and links (which never hold a line ending), so only positioned
  // non-text children can hide a line start.
  const phrasing = (paragraph.children ?? []).filter((child) => child.type !== "text" && child.position);
  for (let line = start.line; line <= end.line; line++) {
    const source = lines[line - 1] ?? "";
    const column = line === start.line ? start.column : firstNonBlankColumn(source);
    if (column === null) continue;
    const at: Point = { line, column };
    if (phrasing.some((child) => before(child.position!.start, at) && before(at, child.position!.end))) continue;
    const rest = source.slice(column - 1);
    const match = COMMAND_RE.exec(rest) ?? (line < end.line ? HARD_BREAK_COMMAND_RE.exec(rest) : null);
    if (match?.[1]) found.push({ name: match[1].toLowerCase(), args: (match[2] ?? "").trim(), line: line - 1 });
  }
}

function firstNonBlankColumn(source: string): number | null {
  const index = source.search(/\S/);
  return index === -1 ? null : index + 1;
}

function before(a: Point, b: Point): boolean {
  return a.line < b.line || (a.line === b.line && a.column < b.column);
}
