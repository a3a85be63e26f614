import type { TaskRow } from "../../domain/assignment/sweep-plan.js";
import { same } from "../../domain/task/labels.js";
import { HELD } from "../../domain/task/state-machine.js";
import type { IssueData } from "../../github/port.js";
import type { RunContext } from "../../runtime/context.js";

export interface Board {
  rows: TaskRow[];
  /** The issues behind the rows, as listed (fresh for this run). */
  issues: Map<number, IssueData>;
  /** False when reading stopped early to stay above the rate-limit floor. */
  complete: boolean;
}

/**
 * Every open task, read in pages of 100 with their labels — never one request per issue.
 * Stops before a page when the rate limit is down to the configured floor.
 */
export async function readBoard(ctx: RunContext): Promise<Board> {
  const rows: TaskRow[] = [];
  const issues = new Map<number, IssueData>();
  for await (const page of ctx.github.openIssuePages([ctx.scheme.task.name])) {
    for (const issue of page) {
      rows.push(toRow(ctx, issue));
      issues.set(issue.number, issue);
    }
    // A page of fewer than 100 is the last one; before another, mind the rate limit.
    if (page.length === 100 && belowFloor(ctx)) return { rows, issues, complete: false };
  }
  return { rows, issues, complete: true };
}

/**
 * Only the tasks agents hold now (three small lists, one per held status): what `/assign`
 * needs to respect the limits, without reading every open task.
 */
export async function readHeld(ctx: RunContext): Promise<TaskRow[]> {
  // One listing per held status, asked at once: three round trips cost one.
  const byStatus = await Promise.all(
    HELD.map(async (status) => {
      const rows: TaskRow[] = [];
      for await (const page of ctx.github.openIssuePages([ctx.scheme.task.name, ctx.scheme.status(status).name])) {
        rows.push(...page.map((issue) => toRow(ctx, issue)));
      }
      return rows;
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

/** True when fewer requests than the sweep's floor remain in this hour's budget. */
export function belowFloor(ctx: RunContext): boolean {
  const limit = ctx.github.rateLimit();
  return limit !== null && limit.remaining < ctx.config.sweep.rateLimitFloor;
}
