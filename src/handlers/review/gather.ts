import { mergeDiffSources, parsePullRequestFiles, type DiffFile } from "../../domain/review/diff.js";
import { parseUnifiedDiff } from "../../domain/review/unified-diff.js";
import type { PullDetails } from "../../github/port.js";
import type { RunContext } from "../../runtime/context.js";

export interface PullDiff {
  files: DiffFile[];
  /** Files GitHub changed but listed nowhere Orkestra could read (beyond the files API's 3000). */
  unlisted: number;
  notes: string[];
}

/**
 * A pull request's changes, read as data through the API (no checkout, nothing from the PR runs):
 * the files API, completed with the whole diff when GitHub left patches out (too large) or the PR
 * has more files than the files API lists. When GitHub refuses the whole diff too (over 300 files),
 * what is missing stays listed as not reviewed.
 */
async function readPullDiff(ctx: RunContext, pr: PullDetails): Promise<PullDiff> {
  const entries = await ctx.github.listPullFiles(pr.number);
  const parsed = parsePullRequestFiles(entries);
  const notes = parsed.warnings.slice(0, 5).map((warning) => `#${pr.number}: diff: ${warning}`);
  const omitted = parsed.files.filter((file) => file.patch === "omitted").length;
  const beyondList = Math.max(0, pr.changedFiles - entries.length);
  if (omitted === 0 && beyondList === 0) return { files: parsed.files, unlisted: 0, notes };

  const text = await ctx.github.pullDiff(pr.number);
  if (text === null) {
    notes.push(`#${pr.number}: GitHub refused the whole diff as too large; ${omitted} file(s) without a patch and ${beyondList} unlisted file(s) are not reviewed`);
    return { files: parsed.files, unlisted: beyondList, notes };
  }
  const unified = parseUnifiedDiff(text);
  const files = mergeDiffSources(parsed.files, unified.files);
  return { files, unlisted: Math.max(0, pr.changedFiles - files.length), notes };
}

/** The diff, read when first asked for; `read()` says whether it was (so reusing it costs nothing). */
export type LazyDiff = (() => Promise<PullDiff>) & { read(): boolean };

/** Reads the diff once, when first needed (the review, the overlap check and the config check share it). */
export function lazyDiff(ctx: RunContext, pr: PullDetails): LazyDiff {
  let diff: Promise<PullDiff> | undefined;
  return Object.assign(() => (diff ??= readPullDiff(ctx, pr)), { read: () => diff !== undefined });
}
