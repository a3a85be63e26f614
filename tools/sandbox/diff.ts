/**
 * Line diffs as git prints them: Myers' algorithm over lines, hunks with 3 lines of context
 * (hunks closer than 2 × 3 unchanged lines merge), `@@ -a,b +c,d @@` headers, deletions before
 * additions within a change, and "\ No newline at end of file" after a last line without one.
 */

interface DiffLine {
  kind: "context" | "removed" | "added";
  text: string;
  /** False for a file's last line when the file does not end with a newline. */
  newline: boolean;
  /** Line number in the old file (context and removed lines). */
  oldLine: number | null;
  /** Line number in the new file (context and added lines). */
  newLine: number | null;
}

export interface Hunk {
  oldStart: number;
  oldCount: number;
  newStart: number;
  newCount: number;
  lines: DiffLine[];
}

export interface TextDiff {
  hunks: Hunk[];
  additions: number;
  deletions: number;
}

export type Side = "LEFT" | "RIGHT";

const CONTEXT = 3;
/** Beyond this many edits the middle of a file is shown as removed then added (still a correct diff). */
const MAX_EDIT_DISTANCE = 1_000;

interface Line {
  text: string;
  newline: boolean;
}

function splitLines(content: string): Line[] {
  if (content === "") return [];
  const parts = content.split("\n");
  const endsWithNewline = parts[parts.length - 1] === "";
  if (endsWithNewline) parts.pop();
  return parts.map((text, index) => ({ text, newline: endsWithNewline || index < parts.length - 1 }));
}

type Op = { kind: "equal"; a: number; b: number } | { kind: "removed"; a: number } | { kind: "added"; b: number };

/** The shortest edit script between `a` and `b`, or undefined when it is longer than `max`. */
function myers(a: readonly string[], b: readonly string[], max: number): Op[] | undefined {
  const n = a.length;
  const m = b.length;
  const limit = Math.min(n + m, max);
  const offset = limit + 1;
  const v = new Int32Array(2 * limit + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= limit; d += 1) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x += 1;
        y += 1;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, offset, n, m);
    }
  }
  return undefined;
}

function backtrack(trace: readonly Int32Array[], offset: number, n: number, m: number): Op[] {
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d -= 1) {
    const v = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? k + 1 : k - 1;
    const prevX = v[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x -= 1;
      y -= 1;
      ops.push({ kind: "equal", a: x, b: y });
    }
    if (d > 0) ops.push(x === prevX ? { kind: "added", b: prevY } : { kind: "removed", a: prevX });
    x = prevX;
    y = prevY;
  }
  return ops.reverse();
}

/** The edit script over whole files: common ends trimmed, Myers in the middle. */
function editScript(a: readonly string[], b: readonly string[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start += 1;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA -= 1;
    endB -= 1;
  }
  const middleA = a.slice(start, endA);
  const middleB = b.slice(start, endB);
  const oneSided = middleA.length === 0 || middleB.length === 0;
  const middle = (oneSided ? undefined : myers(middleA, middleB, MAX_EDIT_DISTANCE)) ?? [
    ...middleA.map((_, i): Op => ({ kind: "removed", a: i })),
    ...middleB.map((_, i): Op => ({ kind: "added", b: i })),
  ];
  const shifted = middle.map((op): Op => {
    if (op.kind === "equal") return { kind: "equal", a: op.a + start, b: op.b + start };
    return op.kind === "removed" ? { kind: "removed", a: op.a + start } : { kind: "added", b: op.b + start };
  });
  const head = Array.from({ length: start }, (_, i): Op => ({ kind: "equal", a: i, b: i }));
  const tail = Array.from({ length: a.length - endA }, (_, i): Op => ({ kind: "equal", a: endA + i, b: endB + i }));
  return removalsFirst([...head, ...shifted, ...tail]);
}

/** Within each run of changes, git lists the removed lines before the added ones. */
function removalsFirst(ops: Op[]): Op[] {
  const result: Op[] = [];
  let removed: Op[] = [];
  let added: Op[] = [];
  const flush = () => {
    result.push(...removed, ...added);
    removed = [];
    added = [];
  };
  for (const op of ops) {
    if (op.kind === "removed") removed.push(op);
    else if (op.kind === "added") added.push(op);
    else {
      flush();
      result.push(op);
    }
  }
  flush();
  return result;
}

export function diffText(before: string, after: string): TextDiff {
  const a = splitLines(before);
  const b = splitLines(after);
  const key = (line: Line) => (line.newline ? `${line.text}\n` : line.text);
  const lines: DiffLine[] = editScript(a.map(key), b.map(key)).map((op) => {
    if (op.kind === "equal") return { kind: "context", ...b[op.b]!, oldLine: op.a + 1, newLine: op.b + 1 };
    if (op.kind === "removed") return { kind: "removed", ...a[op.a]!, oldLine: op.a + 1, newLine: null };
    return { kind: "added", ...b[op.b]!, oldLine: null, newLine: op.b + 1 };
  });
  return {
    hunks: hunksOf(lines),
    additions: lines.filter((line) => line.kind === "added").length,
    deletions: lines.filter((line) => line.kind === "removed").length,
  };
}

function hunksOf(lines: readonly DiffLine[]): Hunk[] {
  const changed = lines.flatMap((line, index) => (line.kind === "context" ? [] : [index]));
  const ranges: [number, number][] = [];
  for (const index of changed) {
    const last = ranges[ranges.length - 1];
    if (last && index - last[1] - 1 <= 2 * CONTEXT) last[1] = index;
    else ranges.push([index, index]);
  }
  return ranges.map(([first, last]) => {
    const slice = lines.slice(Math.max(0, first - CONTEXT), Math.min(lines.length, last + CONTEXT + 1));
    const olds = slice.filter((line) => line.oldLine !== null);
    const news = slice.filter((line) => line.newLine !== null);
    const before = lines.slice(0, Math.max(0, first - CONTEXT));
    return {
      // An empty side starts at the line before the hunk, as git prints it ("-0,0" for a new file).
      oldStart: olds[0]?.oldLine ?? before.filter((line) => line.oldLine !== null).length,
      oldCount: olds.length,
      newStart: news[0]?.newLine ?? before.filter((line) => line.newLine !== null).length,
      newCount: news.length,
      lines: slice,
    };
  });
}

function hunkHeader(hunk: Hunk): string {
  const range = (start: number, count: number) => (count === 1 ? `${start}` : `${start},${count}`);
  return `@@ -${range(hunk.oldStart, hunk.oldCount)} +${range(hunk.newStart, hunk.newCount)} @@`;
}

const PREFIX: Record<DiffLine["kind"], string> = { context: " ", removed: "-", added: "+" };

/** The lines of one hunk as text, header first. */
export function hunkText(hunk: Hunk, upTo = hunk.lines.length): string[] {
  const out = [hunkHeader(hunk)];
  for (const line of hunk.lines.slice(0, upTo)) {
    out.push(`${PREFIX[line.kind]}${line.text}`);
    if (!line.newline) out.push("\\ No newline at end of file");
  }
  return out;
}

/** A file's `patch` as the pull request files endpoint gives it: its hunks, no trailing newline. */
export function renderPatch(diff: TextDiff): string {
  return diff.hunks.flatMap((hunk) => hunkText(hunk)).join("\n");
}

interface ResolvedLine {
  hunk: Hunk;
  /** Index of the line within its hunk. */
  index: number;
  /** GitHub's `position`: lines below the first "@@" header of the file's patch (later headers count). */
  position: number;
}

/** Where `line` of `side` is in the diff; undefined when the diff does not show it. */
export function resolveLine(diff: TextDiff, side: Side, line: number): ResolvedLine | undefined {
  let position = 0;
  for (const [hunkIndex, hunk] of diff.hunks.entries()) {
    if (hunkIndex > 0) position += 1;
    for (const [index, candidate] of hunk.lines.entries()) {
      position += 1;
      const number = side === "RIGHT" ? candidate.newLine : candidate.oldLine;
      const onSide = side === "RIGHT" ? candidate.kind !== "removed" : candidate.kind !== "added";
      if (onSide && number === line) return { hunk, index, position };
      if (!candidate.newline) position += 1;
    }
  }
  return undefined;
}

/** The line at a `position` of the patch, with the side it belongs to. */
export function lineAtPosition(diff: TextDiff, wanted: number): { side: Side; line: number } | undefined {
  let position = 0;
  for (const [hunkIndex, hunk] of diff.hunks.entries()) {
    if (hunkIndex > 0) position += 1;
    for (const candidate of hunk.lines) {
      position += 1;
      if (position === wanted) {
        return candidate.kind === "removed" ? { side: "LEFT", line: candidate.oldLine! } : { side: "RIGHT", line: candidate.newLine! };
      }
      if (!candidate.newline) position += 1;
    }
  }
  return undefined;
}
