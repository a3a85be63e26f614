import { GitHubError } from "../../github/port.js";
import { belowFloor } from "../assignment/board.js";
import type { RunContext } from "../../runtime/context.js";

/** An issue-like item (`#12`) or a name (a lock ref). */
type Item = string | { number: number };

const nameOf = (item: Item) => (typeof item === "string" ? item : `#${item.number}`);

/**
 * Runs one sweep step for each item while the rate limit allows; false when it had to stop
 * (and said what it did not reach). A GitHub error on one item is reported and the others
 * still get their turn.
 */
export async function each<T extends Item>(ctx: RunContext, items: readonly T[], what: string, step: (item: T) => Promise<void>): Promise<boolean> {
  for (const [index, item] of items.entries()) {
    if (belowFloor(ctx)) {
      stopped(ctx, what, items.slice(index).map(nameOf));
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

/** Records that the sweep stopped to stay above `sweep.rateLimitFloor`, adding what it did not reach. */
export function stopped(ctx: RunContext, what: string, notReached: string[]): void {
  const remaining = ctx.github.rateLimit()?.remaining ?? 0;
  ctx.report.truncated = {
    reason: `stopped while ${what}: ${remaining} GitHub requests left, floor ${ctx.config.sweep.rateLimitFloor} (sweep.rateLimitFloor); the next run continues`,
    notReached: [...(ctx.report.truncated?.notReached ?? []), ...notReached],
  };
}
