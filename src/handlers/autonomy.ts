/**
 * Autonomy levels (`autonomy:` in the configuration, `/autonomy` for one task): how far agents go
 * on their own. `full` lets agents' pull requests merge themselves once the review policy passes,
 * `supervised` is people approving plans and merging, `manual` makes agents only recommend.
 */
import type { TaskMeta } from "../domain/task/card.js";
import type { Autonomy } from "../domain/task/model.js";
import type { RunContext } from "../runtime/context.js";

/** The task's own level (set with `/autonomy`), else the repository's `autonomy`. */
export function autonomyFor(ctx: RunContext, meta: TaskMeta | null): Autonomy {
  return meta?.autonomy ?? ctx.config.autonomy;
}
