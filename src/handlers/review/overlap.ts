/**
 * Overlapping open pull requests: when a PR opens, changes, reopens or closes, its changed lines
 * are compared with the other open PRs' and each affected PR gets one sticky comment listing the
 * others and the `conflict:overlap` label, both cleared when the overlap goes.
 *
 * Bounded: the comparison covers the 30 most recently updated other open PRs (from one page of
 * `pulls.list`), plus those the PR's own overlap comment names, reading at most 300 files of each
 * (one request per 100 files). Only this PR and its partners, now or before, are updated.
 */
import type { DiffFile } from "../../domain/review/diff.js";
import { parsePullRequestFiles } from "../../domain/review/diff.js";
import {
  changedFiles,
  computeOverlaps,
  OVERLAP_MARKER_KIND,
  planOverlapUpdates,
  readOverlapMarker,
  type OverlapState,
  type OverlapUpdate,
  type PullRequestChanges,
} from "../../domain/review/overlap.js";
import { GitHubError, type CommentData, type PullData } from "../../github/port.js";
import type { RunContext } from "../../runtime/context.js";
import type { Effect } from "../../runtime/effects.js";
import { botComments, upsertSticky } from "../sticky.js";
import { reviewLabelSpec } from "./labels.js";

const OVERLAP_MAX_PRS = 30;
const OVERLAP_MAX_FILES = 300;

interface OverlapSubject {
  number: number;
  title: string;
  labels: string[];
  /** The PR's changes; null when it closed (it then overlaps nothing). */
  files: DiffFile[] | null;
}

export async function refreshOverlaps(ctx: RunContext, subject: OverlapSubject): Promise<void> {
  const { window } = ctx.config.review.overlap;
  const comments = new Map<number, CommentData[]>([[subject.number, await ctx.github.listComments(subject.number)]]);
  const named = new Set(markerOf(comments.get(subject.number) ?? [])?.others ?? []);
  const open = (await ctx.github.recentOpenPulls()).filter((pull) => pull.number !== subject.number);
  const compared = open.filter((pull, index) => index < OVERLAP_MAX_PRS || named.has(pull.number));
  const prs = await changesOf(ctx, subject, compared);

  // This PR, the PRs it overlaps now, and those its comment listed before: nobody else changes.
  const now = computeOverlaps(prs, window).get(subject.number) ?? [];
  const comparedNumbers = new Set(compared.map((pull) => pull.number));
  const affected = new Set([subject.number, ...now.map((entry) => entry.number), ...[...named].filter((n) => comparedNumbers.has(n))]);
  const labels = new Map<number, string[]>([[subject.number, subject.labels], ...compared.map((pull) => [pull.number, pull.labels] as const)]);
  const previous = new Map<number, OverlapState>();
  for (const number of affected) {
    if (!comments.has(number)) comments.set(number, await ctx.github.listComments(number));
    previous.set(number, { labeled: hasLabel(labels.get(number), ctx.config.review.labels.overlap), marker: markerOf(comments.get(number) ?? []) });
  }
  await applyTolerant(ctx, subject.number, overlapEffects(ctx, planOverlapUpdates({ prs, previous, label: ctx.config.review.labels.overlap, window }), affected, comments));
}

/** The subject's changes and those of the compared PRs (one files request per 100 files each). */
async function changesOf(ctx: RunContext, subject: OverlapSubject, compared: readonly PullData[]): Promise<PullRequestChanges[]> {
  const prs: PullRequestChanges[] = [{ number: subject.number, title: subject.title, files: subject.files ? changedFiles(subject.files) : [] }];
  for (const pull of compared) {
    const entries = await ctx.github.listPullFiles(pull.number, { maxFiles: OVERLAP_MAX_FILES });
    prs.push({ number: pull.number, title: pull.title, files: changedFiles(parsePullRequestFiles(entries).files) });
  }
  return prs;
}

function overlapEffects(ctx: RunContext, updates: readonly OverlapUpdate[], affected: ReadonlySet<number>, comments: ReadonlyMap<number, CommentData[]>): Effect[] {
  const label = ctx.config.review.labels.overlap;
  return updates
    .filter((update) => affected.has(update.pr))
    .flatMap((update): Effect[] => {
      const why = update.overlaps.length > 0 ? `overlaps ${update.overlaps.map((entry) => `#${entry.number}`).join(", ")}` : "no overlap any more";
      return [
        ...(update.addLabel ? [{ kind: "add-labels" as const, issue: update.pr, labels: [reviewLabelSpec(ctx, label)], why }] : []),
        ...(update.removeLabel ? [{ kind: "remove-labels" as const, issue: update.pr, names: [label], why }] : []),
        ...(update.comment ? upsertSticky(update.pr, comments.get(update.pr) ?? [], OVERLAP_MARKER_KIND, update.comment.body, why) : []),
      ];
    });
}

function hasLabel(labels: readonly string[] | undefined, name: string): boolean {
  return (labels ?? []).some((label) => label.toLowerCase() === name.toLowerCase());
}

function markerOf(comments: readonly CommentData[]) {
  const [sticky] = botComments(comments, OVERLAP_MARKER_KIND);
  return sticky ? readOverlapMarker(sticky.body) : null;
}

/** A fork PR's run on `pull_request` has a read-only token: the overlap is then only reported. */
async function applyTolerant(ctx: RunContext, pr: number, effects: Effect[]): Promise<void> {
  try {
    await ctx.apply(effects);
  } catch (error) {
    if (!(error instanceof GitHubError) || error.status !== 403) throw error;
    ctx.report.notes.push(`#${pr}: overlap not written (read-only token): ${effects.map((effect) => effect.why).join("; ")}`);
  }
}
