import { diffText, renderPatch, type TextDiff } from "./diff.js";
import type { FlatTree, GitStore } from "./git.js";
import type { PullRecord } from "./pull-records.js";

/** One file a pull request changes, from the merge base to the head (GitHub's three-dot diff). */
export interface FileChange {
  filename: string;
  /** Set for renamed files. */
  previousFilename?: string;
  status: "added" | "removed" | "modified" | "renamed";
  before: string | null;
  after: string | null;
  beforeSha: string | null;
  afterSha: string | null;
  diff: TextDiff;
  /** The hunks as text; undefined when there are none or the file's diff is over GitHub's limits. */
  patch: string | undefined;
  /** Percent of lines kept, for renames ("similarity index" in the diff). */
  similarity: number;
}

/** The files endpoint lists at most 3000 files. */
export const MAX_LISTED_FILES = 3_000;
/** The diff media type refuses pull requests with more files than this (406 too_large). */
export const MAX_DIFF_FILES = 300;
/** GitHub's per-file diff limits: beyond them a file's `patch` is left out. */
const MAX_PATCH_LINES = 20_000;
const MAX_PATCH_BYTES = 500 * 1024;

const cache = new WeakMap<PullRecord, { key: string; changes: FileChange[] }>();

/** The files changed by a pull request, sorted by name; computed once per head. */
export function pullFileChanges(git: GitStore, pull: PullRecord): FileChange[] {
  const key = `${pull.mergeBaseSha}..${pull.headSha} ${JSON.stringify(pull.renames)}`;
  const cached = cache.get(pull);
  if (cached?.key === key) return cached.changes;
  const changes = computeChanges(git, pull);
  cache.set(pull, { key, changes });
  return changes;
}

function computeChanges(git: GitStore, pull: PullRecord): FileChange[] {
  const shas = (tree: FlatTree | undefined) => new Map([...(tree ?? [])].map(([path, entry]) => [path, entry.sha]));
  const base = shas(git.treeOf(pull.mergeBaseSha));
  const head = shas(git.treeOf(pull.headSha));
  const removed = [...base.keys()].filter((path) => !head.has(path)).sort();
  const added = [...head.keys()].filter((path) => !base.has(path)).sort();
  const renames = new Map<string, string>();
  for (const [to, from] of Object.entries(pull.renames)) if (removed.includes(from) && added.includes(to)) renames.set(to, from);
  // Like git, a removed file whose exact content reappears elsewhere was renamed.
  for (const from of removed) {
    if ([...renames.values()].includes(from)) continue;
    const to = added.find((path) => !renames.has(path) && head.get(path) === base.get(from));
    if (to) renames.set(to, from);
  }
  const renamedFrom = new Set(renames.values());
  const changes: FileChange[] = [];
  const blob = (sha: string | undefined) => (sha === undefined ? null : (git.blobText(sha) ?? ""));
  for (const path of new Set([...base.keys(), ...head.keys()])) {
    const from = renames.get(path) ?? path;
    if (renamedFrom.has(path) || (!renames.has(path) && base.get(path) === head.get(path))) continue;
    const beforeSha = base.get(from) ?? null;
    const afterSha = head.get(path) ?? null;
    const status = renames.has(path) ? "renamed" : beforeSha === null ? "added" : afterSha === null ? "removed" : "modified";
    changes.push(fileChange(path, status, renames.get(path), blob(beforeSha ?? undefined), blob(afterSha ?? undefined), beforeSha, afterSha));
  }
  return changes.sort((a, b) => (a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : 0));
}

function fileChange(
  filename: string,
  status: FileChange["status"],
  previousFilename: string | undefined,
  before: string | null,
  after: string | null,
  beforeSha: string | null,
  afterSha: string | null,
): FileChange {
  const diff = diffText(before ?? "", after ?? "");
  const patch = renderPatch(diff);
  const lines = diff.hunks.reduce((n, hunk) => n + hunk.lines.length, 0);
  const tooBig = lines > MAX_PATCH_LINES || Buffer.byteLength(patch) > MAX_PATCH_BYTES;
  const kept = lineCount(before) - diff.deletions;
  const longest = Math.max(lineCount(before), lineCount(after));
  return {
    filename,
    ...(previousFilename === undefined ? {} : { previousFilename }),
    status,
    before,
    after,
    beforeSha,
    afterSha,
    diff,
    // A rename without changes or an empty new file has no hunks, and GitHub then sends no patch.
    patch: tooBig || diff.hunks.length === 0 ? undefined : patch,
    similarity: Math.floor((100 * kept) / Math.max(1, longest)),
  };
}

function lineCount(content: string | null): number {
  if (!content) return 0;
  return content.split("\n").length - (content.endsWith("\n") ? 1 : 0);
}

const ZERO_SHA = "0000000";

/** The whole pull request as `git diff` prints it (the application/vnd.github.diff media type). */
export function unifiedDiff(changes: readonly FileChange[]): string {
  const out: string[] = [];
  for (const change of changes) {
    const from = change.previousFilename ?? change.filename;
    const index = `index ${change.beforeSha?.slice(0, 7) ?? ZERO_SHA}..${change.afterSha?.slice(0, 7) ?? ZERO_SHA}`;
    out.push(`diff --git a/${from} b/${change.filename}`);
    if (change.status === "added") out.push("new file mode 100644", index);
    else if (change.status === "removed") out.push("deleted file mode 100644", index);
    else if (change.status === "renamed") {
      out.push(`similarity index ${change.beforeSha === change.afterSha ? 100 : change.similarity}%`, `rename from ${from}`, `rename to ${change.filename}`);
      if (change.beforeSha !== change.afterSha) out.push(`${index} 100644`);
    } else out.push(`${index} 100644`);
    if (change.diff.hunks.length === 0) continue;
    out.push(change.before === null ? "--- /dev/null" : `--- a/${from}`, change.after === null ? "+++ /dev/null" : `+++ b/${change.filename}`);
    out.push(renderPatch(change.diff));
  }
  return out.length === 0 ? "" : `${out.join("\n")}\n`;
}
