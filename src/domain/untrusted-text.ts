/**
 * Text Orkestra did not write — people's comments, issue and PR titles, agents' output, file
 * paths — put into Markdown that GitHub renders. Every such string goes through one of these
 * functions, so that whatever it holds it cannot:
 *
 * - **notify anyone**: `@login` and `@org/team` are defused with a zero-width space after the
 *   `@` (it still reads `@alice`, but GitHub links and pings nobody). One rule everywhere: any
 *   `@` (or `&#64;`, `&#x40;`, `&commat;`) followed by a letter, digit or character reference,
 *   whatever precedes it — so `\@alice`, `_@alice_` and a stray backtick before `@alice` are
 *   defused too, and so are e-mail addresses (harmless);
 * - **forge or hide Orkestra's markers**: `<!--` and `-->` are broken with a zero-width space,
 *   so no `<!-- orkestra:... -->` look-alike survives in the raw body (where `parseMarker`
 *   looks) and no HTML comment can hide what follows;
 * - **break the layout around it**: inline text is escaped for tables and spans, code is
 *   fenced longer than any backtick run inside.
 *
 * The zero-width space is the one defusing mark: unlike an HTML entity it reads the same inside
 * code spans, where entities are shown literally.
 */

const ZWSP = "\u200b";

/** An `@` (or an entity spelling one) that GitHub could turn into a mention of what follows. */
const MENTION_RE = /(@|&#0*64;|&#x0*40;|&commat;)(?=[A-Za-z0-9&])/gi;
const COMMENT_OPEN_RE = /<!--/g;
const COMMENT_CLOSE_RE = /-->/g;
/** CommonMark line endings. */
const LINE_END_RE = /\r\n|\r|\n/g;
/** ASCII punctuation with an inline meaning in GitHub Markdown or HTML (all backslash-escapable). */
const INLINE_SPECIAL_RE = /[\\`*_[\]|<>&~]/g;

/**
 * Untrusted Markdown kept as Markdown (an agent's summary or finding): formatting and line
 * breaks stay, mentions and HTML comment delimiters (so marker look-alikes) are defused.
 */
export function defuse(text: string): string {
  return text
    .replace(MENTION_RE, `$1${ZWSP}`)
    .replace(COMMENT_OPEN_RE, `<${ZWSP}!--`)
    .replace(COMMENT_CLOSE_RE, `--${ZWSP}>`);
}

/**
 * What an agent wrote, quoted in a comment or review: `defuse`d, and no line can start a slash
 * command (a leading `/` becomes a division slash, which looks the same and parses as none), so
 * nothing an agent says becomes a command. Callers still validate what it means.
 */
export function defuseAgentText(text: string): string {
  return defuse(text).replace(/^(\s*)\//gm, "$1\u2215");
}

/**
 * Untrusted plain text shown inline (a table cell, a heading, the middle of a sentence): on one
 * line, every Markdown/HTML character escaped (`|` included, so a cell stays one cell), and
 * defused. With `max`, shortened first to at most `max` characters (see `oneLine`).
 */
export function escapeInline(text: string, max?: number): string {
  const flat = text.replace(LINE_END_RE, " ");
  return defuse(max === undefined ? flat : shorten(flat, max)).replace(INLINE_SPECIAL_RE, (char) => `\\${char}`);
}

/**
 * One line of untrusted Markdown for a list item: whitespace runs folded to one space, at most
 * `max` characters (cut at a word when one ends in the second half, then `…`), and defused.
 * Inline formatting is kept; use `escapeInline` for text that is plain (titles, names).
 */
export function oneLine(text: string, max = 300): string {
  return defuse(shorten(text.replace(/\s+/g, " ").trim(), max));
}

/**
 * Untrusted text shown verbatim as one inline code span: line breaks become spaces (as
 * CommonMark does), the fence is one backtick longer than any run inside so the text cannot close
 * the span, and a space pads text that starts or ends with a backtick, or starts and ends with a
 * space (CommonMark strips one space each side in both cases). Empty text is a code span of one
 * space, since two backticks alone are not a code span. Mentions and comment delimiters are
 * defused even here: a span placed in an HTML block is not rendered as code.
 * Not for table cells: GitHub splits cells at `|` even inside code; use `escapeInline` there.
 */
export function codeSpan(text: string): string {
  const flat = defuse(text.replace(LINE_END_RE, " "));
  if (flat === "") return "` `";
  const fence = "`".repeat(longestRun(flat, 1) + 1);
  const edgeBacktick = flat.startsWith("`") || flat.endsWith("`");
  const edgeSpaces = flat.startsWith(" ") && flat.endsWith(" ") && flat.trim() !== "";
  const pad = edgeBacktick || edgeSpaces ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/**
 * Untrusted text as a fenced code block, with a fence longer than any backtick run of three or
 * more inside (so the text cannot close it). The text is kept byte for byte — a `suggestion`
 * block is applied as written — which is safe: inside a fence GitHub renders no HTML and pings
 * nobody, and Orkestra's marker readers take the first marker of a body, which Orkestra always
 * writes before any untrusted text. `info` is Orkestra's own (`suggestion`, `ts`).
 */
export function fencedBlock(text: string, info = ""): string {
  if (/[`\r\n]/.test(info)) throw new Error(`invalid info string for a fenced block: ${JSON.stringify(info)}`);
  const fence = "`".repeat(Math.max(2, longestRun(text, 3)) + 1);
  return `${fence}${info}\n${text.replace(/\r?\n$/, "")}\n${fence}`;
}

/** The longest run of at least `min` backticks in `text` (0 when there is none). */
function longestRun(text: string, min: number): number {
  let longest = 0;
  for (const run of text.matchAll(/`+/g)) if (run[0].length >= min) longest = Math.max(longest, run[0].length);
  return longest;
}

/**
 * At most `max` characters (code points, so no emoji is split): text that fits is unchanged,
 * longer text is cut at a word when one ends in the second half, and ends with `…`.
 */
function shorten(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  const cut = chars.slice(0, Math.max(0, max - 1)).join("");
  const space = cut.lastIndexOf(" ");
  return `${(space > cut.length / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
