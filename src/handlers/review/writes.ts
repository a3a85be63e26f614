import type { RunContext } from "../context.js";

/**
 * Performs one write the shared effect list has no kind for (PR reviews and check runs) the way
 * `ctx.apply` performs effects: one line `#N: what — why` in the run report and the log, and
 * nothing written in a dry run (the result is then null).
 */
export async function write<T>(ctx: RunContext, pr: number, what: string, why: string, perform: () => Promise<T>): Promise<T | null> {
  const line = `#${pr}: ${what} — ${why}`;
  const result = ctx.dryRun ? null : await perform();
  ctx.log.info(ctx.dryRun ? `[dry-run] ${line}` : line);
  ctx.report.actions.push(line);
  return result;
}
