import type { RunContext } from "../context.js";

/**
 * The scheduled sweep (the Action's `schedule` and `workflow_dispatch` events, the app's
 * timer). Each step reads in bulk and writes only what changes.
 */
export async function runSweep(ctx: RunContext): Promise<void> {
  ctx.report.notes.push("sweep: started");
}
