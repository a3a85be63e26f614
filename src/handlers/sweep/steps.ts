import { GitHubError } from "../../github/port.js";
import { requestsLeft, sweepAllowance } from "../assignment/board.js";
import type { RunContext } from "../../runtime/context.js";

/** An issue-like item (`#12`) or a name (a lock ref). */
type Item = string | { number: number };

const nameOf = (item: Item) => (typeof item === "string" ? item : `#${item.number}`);

/**
 * Requests one sweep step may take: a claim with its card, labels, lock and places, or a
 * release with its comment. A step starts only while this many are left, so a sweep ends
 * within its share (an agent's work started by the sweep reads what it needs and may pass it).
 */
const STEP_REQUESTS = 15;

/** Items named in "not reached" per step; the rest are counted (10,000 pending tasks would drown the summary). */
const NAMED = 20;

/**
 * Runs one sweep step for each item while the request budget allows; false when it had to stop
 * (and said what it did not reach). A GitHub error on one item is reported and the others
 * still get their turn.
 */
export async function each<T extends Item>(ctx: RunContext, items: readonly T[], what: string, step: (item: T) => Promise<void>): Promise<boolean> {
  for (const [index, item] of items.entries()) {
    if (requestsLeft(ctx) < STEP_REQUESTS) {
      const rest = items.slice(index).map(nameOf);
      stopped(ctx, what, rest.length > NAMED ? [...rest.slice(0, NAMED), `${rest.length - NAMED} more`] : rest);
      return false;
    }
    try {
      await step(item);
    } catch (error) {
      if (!(error instanceof GitHubError)) throw error;
      ctx.report.errors.push(`${nameOf(item)}: ${what}: ${error.message}`);
    }
  }
  return true;
}

/** Records that the sweep stopped within its request budget, adding what it did not reach. */
export function stopped(ctx: RunContext, what: string, notReached: string[]): void {
  const limit = ctx.github.rateLimit();
  const { requestShare, rateLimitFloor } = ctx.config.sweep;
  const allowance = sweepAllowance(ctx);
  const why =
    limit && allowance !== null && limit.remaining - rateLimitFloor <= allowance - ctx.github.requestCount()
      ? `${limit.remaining} GitHub requests left this hour, floor ${rateLimitFloor} (sweep.rateLimitFloor)`
      : `${ctx.github.requestCount()} requests made of the ${allowance ?? "?"} a sweep may make (sweep.requestShare: ${requestShare} of ${limit?.limit ?? "?"} an hour)`;
  ctx.report.truncated = {
    // The first stop says why; later steps only add what they did not reach.
    reason: ctx.report.truncated?.reason ?? `stopped while ${what}: ${why}; the next sweep continues`,
    notReached: [...(ctx.report.truncated?.notReached ?? []), ...notReached],
  };
}
