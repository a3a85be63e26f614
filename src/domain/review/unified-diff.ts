/**
 * Parser for a whole unified diff as GitHub serves it with `Accept: application/vnd.github.diff`
 * (git's format: `diff --git` headers, extended header lines, `---`/`+++`, hunks). Hunk bodies are
 * read by their declared line counts, so a content line such as `--- a/x` inside a hunk is never
 * mistaken for a header.
 */
import { HUNK_HEADER, HunkReader, countChangedLines } from "./diff.js";
import type { DiffFile, DiffHunk, FileStatus, ParsedDiff } from "./diff.js";

interface FileBuilder {
  headerOld: string | null;
  headerNew: string | null;
  oldPath: string | null | undefined;
  newPath: string | null | undefined;
  renameFrom: string | null;
  renameTo: string | null;
  copied: boolean;
  created: boolean;
  deleted: boolean;
  binary: boolean;
  hunks: DiffHunk[];
}

const ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, "\\": 92 };

/** Decodes git's C-style quoted path (`"caf\303\251.txt"`) into text. */
export function unquoteGitPath(quoted: string): string {
  if (!quoted.startsWith('"') || !quoted.endsWith('"') || quoted.length < 2) return quoted;
  const bytes: number[] = [];
  const body = quoted.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const char = body[i] as string;
    if (char !== "\\") {
      bytes.push(...new TextEncoder().encode(char));
      continue;
    }
    const next = body[i + 1] ?? "";
    const octal = /^[0-7]{3}/.exec(body.slice(i + 1, i + 4));
    if (octal) {
      bytes.push(parseInt(octal[0], 8));
      i += 3;
    } else {
      bytes.push(ESCAPES[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/** A path from a `---`/`+++` line: null for /dev/null, without `a/`/`b/` and trailing tab data. */
function markerPath(raw: string): string | null {
  const value = raw.startsWith('"') ? unquoteGitPath(raw.slice(0, raw.lastIndexOf('"') + 1)) : raw.split("\t")[0] ?? "";
  if (value === "/dev/null") return null;
  return /^[ab]\//.test(value) ? value.slice(2) : value;
}

function plainPath(raw: string): string {
  return raw.startsWith('"') ? unquoteGitPath(raw) : raw;
}

/** Old and new paths from `diff --git a/X b/Y`; exact when X = Y or paths are quoted. */
function headerPaths(rest: string): { old: string | null; new: string | null } {
  const quoted = /^("(?:[^"\\]|\\.)*") ("(?:[^"\\]|\\.)*"|\S.*)$/.exec(rest);
  if (quoted?.[1] && quoted[2]) return { old: markerPath(quoted[1]), new: markerPath(quoted[2]) };
  const half = (rest.length - 5) / 2;
  if (Number.isInteger(half) && rest.startsWith("a/")) {
    const candidate = rest.slice(2, 2 + half);
    if (rest.slice(2 + half) === ` b/${candidate}`) return { old: candidate, new: candidate };
  }
  const split = rest.indexOf(" b/");
  if (rest.startsWith("a/") && split > 0) return { old: rest.slice(2, split), new: rest.slice(split + 3) };
  return { old: null, new: null };
}

function newBuilder(headerOld: string | null = null, headerNew: string | null = null): FileBuilder {
  return {
    headerOld,
    headerNew,
    oldPath: undefined,
    newPath: undefined,
    renameFrom: null,
    renameTo: null,
    copied: false,
    created: false,
    deleted: false,
    binary: false,
    hunks: [],
  };
}

function statusOf(file: FileBuilder): FileStatus {
  if (file.created || file.oldPath === null) return "added";
  if (file.deleted || file.newPath === null) return "removed";
  if (file.renameFrom !== null) return file.copied ? "copied" : "renamed";
  return "modified";
}

function finish(file: FileBuilder): DiffFile | null {
  const status = statusOf(file);
  const newPath = file.newPath ?? file.renameTo ?? file.headerNew;
  const oldPath = file.oldPath ?? file.renameFrom ?? file.headerOld;
  const path = status === "removed" ? (oldPath ?? newPath) : (newPath ?? oldPath);
  if (!path) return null;
  let additions = 0;
  for (const hunk of file.hunks) for (const line of hunk.lines) if (line.kind === "add") additions++;
  return {
    path,
    previousPath: status === "renamed" || status === "copied" ? (oldPath ?? null) : null,
    status,
    additions,
    deletions: countChangedLines(file.hunks) - additions,
    patch: file.binary ? "binary" : file.hunks.length > 0 ? "present" : "empty",
    hunks: file.hunks,
  };
}

/** Applies one extended header line (mode, rename, copy, binary, ---/+++) to the file. */
function readHeaderLine(file: FileBuilder, line: string): boolean {
  if (line.startsWith("new file mode")) file.created = true;
  else if (line.startsWith("deleted file mode")) file.deleted = true;
  else if (line.startsWith("rename from ")) file.renameFrom = plainPath(line.slice(12));
  else if (line.startsWith("rename to ")) file.renameTo = plainPath(line.slice(10));
  else if (line.startsWith("copy from ")) {
    file.renameFrom = plainPath(line.slice(10));
    file.copied = true;
  } else if (line.startsWith("copy to ")) file.renameTo = plainPath(line.slice(8));
  else if (line.startsWith("Binary files ") || line === "GIT binary patch") file.binary = true;
  else if (line.startsWith("--- ")) file.oldPath = markerPath(line.slice(4));
  else if (line.startsWith("+++ ")) file.newPath = markerPath(line.slice(4));
  else return /^(index |old mode |new mode |similarity index |dissimilarity index )/.test(line);
  return true;
}

/** Parses a whole unified diff into files with hunks (same shape as the PR files API parse). */
export function parseUnifiedDiff(text: string): ParsedDiff {
  const files: DiffFile[] = [];
  const warnings: string[] = [];
  let current: FileBuilder | null = null;
  let reader: HunkReader | null = null;
  const close = () => {
    if (reader && !reader.complete) warnings.push("a hunk is shorter than its header says");
    const done = current ? finish(current) : null;
    if (done) files.push(done);
    else if (current) warnings.push("skipped a file whose path could not be read");
    current = null;
    reader = null;
  };

  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (reader?.accept(line)) continue;
    if (line.startsWith("diff --git ")) {
      close();
      const paths = headerPaths(line.slice(11));
      current = newBuilder(paths.old, paths.new);
    } else if (line.startsWith("--- ") && (lines[i + 1] ?? "").startsWith("+++ ") && (!current || current.hunks.length > 0)) {
      close(); // a plain diff without `diff --git` headers
      current = newBuilder();
      readHeaderLine(current, line);
    } else if (current && line.startsWith("@@")) {
      const header = HUNK_HEADER.exec(line);
      if (!header) {
        warnings.push(`unreadable hunk header: ${line.slice(0, 80)}`);
        continue;
      }
      reader = new HunkReader(header);
      current.hunks.push(reader.hunk);
    } else if (current && current.hunks.length === 0 && readHeaderLine(current, line)) {
      continue;
    } else if (line !== "") {
      warnings.push(`ignored a line outside any hunk: ${line.slice(0, 80)}`);
    }
  }
  close();
  return { files, warnings };
}
