/**
 * Property: `parseCommands` finds exactly the commands a CommonMark + GFM reading of the
 * comment shows as plain paragraph text at the start of a line. The reference below is a
 * separate, deliberately simple walk of the mdast tree (text nodes of paragraphs outside
 * block quotes, split at line endings); the parser under test works from source lines and
 * node positions instead. Comments are generated from the structures that fooled the old
 * line scanner: lists, lazy block quotes, fences (also inside list items), indented code,
 * HTML blocks, inline code over several lines, headings, tables and every line ending.
 */
import fc from "fast-check";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";
import { describe, expect, it } from "vitest";
import { MAX_COMMANDS_PER_COMMENT, parseCommands } from "../../src/domain/commands/parse.js";

const RUNS = 10_000;
const SEED = 20261205;

interface Node {
  type: string;
  value?: string;
  position?: { start: { line: number }; end: { line: number } };
  children?: Node[];
}

/** Commands as `name@line`, by the reference reading of the mdast tree. */
function referenceCommands(body: string): string[] {
  const tree = fromMarkdown(body, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] }) as Node;
  const out: { name: string; line: number }[] = [];
  const visit = (node: Node): void => {
    if (node.type === "blockquote" || node.type === "code" || node.type === "html") return;
    if (node.type !== "paragraph") return node.children?.forEach(visit);
    const children = node.children ?? [];
    let atLineStart = true;
    // GFM autolink literals leave the text around them without a position: count lines on.
    let line = node.position!.start.line;
    children.forEach((child, index) => {
      if (child.type !== "text") {
        atLineStart = child.type === "break";
        if (child.position) line = child.position.end.line;
        return;
      }
      const segments = child.value!.split(/\r\n|\r|\n/);
      // Counted back from the end: a task list item's text starts after its `[ ]`, which may end a line.
      if (child.position) line = child.position.end.line - (segments.length - 1);
      segments.forEach((segment, i) => {
        if (i > 0 || atLineStart) {
          const match = /^\/([A-Za-z][A-Za-z0-9-]*)(.?)/.exec(segment);
          const endsLine = i < segments.length - 1 || index === children.length - 1 || children[index + 1]!.type === "break";
          const name = match?.[1];
          const after = match?.[2];
          if (name && (after === " " || after === "\t" || (after === "" && (segment.length > name.length + 1 || endsLine)))) {
            out.push({ name: name.toLowerCase(), line: line - 1 + i });
          }
        }
      });
      atLineStart = segments[segments.length - 1] === "";
      line += segments.length - 1;
    });
  };
  visit(tree);
  return out
    .sort((a, b) => a.line - b.line)
    .slice(0, MAX_COMMANDS_PER_COMMENT)
    .map(({ name, line }) => `${name}@${line}`);
}

const PREFIXES = ["", "", "", " ", "   ", "    ", "\t", "> ", ">", "- ", "* ", "1. ", "  ", "  - ", "> - ", "- > ", "-   ", "10) "];
const PIECES = [
  "/status done", "/status in-progress", "/help", "/approve", "/PRIORITY high", "/depends-on #12", "/usr/bin/env node", "/etc/hosts",
  "/vote a", "/st*at*us x", "/help`x`", "text", "some words", "not /status done", "```", "````", "~~~", "```js", "`", "``",
  "`code", "code`", "<pre>", "</pre>", "<!--", "-->", "<!-- /help -->", "<div>", "</div>", "<span>", "<details>", "*", "_", "**",
  "---", "===", "# ", "## /help", "| a | b |", "|---|---|", "| /help | x |", "[link", "](https://x.test)", "[^1]: ", "[x]: /help",
  "https://example.test/status", "- [ ] ", "~~", "</span>",
];
const SUFFIXES = ["", "", "", "  ", "\\", " ", "\t"];
const ENDINGS = ["\n", "\n", "\r\n", "\r"];

const lineArb = fc
  .tuple(fc.constantFrom(...PREFIXES), fc.array(fc.constantFrom(...PIECES), { minLength: 0, maxLength: 3 }), fc.constantFrom(...SUFFIXES))
  .map(([prefix, pieces, suffix]) => `${prefix}${pieces.join(" ")}${suffix}`);
const commentArb = fc
  .array(fc.tuple(lineArb, fc.constantFrom(...ENDINGS)), { minLength: 1, maxLength: 12 })
  .map((lines) => lines.map(([line, ending]) => line + ending).join("").replace(/(\r\n|\r|\n)$/, ""));

describe("parseCommands agrees with a CommonMark + GFM reference walk", () => {
  it(`parser agreement with the CommonMark reference: 100% of ${RUNS} generated comments`, () => {
    let compared = 0;
    let agreed = 0;
    let withCommands = 0;
    fc.assert(
      fc.property(commentArb, (body) => {
        const expected = referenceCommands(body);
        const actual = parseCommands(body).map(({ name, line }) => `${name}@${line}`);
        compared++;
        if (expected.length > 0) withCommands++;
        expect(actual).toEqual(expected);
        agreed++;
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    console.log(
      `parser agreement with the CommonMark reference: ${agreed}/${compared} generated comments (${((100 * agreed) / compared).toFixed(2)}%, goal 100% of >= ${RUNS}); ${withCommands} contain commands`,
    );
    expect(compared).toBe(RUNS);
  }, 180_000);
});
