/**
 * The sweep's look at agents' work in flight. CLI mode: the worker run of each task in progress
 * is found in one listing of recent dispatched runs; a run still queued or running renews the
 * lease (and puts its link on the card), one that failed, was cancelled, ended without handing
 * over, or never appeared is a failed attempt. In review: a pull request closed unmerged is a
 * failed attempt, and an open one's checks are read when its card still waits for them.
 */
import { leaseExpiry } from "../../domain/assignment/lease.js";
import type { TaskMeta } from "../../domain/task/card.js";
import { formatTime } from "../../domain/markdown.js";
import type { PullData, WorkflowRunData } from "../../github/port.js";
import type { RunContext } from "../../runtime/context.js";
import { failAttempt } from "../assignment/attempts.js";
import type { Board } from "../assignment/board.js";
import { each } from "../sweep/steps.js";
import { loadTask, type StoredTask } from "../task-store.js";
import { settleChecks } from "./feedback.js";
import { readTask, record, stillCurrent, type Execution } from "./record.js";

/** How long a dispatched worker run may take to show up in the runs list before it counts as lost. */
const WORKER_GRACE_MINUTES = 10;
/** Runners' and GitHub's clocks differ a little from the dispatcher's. */
const CLOCK_SKEW_MS = 60_000;
const MINUTE = 60_000;

interface Work {
  number: number;
  task: StoredTask & { meta: TaskMeta };
  execution: Execution;
}

/**
 * Follows the agents' work of the board's tasks in progress and in review; returns the tasks the
 * sweep must not release as stale in this run (their lease was renewed, or they were handled).
 */
export async function recoverWork(ctx: RunContext, board: Board, openPulls: readonly PullData[]): Promise<Set<number>> {
  const handled = new Set<number>();
  if (!ctx.config.execution.enabled) return handled;
  const rows = board.rows.filter((row) => row.status === "in-progress" || row.status === "review");
  const work: Work[] = [];
  const read = await each(ctx, rows, "reading agents' work", async (row) => {
    const task = await loadTask(ctx, board.issues.get(row.number)!);
    const execution = task.meta?.execution;
    if (task.meta && execution && stillCurrent(task.meta, execution)) work.push({ number: row.number, task: { ...task, meta: task.meta }, execution });
  });
  if (!read) return handled;
  const workers = work.filter((item) => item.task.meta.status === "in-progress" && item.execution.mode === "cli");
  if (workers.length > 0) await followWorkers(ctx, workers, handled);
  const reviews = work.filter((item) => item.task.meta.status === "review" && item.execution.pr !== null);
  await each(ctx, reviews, "following agents' pull requests", (item) => followPull(ctx, item, openPulls, handled));
  return handled;
}

/**
 * When the current round's worker was dispatched: the last time the card moved the task to
 * `in-progress` (a new round), else the attempt's start.
 */
function dispatchedAt({ task, execution }: Work): string {
  const moved = task.meta.history.filter((entry) => entry.what.endsWith("→ `in-progress`") && entry.at >= execution.startedAt).at(-1);
  return moved?.at ?? execution.startedAt;
}

/**
 * One listing of dispatched runs since the oldest dispatch (plus one read of the worker workflow's
 * name, which its runs carry); each task gets the run on its card, else the oldest unclaimed
 * worker run created since its dispatch, in dispatch order.
 */
async function followWorkers(ctx: RunContext, workers: readonly Work[], handled: Set<number>): Promise<void> {
  const ordered = [...workers].sort((a, b) => dispatchedAt(a).localeCompare(dispatchedAt(b)) || a.number - b.number);
  const since = new Date(Date.parse(dispatchedAt(ordered[0]!)) - CLOCK_SKEW_MS).toISOString().replace(/\.\d{3}Z$/, "Z");
  const name = await workerName(ctx);
  const runs = (await ctx.github.listWorkflowRuns({ event: "workflow_dispatch", created: `>=${since}` }))
    .filter((run) => run.name === name)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id - b.id);
  const claimed = new Set(workers.flatMap((item) => (item.execution.run?.id ? [item.execution.run.id] : [])));
  const matched = ordered.map((item) => {
    const from = Date.parse(dispatchedAt(item)) - CLOCK_SKEW_MS;
    const fresh = (run: WorkflowRunData) => Date.parse(run.createdAt) >= from;
    const run = runs.find((candidate) => candidate.id === item.execution.run?.id && fresh(candidate)) ?? runs.find((candidate) => fresh(candidate) && !claimed.has(candidate.id));
    if (run) claimed.add(run.id);
    return { ...item, run };
  });
  await each(ctx, matched, "following worker runs", (item) => followWorker(ctx, item, item.run, handled));
}

/** The name the worker workflow's runs show: its `name:`, or its path when it has none (as on GitHub). */
async function workerName(ctx: RunContext): Promise<string> {
  const { workflow, ref } = ctx.config.execution.worker;
  const path = `.github/workflows/${workflow}`;
  const text = await ctx.github.getFile(path, ref ?? undefined);
  const line = /^name:[ \t]*(.+?)[ \t]*$/m.exec(text ?? "")?.[1];
  return line ? line.replace(/^(["'])(.*)\1$/, "$2") : path;
}

async function followWorker(ctx: RunContext, item: Work, run: WorkflowRunData | undefined, handled: Set<number>): Promise<void> {
  const { number, execution } = item;
  handled.add(number);
  if (!run) {
    const since = dispatchedAt(item);
    if (ctx.clock.now().getTime() - Date.parse(since) < WORKER_GRACE_MINUTES * MINUTE) return void ctx.report.notes.push(`#${number}: waiting for the worker run dispatched ${formatTime(since)}`);
    return fail(ctx, item, `the worker run for round ${execution.round} did not appear within ${WORKER_GRACE_MINUTES} minutes of its dispatch (${formatTime(since)})`);
  }
  // The card keeps only https links (as github.com's are); another host's run stays off the card.
  const link = /^https:\/\//.test(run.htmlUrl) ? { id: run.id, url: run.htmlUrl } : execution.run;
  if (run.status !== "completed") {
    const leaseUntil = leaseExpiry(ctx.clock.now().toISOString(), ctx.config.assignment.leaseMinutes).toISOString();
    const agent = item.task.meta.agent!;
    await record(ctx, item.task, { agent: { name: agent.name, why: agent.why, leaseUntil }, execution: { ...execution, run: link }, how: `the worker run ${run.htmlUrl} is ${run.status ?? "running"}` });
    return;
  }
  const ended = run.conclusion === "success" ? "finished without handing over the work" : `ended: ${run.conclusion ?? "unknown"}`;
  await fail(ctx, item, `the worker run ${run.htmlUrl} ${ended}`, link ?? undefined);
}

/** A failed attempt, if the card (read again) still shows the same round: the run's own write job may have just finished it. */
async function fail(ctx: RunContext, item: Work, reason: string, run?: Execution["run"]): Promise<void> {
  const task = await readTask(ctx, item.number);
  const execution = task?.meta.execution;
  if (!task || !execution || !stillCurrent(task.meta, item.execution) || execution.round !== item.execution.round || task.meta.status !== item.task.meta.status) return;
  await failAttempt(ctx, task, reason, run ? { ...execution, run } : execution);
}

/**
 * A task in review: its pull request closed unmerged is a failed attempt (merged, the issue's
 * close finishes the task); open, its checks are read while the card waits for them.
 */
async function followPull(ctx: RunContext, item: Work, openPulls: readonly PullData[], handled: Set<number>): Promise<void> {
  const number = item.execution.pr!;
  let pull: Pick<PullData, "number" | "headSha"> | undefined = openPulls.find((candidate) => candidate.number === number);
  if (!pull) {
    const details = await ctx.github.getPull(number);
    if (!details) return;
    if (details.state === "closed") {
      if (details.merged) return;
      handled.add(item.number);
      return fail(ctx, item, `the pull request #${number} was closed unmerged`);
    }
    pull = details;
  }
  if (item.execution.checks === "pending") await settleChecks(ctx, item.number, pull);
}
