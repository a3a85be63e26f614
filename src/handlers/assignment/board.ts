import type { TaskRow } from "../../domain/assignment/sweep-plan.js";
import { same } from "../../domain/task/labels.js";
import { HELD } from "../../domain/task/state-machine.js";
import type { IssueData } from "../../github/port.js";
import type { RunContext, SweepCoverage } from "../../runtime/context.js";

export interface Board {
  rows: TaskRow[];
  /** The issues behind the rows, as listed (fresh for this run). */
  issues: Map<number, IssueData>;
  /** False when the request budget ran out before every page was read. */
  complete: boolean;
  /** Which pages were read. */
  coverage: BoardCoverage;
}

/** Which pages a sweep read (the rest of the report's coverage is the sweep's). */
export type BoardCoverage = Pick<SweepCoverage, "fromPage" | "pagesRead" | "totalPages" | "nextPage">;

/**
 * The open tasks, read in pages of 100 with their labels — never one request per issue —
 * from `fromPage` to the end and on from page 1, round, while `mayRead()` says the request
 * budget allows another page. Issues closed meanwhile shift later ones to earlier pages, so a
 * pass that continues from a saved page can miss a few: the next pass reads them.
 */
export async function readBoard(ctx: RunContext, fromPage: number, mayRead: () => boolean): Promise<Board> {
  const rows = new Map<number, TaskRow>();
  const issues = new Map<number, IssueData>();
  let pagesRead = 0;
  let totalPages = fromPage;
  // Read pages [start, end) (end null: to the last), false when the budget stopped it at `next`.
  const read = async (start: number, end: number | null): Promise<{ done: true } | { done: false; next: number }> => {
    if (!mayRead()) return { done: false, next: start };
    for await (const page of ctx.github.openIssuePages([ctx.scheme.task.name], start)) {
      totalPages = page.lastPage;
      if (page.page <= page.lastPage) pagesRead += 1;
      for (const issue of page.issues) {
        rows.set(issue.number, toRow(ctx, issue));
        issues.set(issue.number, issue);
      }
      const next = page.page + 1;
      if (!page.full || (end !== null && next >= end)) return { done: true };
      if (!mayRead()) return { done: false, next };
    }
    return { done: true };
  };
  let stop = await read(fromPage, null);
  // Started past page 1 (the last sweep stopped there): go round to what this pass has not read.
  if (stop.done && fromPage > 1) stop = await read(1, Math.min(fromPage, totalPages + 1));
  const nextPage = stop.done ? null : stop.next;
  return {
    rows: [...rows.values()],
    issues,
    complete: nextPage === null,
    coverage: { fromPage, pagesRead, totalPages, nextPage },
  };
}

/**
 * Only the tasks agents hold now (three small lists, one per held status): what `/assign`
 * needs to respect the limits, without reading every open task.
 */
export async function readHeld(ctx: RunContext): Promise<TaskRow[]> {
  return (await heldIssues(ctx)).map((issue) => toRow(ctx, issue));
}

export async function heldIssues(ctx: RunContext): Promise<IssueData[]> {
  // One listing per held status, asked at once: three round trips cost one.
  const byStatus = await Promise.all(
    HELD.map(async (status) => {
      const issues: IssueData[] = [];
      for await (const page of ctx.github.openIssuePages([ctx.scheme.task.name, ctx.scheme.status(status).name])) issues.push(...page.issues);
      return issues;
    }),
  );
  return byStatus.flat();
}

export function toRow(ctx: RunContext, issue: IssueData): TaskRow {
  const { scheme, config } = ctx;
  return {
    number: issue.number,
    status: scheme.statusesIn(issue.labels)[0] ?? null,
    agent: scheme.agentsIn(issue.labels)[0] ?? null,
    priority: scheme.prioritiesIn(issue.labels)[0] ?? config.tasks.defaultPriority,
    type: scheme.typesIn(issue.labels)[0] ?? config.tasks.defaultType,
    labels: issue.labels,
    escalated: issue.labels.some((label) => same(label, scheme.escalated.name)),
    createdAt: issue.createdAt,
    updatedAt: issue.updatedAt,
  };
}

/** What the end of every run may cost, kept back from a sweep's steps: the decision ledger's append (ledger.md). */
const LEDGER_APPEND_REQUESTS = 2;

/**
 * Requests a sweep may still make: its share of the token's hourly budget
 * (`sweep.requestShare`) less what this run has spent and what its ledger append will, and never
 * below the floor GitHub's remaining count must keep (`sweep.rateLimitFloor`, for the other
 * workflows and events).
 */
export function requestsLeft(ctx: RunContext): number {
  const limit = ctx.github.rateLimit();
  const allowance = sweepAllowance(ctx);
  if (limit === null || allowance === null) return Infinity;
  return Math.min(allowance - ctx.github.requestCount(), limit.remaining - ctx.config.sweep.rateLimitFloor) - LEDGER_APPEND_REQUESTS;
}

/** The most requests a sweep may make (its share of the token's hourly limit), or null before GitHub said the limit. */
export function sweepAllowance(ctx: RunContext): number | null {
  const limit = ctx.github.rateLimit();
  return limit === null ? null : Math.floor(ctx.config.sweep.requestShare * limit.limit);
}
