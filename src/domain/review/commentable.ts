/**
 * Which (path, side, line) positions GitHub accepts for review comments.
 *
 * `pulls.createReview` takes `comments: [{ path, line, side, start_line?, start_side? }]`. A line is
 * accepted only when it appears in a hunk of the PR diff on that side: RIGHT = added or context lines
 * (head file numbers), LEFT = deleted or context lines (base file numbers). A multi-line comment's
 * `start_line` must lie in the same hunk as `line` ("start_line must be part of the same hunk as the
 * line") and come before it. One rejected comment fails the whole review with 422, so every inline
 * comment is checked here first.
 */
import type { DiffFile, Side } from "./diff.js";

/** For one file and side: line number → index of the hunk holding it. */
type SideLines = Map<number, number>;

interface FileLines {
  LEFT: SideLines;
  RIGHT: SideLines;
}

/** The commentable lines of one file, per side, with the hunk each belongs to. */
export function commentableLines(file: DiffFile): FileLines {
  const lines: FileLines = { LEFT: new Map(), RIGHT: new Map() };
  file.hunks.forEach((hunk, index) => {
    for (const line of hunk.lines) {
      if (line.oldLine !== null) lines.LEFT.set(line.oldLine, index);
      if (line.newLine !== null) lines.RIGHT.set(line.newLine, index);
    }
  });
  return lines;
}

interface CommentTarget {
  path: string;
  line: number;
  side: Side;
  startLine?: number | null;
}

/** Where a comment can go, as GitHub's review-comment fields. */
export interface CommentPosition {
  path: string;
  line: number;
  side: Side;
  start_line?: number;
  start_side?: Side;
}

type Placement =
  | { ok: true; position: CommentPosition }
  | { ok: false; reason: "file-not-in-diff" | "line-not-in-diff" };

/** Looks up commentable positions; builds each file's line table on first use. */
export class CommentableIndex {
  private readonly files = new Map<string, DiffFile>();
  private readonly renamedFrom = new Map<string, string>();
  private readonly tables = new Map<string, FileLines>();

  constructor(files: readonly DiffFile[]) {
    for (const file of files) this.files.set(file.path, file);
    for (const file of files) {
      if (file.previousPath && file.status === "renamed" && !this.files.has(file.previousPath)) this.renamedFrom.set(file.previousPath, file.path);
    }
  }

  /**
   * The diff's own spelling of `path`, forgiving `./`, `/`, `a/` and `b/` prefixes and the old name
   * of a renamed file (GitHub wants the new name for both sides); null if absent.
   */
  resolvePath(path: string): string | null {
    for (const candidate of [path, path.replace(/^\.?\//, ""), path.replace(/^\.?\//, "").replace(/^[ab]\//, "")]) {
      if (this.files.has(candidate)) return candidate;
      const renamed = this.renamedFrom.get(candidate);
      if (renamed !== undefined) return renamed;
    }
    return null;
  }

  file(path: string): DiffFile | undefined {
    const resolved = this.resolvePath(path);
    return resolved === null ? undefined : this.files.get(resolved);
  }

  /** Index of the hunk holding (path, side, line), or undefined when GitHub would reject it. */
  hunkOf(path: string, side: Side, line: number): number | undefined {
    const resolved = this.resolvePath(path);
    if (resolved === null) return undefined;
    let table = this.tables.get(resolved);
    if (!table) {
      table = commentableLines(this.files.get(resolved) as DiffFile);
      this.tables.set(resolved, table);
    }
    return table[side].get(line);
  }

  isCommentable(path: string, side: Side, line: number): boolean {
    return this.hunkOf(path, side, line) !== undefined;
  }

  /**
   * The position GitHub will accept for a target. An invalid `startLine` (other hunk, not before
   * `line`, not commentable) is dropped and the comment becomes single-line rather than rejected.
   */
  place(target: CommentTarget): Placement {
    const path = this.resolvePath(target.path);
    if (path === null) return { ok: false, reason: "file-not-in-diff" };
    const hunk = this.hunkOf(path, target.side, target.line);
    if (hunk === undefined) return { ok: false, reason: "line-not-in-diff" };
    const position: CommentPosition = { path, line: target.line, side: target.side };
    const start = target.startLine;
    if (typeof start === "number" && start < target.line && this.hunkOf(path, target.side, start) === hunk) {
      position.start_line = start;
      position.start_side = target.side;
    }
    return { ok: true, position };
  }
}
