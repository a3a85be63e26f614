import { z } from "zod";
import { formatTime } from "../domain/markdown.js";
import type { TaskMeta } from "../domain/task/card.js";
import { escapeInline } from "../domain/untrusted-text.js";
import type { GitHubPort, IssueData } from "../github/port.js";
import type { RunContext, RunReport } from "../runtime/context.js";
import { PAUSE_REF, rememberStateRef, stateRefs, stateRefsFromListing } from "../runtime/state-refs.js";
import { loadTask } from "./task-store.js";

/**
 * Pausing (docs/tasks.md#pausing). The repository's pause is the ref `refs/orkestra/state/paused`,
 * pointing at a commit on the default branch's head (so it changes no file) whose message records
 * who paused, when and why. Its absence is "not paused": an event that would do something pays one
 * read (the state refs, runtime/state-refs.ts, which also give the ledger's head), asked once per
 * run; a sweep learns it from the listing of Orkestra's refs it makes anyway. Only when paused is the commit read, to
 * say by whom and since when. `/resume` deletes it and leaves `refs/orkestra/resumed/<ms>`, the
 * time the pause began, so the next sweep re-checks every issue changed since then.
 *
 * A task's pause is its card's `paused` field: read with the card, wherever a path loads it.
 */
export { PAUSE_REF };
const RESUMED_PREFIX = "orkestra/resumed/";

export interface Pause {
  by: string;
  /** ISO time the pause began. */
  at: string;
  why: string | null;
}

const pauseMessageSchema = z.object({ by: z.string().min(1), at: z.string().datetime(), why: z.string().nullable().default(null) });

export function pauseMessage(pause: Pause): string {
  return `orkestra paused by @${pause.by}\n\n${JSON.stringify(pause)}`;
}

/** The pause a commit message records; garbage reads as "paused, by unknown" since the commit's date. */
export function parsePause(message: string, date: string): Pause {
  const split = message.indexOf("\n\n");
  try {
    const parsed = pauseMessageSchema.safeParse(JSON.parse(split >= 0 ? message.slice(split + 2) : message));
    if (parsed.success) return parsed.data;
  } catch {
    // not JSON: below
  }
  return { by: "unknown", at: date, why: null };
}

/** A pause and the commit its ref points at. */
interface PauseRecord {
  pause: Pause;
  sha: string;
}

/** The repository's pause as found in one run, keyed by the run's report (shared by every copy of its context). */
const known = new WeakMap<RunReport, Promise<PauseRecord | null>>();

async function readPauseAt(github: Pick<GitHubPort, "commit">, sha: string | null): Promise<PauseRecord | null> {
  if (!sha) return null;
  const { message, date } = await github.commit(sha);
  return { pause: parsePause(message, date), sha };
}

/** Reads the repository's pause once per run (one request when not paused; the commit too when paused). */
export function pauseRecord(github: Pick<GitHubPort, "matchingRefs" | "commit">, report: RunReport): Promise<PauseRecord | null> {
  let record = known.get(report);
  if (!record) {
    record = stateRefs(github, report).then((refs) => readPauseAt(github, refs.paused));
    // A failed read is not remembered: the next caller asks again.
    record.catch(() => known.delete(report));
    known.set(report, record);
  }
  return record;
}

export async function repoPause(github: Pick<GitHubPort, "matchingRefs" | "commit">, report: RunReport): Promise<Pause | null> {
  return (await pauseRecord(github, report))?.pause ?? null;
}

/** What `/pause` and `/resume` just wrote, for the commands after them in the same run. */
export function rememberPause(report: RunReport, record: PauseRecord | null): void {
  known.set(report, Promise.resolve(record));
  rememberStateRef(report, "paused", record?.sha ?? null);
}

/** The pause as seen in a listing of Orkestra's refs (the sweep's): no request unless paused. */
export async function pauseInListing(ctx: RunContext, refs: readonly { ref: string; sha: string }[]): Promise<Pause | null> {
  const record = readPauseAt(ctx.github, stateRefsFromListing(ctx.report, refs).paused);
  known.set(ctx.report, record);
  return (await record)?.pause ?? null;
}

/** When the last pause began, from the markers `/resume` left (earliest first), for the sweep's heal window. */
export function resumedMarkers(refs: readonly { ref: string }[]): { refs: string[]; since: string | null } {
  const markers = refs.filter(({ ref }) => ref.startsWith(RESUMED_PREFIX)).map(({ ref }) => ref);
  const times = markers.map((ref) => Number(ref.slice(RESUMED_PREFIX.length))).filter((ms) => Number.isFinite(ms) && ms > 0);
  return { refs: markers, since: times.length > 0 ? new Date(Math.min(...times)).toISOString() : null };
}

export function resumedRef(pause: Pause): string {
  const ms = Date.parse(pause.at);
  return `${RESUMED_PREFIX}${Number.isFinite(ms) ? ms : 0}`;
}

/** "Orkestra is paused in this repository by @mona since 2026-12-05 09:00 UTC (why)". */
export function describePause(pause: Pause): string {
  const why = pause.why ? ` (${escapeInline(pause.why)})` : "";
  return `Orkestra is paused in this repository by @${escapeInline(pause.by)} since ${formatTime(pause.at)}${why}`;
}

const HOW_TO_RESUME = "a maintainer comments `/resume` on any issue or pull request to resume";

export function describeTaskPause(paused: NonNullable<TaskMeta["paused"]>): string {
  return `this task is paused by @${escapeInline(paused.by)} since ${formatTime(paused.at)}; \`/resume here\` on it resumes it`;
}

/** The note a paused task leaves in a run's report instead of changing. */
export function taskPausedNote(ctx: RunContext, number: number, paused: NonNullable<TaskMeta["paused"]>, what: string): void {
  ctx.report.notes.push(`#${number}: ${describeTaskPause(paused)}; ${what} changed nothing`);
}

/** Commands that still work while paused: the pause itself, its undoing, and help. */
export const WORK_WHILE_PAUSED: readonly string[] = ["help", "pause", "resume"];

/** Commands that change a task (a paused task refuses them): votes change a tally, not the task. */
function changesTask(spec: { name: string; scope: string }): boolean {
  return spec.scope === "task" || spec.name === "revise";
}

/**
 * Why a command other than `/pause`, `/resume` and `/help` changes nothing here, or null: the
 * repository is paused (known from the run's one read), or the command changes a paused task (its
 * card, read only for such a command on an issue with the task label).
 */
export async function pausedRefusal(ctx: RunContext, issue: IssueData, spec: { name: string; scope: string }): Promise<string | null> {
  const pause = await repoPause(ctx.github, ctx.report);
  if (pause) return `${describePause(pause)}; nothing changes until ${HOW_TO_RESUME}`;
  if (!changesTask(spec) || issue.isPullRequest || !ctx.scheme.hasTaskLabel(issue.labels)) return null;
  const paused = (await loadTask(ctx, issue)).meta?.paused;
  return paused ? describeTaskPause(paused) : null;
}
