/**
 * A pull request's changes as files with hunks, parsed from either GitHub source:
 * - the PR files API (`pulls.listFiles`): one `patch` (hunks only) per file, at most 3000 files,
 *   and no patch at all for binary or very large files;
 * - the whole unified diff (`application/vnd.github.diff`), which big PRs need.
 * Line numbers are computed here once; everything else (packing, comment placement, overlap)
 * reads them from these structures.
 */

export type Side = "LEFT" | "RIGHT";

export type FileStatus = "added" | "removed" | "modified" | "renamed" | "copied" | "changed" | "unchanged";

export interface DiffLine {
  kind: "add" | "del" | "context";
  /** The line's content without its `+`, `-` or space prefix. */
  text: string;
  /** Line number in the base file (LEFT); null for added lines. */
  oldLine: number | null;
  /** Line number in the head file (RIGHT); null for deleted lines. */
  newLine: number | null;
  /** Set when the diff says `\ No newline at end of file` after this line. */
  noNewlineAtEnd?: true;
}

export interface DiffHunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** Text after the closing `@@` (often the enclosing function), trimmed. */
  section: string;
  lines: DiffLine[];
}

/**
 * `present`: hunks are known. `binary`: a binary file (no text diff). `omitted`: GitHub left the
 * patch out (too large) although lines changed. `empty`: nothing to show (pure rename, mode change,
 * empty new file).
 */
export type PatchState = "present" | "binary" | "omitted" | "empty";

export interface DiffFile {
  path: string;
  previousPath: string | null;
  status: FileStatus;
  additions: number;
  deletions: number;
  patch: PatchState;
  hunks: DiffHunk[];
}

export interface ParsedDiff {
  files: DiffFile[];
  /** Malformed input that was skipped or repaired; empty for well-formed diffs. */
  warnings: string[];
}

/** The fields Orkestra reads from one `pulls.listFiles` item (Octokit's `diff-entry`). */
export interface PullRequestFileEntry {
  filename: string;
  status: FileStatus;
  additions: number;
  deletions: number;
  changes: number;
  patch?: string | null;
  previous_filename?: string | null;
}

export const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@ ?(.*)$/;

/** A hunk being read line by line; it ends when both sides have their declared line count. */
export class HunkReader {
  readonly hunk: DiffHunk;
  private oldNext: number;
  private newNext: number;
  private oldLeft: number;
  private newLeft: number;

  constructor(header: RegExpExecArray) {
    const oldStart = Number(header[1]);
    const newStart = Number(header[3]);
    this.hunk = {
      oldStart,
      oldLines: header[2] === undefined ? 1 : Number(header[2]),
      newStart,
      newLines: header[4] === undefined ? 1 : Number(header[4]),
      section: (header[5] ?? "").trim(),
      lines: [],
    };
    this.oldNext = oldStart;
    this.newNext = newStart;
    this.oldLeft = this.hunk.oldLines;
    this.newLeft = this.hunk.newLines;
  }

  get complete(): boolean {
    return this.oldLeft <= 0 && this.newLeft <= 0;
  }

  /** Reads one body line; returns false when the line is not part of this hunk. */
  accept(raw: string): boolean {
    const prefix = raw[0];
    if (prefix === "\\") {
      const last = this.hunk.lines.at(-1);
      if (last) last.noNewlineAtEnd = true;
      return true;
    }
    if (this.complete) return false;
    const text = raw.slice(1);
    if (prefix === "+" && this.newLeft > 0) {
      this.hunk.lines.push({ kind: "add", text, oldLine: null, newLine: this.newNext++ });
      this.newLeft--;
    } else if (prefix === "-" && this.oldLeft > 0) {
      this.hunk.lines.push({ kind: "del", text, oldLine: this.oldNext++, newLine: null });
      this.oldLeft--;
    } else if ((prefix === " " || raw === "") && this.oldLeft > 0 && this.newLeft > 0) {
      // Some tools strip the single space of an empty context line; GitHub does not, but be kind.
      this.hunk.lines.push({ kind: "context", text, oldLine: this.oldNext++, newLine: this.newNext++ });
      this.oldLeft--;
      this.newLeft--;
    } else {
      return false;
    }
    return true;
  }
}

/** Parses the hunks of one file's patch (the `patch` field of the PR files API). */
export function parsePatch(patch: string, warnings: string[] = [], label = "patch"): DiffHunk[] {
  const hunks: DiffHunk[] = [];
  let reader: HunkReader | null = null;
  for (const raw of patch.split("\n")) {
    const header = raw.startsWith("@@") ? HUNK_HEADER.exec(raw) : null;
    if (header) {
      if (reader && !reader.complete) warnings.push(`${label}: hunk ${hunks.length} is shorter than its header says`);
      reader = new HunkReader(header);
      hunks.push(reader.hunk);
      continue;
    }
    if (reader?.accept(raw)) continue;
    if (raw !== "") warnings.push(`${label}: ignored a line outside any hunk`);
  }
  if (reader && !reader.complete) warnings.push(`${label}: hunk ${hunks.length} is shorter than its header says`);
  return hunks;
}

function patchStateWithoutPatch(entry: PullRequestFileEntry): PatchState {
  if (entry.additions + entry.deletions > 0) return "omitted";
  // GitHub reports binary files with zero additions and deletions and no patch; renames, copies
  // and mode changes (`changed`) without content changes look the same but have nothing to show.
  return ["renamed", "copied", "changed", "unchanged"].includes(entry.status) ? "empty" : "binary";
}

/** Parses the items of `pulls.listFiles` (all pages) into files with hunks. */
export function parsePullRequestFiles(entries: readonly PullRequestFileEntry[]): ParsedDiff {
  const warnings: string[] = [];
  const files = entries.map((entry): DiffFile => {
    const hasPatch = typeof entry.patch === "string" && entry.patch.length > 0;
    const hunks = hasPatch ? parsePatch(entry.patch as string, warnings, entry.filename) : [];
    return {
      path: entry.filename,
      previousPath: entry.previous_filename ?? null,
      status: entry.status,
      additions: entry.additions,
      deletions: entry.deletions,
      patch: hasPatch ? (hunks.length > 0 ? "present" : "empty") : patchStateWithoutPatch(entry),
      hunks,
    };
  });
  return { files, warnings };
}

/** Number of added plus deleted lines a file's parsed hunks hold. */
export function countChangedLines(hunks: readonly DiffHunk[]): number {
  let count = 0;
  for (const hunk of hunks) for (const line of hunk.lines) if (line.kind !== "context") count++;
  return count;
}

/** Changed lines of a file: counted from hunks when present, else GitHub's counts. */
export function changedLinesOf(file: DiffFile): number {
  return file.patch === "present" ? countChangedLines(file.hunks) : file.additions + file.deletions;
}

/**
 * Completes the PR files API result with the unified diff: fills the files whose patch GitHub
 * omitted and appends files beyond the API's 3000-file cap. Files stay in the API's order.
 */
export function mergeDiffSources(fromApi: readonly DiffFile[], fromUnified: readonly DiffFile[]): DiffFile[] {
  const unifiedByPath = new Map(fromUnified.map((file) => [file.path, file]));
  const seen = new Set<string>();
  const merged = fromApi.map((file) => {
    seen.add(file.path);
    const full = unifiedByPath.get(file.path);
    if (file.patch !== "omitted" || !full || full.patch !== "present") return file;
    return { ...file, patch: full.patch, hunks: full.hunks };
  });
  for (const file of fromUnified) if (!seen.has(file.path)) merged.push(file);
  return merged;
}
