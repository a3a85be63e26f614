/**
 * Overlap detection between open PRs: the same base file changed at overlapping or near lines
 * (within `window` lines), or the same file when lines are unknown (binary, no patch, both added).
 * Each PR with overlaps gets one sticky comment listing the others and the `conflict:overlap`
 * label; both are cleared when the overlap goes. Lines are base-branch lines, so PRs compare.
 */
import { z } from "zod";
import { readMarker, renderMarker } from "../markers.js";
import { codeSpan, escapeInline } from "../untrusted-text.js";
import type { DiffFile } from "./diff.js";
import { GITHUB_BODY_LIMIT, boundedList, textSize } from "./markdown.js";

interface LineRange {
  start: number;
  end: number;
}

export interface ChangedFile {
  /** The path on the base branch (the old name of a renamed file). */
  path: string;
  /** Changed base lines, sorted; null when unknown (the whole file counts). */
  ranges: LineRange[] | null;
}

export interface PullRequestChanges {
  number: number;
  title?: string;
  files: ChangedFile[];
}

/** Base-side ranges of the changed lines in one hunk-run: deletions' lines, or the insertion point. */
function changedRuns(file: DiffFile): LineRange[] {
  const ranges: LineRange[] = [];
  for (const hunk of file.hunks) {
    let previousOld = hunk.oldLines === 0 ? hunk.oldStart : hunk.oldStart - 1;
    let run: LineRange | null = null;
    let runHasDeletion = false;
    const close = () => {
      if (run) ranges.push(run);
      run = null;
      runHasDeletion = false;
    };
    for (const line of hunk.lines) {
      if (line.kind === "context") {
        close();
        previousOld = line.oldLine ?? previousOld;
        continue;
      }
      if (line.kind === "del" && line.oldLine !== null) {
        if (!run || !runHasDeletion) run = { start: line.oldLine, end: line.oldLine };
        else run.end = line.oldLine;
        runHasDeletion = true;
        previousOld = line.oldLine;
      } else if (!run) {
        run = { start: Math.max(1, previousOld), end: previousOld + 1 };
      }
    }
    close();
  }
  return ranges;
}

/** What a PR changes, as base paths and line ranges, from its parsed diff. */
export function changedFiles(files: readonly DiffFile[]): ChangedFile[] {
  return files.map((file) => {
    const path = file.status === "renamed" && file.previousPath ? file.previousPath : file.path;
    // New paths (added, or a copy's target) have no base lines: the whole file counts.
    const known = file.patch === "present" && file.status !== "added" && file.status !== "copied";
    return { path, ranges: known ? changedRuns(file) : null };
  });
}

interface FileOverlap {
  path: string;
  /** This PR's ranges that overlap; null for a file-level overlap. */
  lines: LineRange[] | null;
}

export interface PrOverlap {
  number: number;
  title?: string;
  files: FileOverlap[];
}

/** This PR's ranges that lie within `window` lines of any of the other PR's ranges. */
function overlappingRanges(mine: LineRange[], theirs: LineRange[], window: number): LineRange[] {
  const hits: LineRange[] = [];
  let j = 0;
  for (const range of mine) {
    while (j < theirs.length && (theirs[j] as LineRange).end + window < range.start) j++;
    const next = theirs[j];
    if (next && next.start <= range.end + window) hits.push(range);
  }
  return hits;
}

const byStart = (a: LineRange, b: LineRange) => a.start - b.start || a.end - b.end;

/** Every PR's overlaps with the others (only PRs sharing a path are compared). */
export function computeOverlaps(prs: readonly PullRequestChanges[], window = 3): Map<number, PrOverlap[]> {
  const byPath = new Map<string, Array<{ pr: PullRequestChanges; ranges: LineRange[] | null }>>();
  for (const pr of prs) {
    for (const file of pr.files) {
      const list = byPath.get(file.path) ?? [];
      list.push({ pr, ranges: file.ranges ? [...file.ranges].sort(byStart) : null });
      byPath.set(file.path, list);
    }
  }
  const found = new Map<number, Map<number, PrOverlap>>();
  const record = (mine: PullRequestChanges, other: PullRequestChanges, overlap: FileOverlap) => {
    const mineMap = found.get(mine.number) ?? new Map<number, PrOverlap>();
    found.set(mine.number, mineMap);
    const entry = mineMap.get(other.number) ?? { number: other.number, ...(other.title ? { title: other.title } : {}), files: [] };
    entry.files.push(overlap);
    mineMap.set(other.number, entry);
  };
  for (const [path, touching] of byPath) {
    for (let i = 0; i < touching.length; i++) {
      for (let j = i + 1; j < touching.length; j++) {
        const a = touching[i] as (typeof touching)[number];
        const b = touching[j] as (typeof touching)[number];
        if (a.pr.number === b.pr.number) continue;
        if (a.ranges === null || b.ranges === null) {
          record(a.pr, b.pr, { path, lines: null });
          record(b.pr, a.pr, { path, lines: null });
          continue;
        }
        const mine = overlappingRanges(a.ranges, b.ranges, window);
        if (mine.length === 0) continue;
        record(a.pr, b.pr, { path, lines: mine });
        record(b.pr, a.pr, { path, lines: overlappingRanges(b.ranges, a.ranges, window) });
      }
    }
  }
  const result = new Map<number, PrOverlap[]>();
  for (const pr of prs) {
    const others = [...(found.get(pr.number)?.values() ?? [])].sort((x, y) => x.number - y.number);
    for (const other of others) other.files.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
    result.set(pr.number, others);
  }
  return result;
}

export const OVERLAP_MARKER_KIND = "overlap";

const overlapMarkerSchema = z.object({
  v: z.literal(1),
  pr: z.number().int().positive(),
  others: z.array(z.number().int().positive()),
  /** Changes whenever the listed PRs or files change, so an identical comment is not rewritten. */
  signature: z.string(),
});

export type OverlapMarker = z.infer<typeof overlapMarkerSchema>;

export function readOverlapMarker(body: string | null | undefined): OverlapMarker | null {
  return readMarker(body, OVERLAP_MARKER_KIND, overlapMarkerSchema);
}

/** A short stable fingerprint (FNV-1a) of the overlapping PRs and paths. */
function overlapSignature(overlaps: readonly PrOverlap[]): string {
  const text = overlaps.map((entry) => `${entry.number}:${entry.files.map((file) => file.path).join(",")}`).join(";");
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return text ? hash.toString(16).padStart(8, "0") : "";
}

function rangeText(ranges: LineRange[] | null): string {
  if (ranges === null) return "whole file";
  const shown = ranges.slice(0, 5).map((range) => (range.start === range.end ? `${range.start}` : `${range.start}–${range.end}`));
  return `base lines ${shown.join(", ")}${ranges.length > 5 ? `, +${ranges.length - 5} more` : ""}`;
}

/** The sticky comment for `pr`: the overlapping PRs, or a note that the overlap is gone. */
export function renderOverlapComment(pr: number, overlaps: readonly PrOverlap[], label: string): string {
  const marker = renderMarker(OVERLAP_MARKER_KIND, {
    v: 1,
    pr,
    others: overlaps.map((entry) => entry.number),
    signature: overlapSignature(overlaps),
  } satisfies OverlapMarker);
  if (overlaps.length === 0) {
    return `${marker}\n### ✅ No overlap any more\nThis PR no longer changes the same code as another open pull request; \`${label}\` was removed.`;
  }
  const head = `${marker}\n### ⚠️ Overlapping pull requests\nThis PR changes the same code as ${overlaps.length === 1 ? "another open pull request" : `${overlaps.length} other open pull requests`}; merging one may conflict with the other${overlaps.length === 1 ? "" : "s"}.`;
  const foot = `<sub>Updated when these PRs change; \`${label}\` is removed when the overlap goes.</sub>`;
  const items = overlaps.map((entry) => {
    const files = entry.files.map((file) => `${codeSpan(file.path)} (${rangeText(file.lines)})`);
    const shown = files.slice(0, 10).join(", ") + (files.length > 10 ? `, … and ${files.length - 10} more files` : "");
    return `- #${entry.number}${entry.title ? ` ${escapeInline(entry.title, 120)}` : ""} — ${shown}`;
  });
  const list = boundedList(items, GITHUB_BODY_LIMIT - textSize(head) - textSize(foot) - 8);
  return `${head}\n\n${list}\n\n${foot}`;
}

export interface OverlapState {
  labeled: boolean;
  /** The marker of the PR's sticky overlap comment, when there is one. */
  marker: OverlapMarker | null;
}

export interface OverlapUpdate {
  pr: number;
  overlaps: PrOverlap[];
  addLabel: boolean;
  removeLabel: boolean;
  /** `upsert`: create or edit the sticky comment; `resolve`: edit it to say the overlap is gone. */
  comment: { action: "upsert" | "resolve"; body: string } | null;
}

/**
 * What to change on each open PR so labels and sticky comments match the current overlaps.
 * `previous` holds what the caller knows of each PR (missing = no label, no comment); only PRs
 * whose state differs are returned.
 */
export function planOverlapUpdates(input: {
  prs: readonly PullRequestChanges[];
  previous: ReadonlyMap<number, OverlapState>;
  label: string;
  window?: number;
}): OverlapUpdate[] {
  const overlaps = computeOverlaps(input.prs, input.window ?? 3);
  const updates: OverlapUpdate[] = [];
  for (const pr of input.prs) {
    const now = overlaps.get(pr.number) ?? [];
    const before = input.previous.get(pr.number) ?? { labeled: false, marker: null };
    const signature = overlapSignature(now);
    let comment: OverlapUpdate["comment"] = null;
    if (now.length > 0 && before.marker?.signature !== signature) comment = { action: "upsert", body: renderOverlapComment(pr.number, now, input.label) };
    if (now.length === 0 && before.marker && before.marker.others.length > 0) comment = { action: "resolve", body: renderOverlapComment(pr.number, now, input.label) };
    const addLabel = now.length > 0 && !before.labeled;
    const removeLabel = now.length === 0 && before.labeled;
    if (comment || addLabel || removeLabel) updates.push({ pr: pr.number, overlaps: now, addLabel, removeLabel, comment });
  }
  return updates;
}
