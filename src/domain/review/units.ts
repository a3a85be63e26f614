/**
 * The atoms of packing: a whole hunk, or a piece of one split at line boundaries, rendered as the
 * text an agent reads. Each line carries the number the agent must cite:
 *
 *     @@ -10,4 +10,5 @@ function load()
 *      10 | unchanged line          (context: head/RIGHT number)
 *     -11 | removed line            (deleted: base/LEFT number)
 *     +11 | added line              (added: head/RIGHT number)
 *
 * so findings come back with positions that `CommentableIndex` can check.
 */
import { estimateTokens } from "../tokens.js";
import type { DiffFile, DiffHunk, DiffLine } from "./diff.js";

export interface RenderOptions {
  /** Prefix each line with the number to cite (default true). */
  lineNumbers: boolean;
  /** Longer lines are shortened with a visible note, never silently (default 2000). */
  maxLineChars: number;
}

export const DEFAULT_RENDER_OPTIONS: RenderOptions = { lineNumbers: true, maxLineChars: 2000 };

/** What the prompt should say about the packet format (the reserve covers it). */
export const PACKET_FORMAT_NOTE = [
  "The diff is given per file (`### path`) and hunk (`@@ -old +new @@`).",
  "Each line starts with `+` (added), `-` (deleted) or a space (unchanged), then a line number and `|`.",
  "Added and unchanged lines show the new file's line number: cite them with side RIGHT.",
  "Deleted lines show the old file's line number: cite them with side LEFT.",
  "A hunk marked [split] continues in another part; a line marked [shortened] was cut for length.",
].join("\n");

const PREFIX = { add: "+", del: "-", context: " " } as const;

interface RenderedLine {
  text: string;
  changed: boolean;
  shortened: boolean;
}

function renderLine(line: DiffLine, options: RenderOptions): RenderedLine {
  let content = line.text;
  const shortened = content.length > options.maxLineChars;
  if (shortened) content = `${content.slice(0, options.maxLineChars)} …[shortened: ${content.length - options.maxLineChars} more characters]`;
  const number = line.kind === "del" ? line.oldLine : line.newLine;
  const body = options.lineNumbers ? `${PREFIX[line.kind]}${number} | ${content}` : `${PREFIX[line.kind]}${content}`;
  const tail = line.noNewlineAtEnd ? "\n\\ No newline at end of file\n" : "\n";
  return { text: body + tail, changed: line.kind !== "context", shortened };
}

/** A header line for a file in a packet. */
export function fileHeader(file: DiffFile): string {
  const origin = file.previousPath && file.previousPath !== file.path ? ` from ${file.previousPath}` : "";
  return `\n### ${file.path} (${file.status}${origin}, +${file.additions}/-${file.deletions})\n`;
}

/** Reference to lines [from, to) of hunk `hunk`, with the diff ranges people read. */
export interface PartRef {
  hunk: number;
  from: number;
  to: number;
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  changedLines: number;
}

export interface Unit {
  file: number;
  part: PartRef;
  split: boolean;
  text: string;
  tokens: number;
  shortenedLines: number;
}

/** Renders a hunk's lines once; units and their splits are slices of this. */
export class HunkLines {
  readonly rendered: RenderedLine[];
  constructor(readonly hunk: DiffHunk, options: RenderOptions) {
    this.rendered = hunk.lines.map((line) => renderLine(line, options));
  }

  private oldBefore: Int32Array | null = null;
  private newBefore: Int32Array | null = null;

  /** How many base (old) and head (new) lines precede each line index; built on first use. */
  private prefix(): [Int32Array, Int32Array] {
    if (!this.oldBefore || !this.newBefore) {
      const count = this.hunk.lines.length;
      this.oldBefore = new Int32Array(count + 1);
      this.newBefore = new Int32Array(count + 1);
      for (let i = 0; i < count; i++) {
        const kind = this.hunk.lines[i]?.kind;
        this.oldBefore[i + 1] = (this.oldBefore[i] as number) + (kind !== "add" ? 1 : 0);
        this.newBefore[i + 1] = (this.newBefore[i] as number) + (kind !== "del" ? 1 : 0);
      }
    }
    return [this.oldBefore, this.newBefore];
  }

  /** The old/new ranges covered by lines [from, to). */
  ranges(from: number, to: number): Omit<PartRef, "hunk" | "from" | "to" | "changedLines"> {
    const [oldPrefix, newPrefix] = this.prefix();
    const oldBefore = oldPrefix[from] as number;
    const newBefore = newPrefix[from] as number;
    const oldLines = (oldPrefix[to] as number) - oldBefore;
    const newLines = (newPrefix[to] as number) - newBefore;
    const whole = from === 0 && to === this.hunk.lines.length;
    if (whole) return { oldStart: this.hunk.oldStart, oldLines: this.hunk.oldLines, newStart: this.hunk.newStart, newLines: this.hunk.newLines };
    const start = (base: number, before: number, count: number) => (count === 0 ? base + before - 1 : base + before);
    const oldBase = this.hunk.oldLines === 0 ? this.hunk.oldStart + 1 : this.hunk.oldStart;
    const newBase = this.hunk.newLines === 0 ? this.hunk.newStart + 1 : this.hunk.newStart;
    return { oldStart: start(oldBase, oldBefore, oldLines), oldLines, newStart: start(newBase, newBefore, newLines), newLines };
  }

  unit(file: number, hunk: number, from: number, to: number): Unit {
    const split = from !== 0 || to !== this.hunk.lines.length;
    const ranges = this.ranges(from, to);
    const section = this.hunk.section ? ` ${this.hunk.section}` : "";
    let text = `@@ -${ranges.oldStart},${ranges.oldLines} +${ranges.newStart},${ranges.newLines} @@${section}${split ? " [split]" : ""}\n`;
    let changedLines = 0;
    let shortenedLines = 0;
    for (let i = from; i < to; i++) {
      const line = this.rendered[i] as RenderedLine;
      text += line.text;
      if (line.changed) changedLines++;
      if (line.shortened) shortenedLines++;
    }
    return { file, part: { hunk, from, to, ...ranges, changedLines }, split, text, tokens: estimateTokens(text), shortenedLines };
  }

  /**
   * Cuts lines [from, to) into consecutive units that fit `maxTokens` each, at line boundaries.
   * Ranges are first cut by length, then any unit the estimator still finds too big is halved;
   * a single line larger than `maxTokens` stays alone (it will not fit anywhere and is reported).
   * `maxUnits` stops early when only the first pieces are wanted.
   */
  split(file: number, hunk: number, from: number, to: number, maxTokens: number, maxUnits = Infinity): Unit[] {
    const charsPerToken = 300 / estimateTokens("x".repeat(300));
    const capacity = maxTokens * charsPerToken - (64 + this.hunk.section.length);
    const units: Unit[] = [];
    const emit = (start: number, end: number) => {
      const unit = this.unit(file, hunk, start, end);
      if (unit.tokens <= maxTokens || end - start < 2) {
        units.push(unit);
        return;
      }
      const middle = start + Math.floor((end - start) / 2);
      emit(start, middle);
      emit(middle, end);
    };
    let start = from;
    let size = 0;
    for (let i = from; i < to && units.length < maxUnits; i++) {
      const length = (this.rendered[i] as RenderedLine).text.length;
      if (i > start && size + length > capacity) {
        emit(start, i);
        start = i;
        size = 0;
      }
      size += length;
    }
    if (start < to && units.length < maxUnits) emit(start, to);
    return units.slice(0, maxUnits);
  }
}
