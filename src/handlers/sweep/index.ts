import { LOCK_PREFIX } from "../../domain/assignment/lock.js";
import { supersededPlaces } from "../../domain/assignment/slots.js";
import { planSweep, pullActivityOf, type TaskRow } from "../../domain/assignment/sweep-plan.js";
import { failAttempt } from "../assignment/attempts.js";
import { heldIssues, readBoard, requestsLeft, sweepAllowance, toRow, type Board } from "../assignment/board.js";
import { assignReady } from "../assignment/ready.js";
import type { RunContext } from "../../runtime/context.js";
import { recoverWork } from "../execution/recovery.js";
import { syncDependents } from "../issues.js";
import { syncChangedRelations } from "../dependencies.js";
import { healWindowStart, mayNeedRepair, repairTask } from "../heal.js";
import { loadTask } from "../task-store.js";
import { syncTask } from "../task-sync.js";
import { ORKESTRA_REFS, savedCursor, saveCursor } from "./cursor.js";
import { describePause, pauseInListing, resumedMarkers } from "../pause.js";
import { each, stopped } from "./steps.js";
import { closeDueVotes } from "../votes/index.js";
import { resumePlans } from "../planning/resume.js";
import { dashboardIn, showPause, updateDashboard } from "../dashboard/update.js";
import { stateRefs } from "../../runtime/state-refs.js";
import { isDashboardBody } from "../../domain/dashboard/render.js";
import { coverageText } from "./coverage.js";
import type { DashboardPlan } from "../../domain/dashboard/model.js";
import type { IssueData, PullData } from "../../github/port.js";

/** A lock with no holder is an orphan once its task has been quiet this long. */
const ORPHAN_GRACE_MINUTES = 10;

/**
 * Requests kept back while reading pages for what the sweep does next: the held tasks' lists,
 * the pull requests, the cursor, and a step or two.
 */
const AFTER_BOARD_REQUESTS = 10;

/** The most the dashboard may cost a sweep: the usage record (ref and commit), the body, the ref it keeps. */
const DASHBOARD_REQUESTS = 4;

/**
 * The scheduled sweep (the Action's `schedule` and `workflow_dispatch` events, the app's
 * timer), in order: close due votes, bring changed tasks in line, follow agents' work in
 * flight (execution/recovery.ts), release stale locks, retry or escalate failed attempts,
 * clear orphan locks, assign ready tasks by priority and age. It reads the open tasks in pages
 * of 100 and reads a task's card only when it is about to act on it; it writes only changes.
 * It spends at most its share of the hour's request budget (`sweep.requestShare`): when that
 * cannot cover every page, it acts on the pages it read and the next sweep continues after them.
 */
export async function runSweep(ctx: RunContext): Promise<void> {
  const interval = ctx.config.sweep.intervalMinutes * 60_000;
  if (ctx.lastSweepAt && ctx.clock.now().getTime() - ctx.lastSweepAt.getTime() < interval) {
    ctx.report.sweep = "not-due";
    return;
  }
  ctx.report.sweep = "ran";
  // One listing of Orkestra's refs: the pause, task locks, places, and where the last sweep stopped.
  const listed = await ctx.github.matchingRefs(ORKESTRA_REFS);
  ctx.knowRefs(listed);
  const pause = await pauseInListing(ctx, listed);
  if (pause) {
    const line = `${describePause(pause)}; the sweep changed nothing (\`/resume\` resumes it)`;
    ctx.report.notes.push(line);
    ctx.log.info(line);
    await showPause(ctx, listed, pause);
    return;
  }
  // After a pause, changes made during it are re-checked too; then the marker `/resume` left goes.
  const resumed = resumedMarkers(listed);
  const written = ctx.report.actions.length;
  const votes = await closeDueVotes(ctx);
  const { repaired, recent } = await repairChanged(ctx, resumed.since);
  // Locks the repairs released are gone: list again only when something was written.
  const refs = ctx.report.actions.length > written ? await ctx.github.matchingRefs(ORKESTRA_REFS) : listed;
  if (repaired && resumed.refs.length > 0) await ctx.apply(resumed.refs.map((ref) => ({ kind: "delete-ref" as const, ref, why: "the sweep re-checked what changed during the pause" })));
  const lockRefs = refs.filter(({ ref }) => ref.startsWith(LOCK_PREFIX));
  const cursor = savedCursor(refs);
  const board = await readBoard(ctx, cursor.page, () => requestsLeft(ctx) > AFTER_BOARD_REQUESTS);
  const coverage = { ...board.coverage, tasks: board.rows.length };
  ctx.report.sweepCoverage = { ...coverage, ...spent(ctx) };
  if (!board.complete) stopped(ctx, "reading the open tasks", [`the open tasks from page ${board.coverage.nextPage} on`]);
  // Nothing read, nothing learnt: the cursor stays, and nothing else would fit either.
  if (board.coverage.pagesRead === 0) return;
  if (!board.complete || cursor.refs.length > 0) await saveCursor(ctx, cursor.refs, board.coverage.nextPage, lockRefs[0]?.sha);
  if (!board.complete) {
    // The held tasks are few and decide capacity, stale leases and orphan locks: read them all.
    for (const issue of await heldIssues(ctx)) {
      if (board.issues.has(issue.number)) continue;
      board.issues.set(issue.number, issue);
      board.rows.push(toRow(ctx, issue));
    }
  }
  let seen: Seen | null;
  try {
    seen = await sweepBoard(ctx, board, lockRefs);
  } finally {
    ctx.report.sweepCoverage = { ...coverage, ...spent(ctx) };
  }
  // Drawing the board may read the day's usage record and write the body: not when the budget is spent.
  if (!seen || requestsLeft(ctx) < DASHBOARD_REQUESTS) return;
  // Anything the dashboard shows may have changed: a run wrote since it was drawn (the ledger moved),
  // an issue was updated, this sweep wrote, a page was not read.
  const dashboard = dashboardIn(refs);
  const ledger = (await stateRefs(ctx.github, ctx.report)).ledger;
  const changed =
    dashboard?.sha !== ledger || ctx.report.actions.length > written || !board.complete || recent.some((issue) => issue.number !== dashboard?.number);
  const total = board.coverage.totalPages > board.coverage.pagesRead ? Math.max(board.rows.length, board.coverage.totalPages * 100) : board.rows.length;
  await updateDashboard(ctx, {
    board: {
      issues: [...board.issues.values()].filter((issue) => issue.state === "open"),
      openTasks: total,
      pulls: seen.pulls,
      votes,
      plans: seen.plans,
      pause: null,
      coverage: { text: coverageText(ctx.report.sweepCoverage, { spent: false }), complete: board.complete },
    },
    refs,
    recent,
    changed,
  });
}

/** What the sweep read on its way that the dashboard shows. */
interface Seen {
  pulls: PullData[];
  plans: DashboardPlan[];
}

/** Requests this run has made, against the most its sweep may. */
function spent(ctx: RunContext): { requests: number; allowance: number | null } {
  return { requests: ctx.github.requestCount(), allowance: sweepAllowance(ctx) };
}

/** The sweep's steps on the board it read; null when it stopped early (its budget was spent). */
async function sweepBoard(ctx: RunContext, board: Board, lockRefs: readonly { ref: string; sha: string }[]): Promise<Seen | null> {
  const locks = new Map(lockRefs.map(({ ref, sha }) => [ref, sha]));
  // Blockers changed where no event told Orkestra (the sidebar, in the Action door): before anything is assigned.
  if (!(await syncChangedRelations(ctx, board))) return null;
  const openPulls = await ctx.github.recentOpenPulls();
  const pullActivity = pullActivityOf(openPulls);
  // Agents' work in flight first: a worker run still going renews its task's lease before stale leases are released.
  const followed = await recoverWork(ctx, board, openPulls);
  const plan = planSweep({
    rows: board.rows,
    locks: [...locks.keys()],
    pullActivity,
    now: ctx.clock.now(),
    leaseMinutes: ctx.config.assignment.leaseMinutes,
  });
  const stale = plan.stale.filter((row) => !followed.has(row.number));
  ctx.report.notes.push(
    `sweep: ${board.rows.length} open tasks read, ${stale.length} stale, ${plan.failed.length} failed, ${plan.candidates.length} ready`,
  );
  if (!(await each(ctx, stale, "releasing stale locks", (row) => release(ctx, board, row)))) return null;
  if (!(await each(ctx, plan.failed, "retrying failed tasks", (row) => retry(ctx, board, row)))) return null;
  if (!(await each(ctx, plan.orphanLocks, "clearing orphan locks", (ref) => clearOrphan(ctx, board, ref, locks.get(ref)!)))) return null;
  const superseded = supersededPlaces(lockRefs);
  if (!(await each(ctx, superseded, "deleting places no claim holds", (ref) => ctx.apply([{ kind: "delete-ref", ref, why: "an older generation of a place under the limits" }])))) return null;
  // Plans a run left deliberating or half created (epics with `planning.label`).
  const plans = await resumePlans(ctx, board);
  if (ctx.config.assignment.auto) await assignReady(ctx, board, plan.candidates, plan.heldAfterRelease);
  return { pulls: openPulls, plans };
}

/**
 * Tasks changed since the last sweep are brought in line (heal.ts): a write that failed half
 * way in an event's run — or in the last sweep — leaves labels, card, lock or state apart, and
 * the issue's update time says it was touched. Dependents of issues closed meanwhile follow
 * them: a close normally reaches Orkestra as an event, but not one made with a workflow's
 * GITHUB_TOKEN, which starts no run. One listing, then one read per changed task.
 */
async function repairChanged(ctx: RunContext, pausedSince: string | null): Promise<{ repaired: boolean; recent: IssueData[] }> {
  const since = healWindowStart(ctx, pausedSince);
  const recent = await ctx.github.recentlyUpdated(since);
  const changed = recent.filter((issue) => !isDashboardBody(issue.body)).map((issue) => ({ number: issue.number, issue, repair: mayNeedRepair(ctx, issue, since) }));
  const due = changed.filter((item) => item.repair || item.issue.state === "closed");
  const repaired = await each(ctx, due, "checking tasks changed since the last sweep", async ({ issue, repair }) => {
    if (repair) await repairTask(ctx, issue, "orkestra", since);
    if (issue.state === "closed" && (issue.closedAt ?? since) >= since) await syncDependents(ctx, issue.number);
  });
  return { repaired, recent };
}

async function release(ctx: RunContext, board: Board, row: TaskRow): Promise<void> {
  const task = await loadTask(ctx, board.issues.get(row.number)!);
  if (!task.meta) return;
  if (!task.meta.agent) {
    // A held status with no holder (a label set by hand): syncing puts it right.
    await ctx.apply((await syncTask(ctx, task, { actor: "orkestra" })).effects);
    return;
  }
  const minutes = ctx.config.assignment.leaseMinutes;
  await failAttempt(ctx, task, `no activity for ${minutes} minutes while held by \`${task.meta.agent.name}\``);
}

async function retry(ctx: RunContext, board: Board, row: TaskRow): Promise<void> {
  const task = await loadTask(ctx, board.issues.get(row.number)!);
  if (task.meta?.status !== "failed" || task.meta.retry.escalated) return;
  await failAttempt(ctx, task, "the attempt failed");
}

/**
 * A lock no task shows a holder for is either left by a claimer that stopped between taking
 * the lock and labelling the task, or a claim happening right now. The lock's commit says when
 * it was taken: only one older than the grace period is an orphan.
 */
async function clearOrphan(ctx: RunContext, board: Board, ref: string, sha: string): Promise<void> {
  const issue = Number(ref.slice(LOCK_PREFIX.length));
  const { date } = await ctx.github.commit(sha);
  if (ctx.clock.now().getTime() - new Date(date).getTime() < ORPHAN_GRACE_MINUTES * 60_000) {
    ctx.report.notes.push(`#${issue}: lock taken at ${date}, a claim may be in progress; left alone`);
    return;
  }
  // The labels may lag the card after a failed write: a card that names a holder keeps its lock.
  // (A closed issue holds nothing.)
  // A board cut short by the budget may not list an open task: ask for it.
  const listed = board.issues.get(issue) ?? (board.complete ? null : await ctx.github.getIssue(issue));
  const task = listed?.state === "open" ? await loadTask(ctx, listed) : null;
  if (task?.meta?.agent) {
    await repairTask(ctx, task.issue, "orkestra");
    return;
  }
  await ctx.apply([{ kind: "delete-ref", issue, ref, why: "no task holds this lock" }]);
}
