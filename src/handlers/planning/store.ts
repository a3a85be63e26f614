/**
 * The plan comment: one per epic, found by its marker and Orkestra's own login, edited in place.
 * It holds the plan's whole state (`PlanState`), so any run — an event, a sweep, a replica —
 * continues a plan where another stopped.
 */
import { PLAN_KIND, readPlanState, renderPlanComment, type PlanState } from "../../domain/planning/index.js";
import type { LabelSpec } from "../../domain/task/labels.js";
import type { CommentData } from "../../github/port.js";
import type { RunContext } from "../../runtime/context.js";
import { autonomyFor } from "../autonomy.js";
import { botComments, upsertSticky } from "../sticky.js";
import { cardIn } from "../task-store.js";

/** The plan comment on an epic and its state; null when there is none (or it cannot be read). */
interface StoredPlan {
  comment: CommentData;
  state: PlanState;
}

/** Statuses in which a plan is still open: it holds the epic's planning label. */
export const OPEN_STATUSES: ReadonlySet<PlanState["status"]> = new Set(["deliberating", "proposed", "approved"]);

export function planIn(comments: readonly CommentData[]): StoredPlan | null {
  for (const comment of botComments(comments, PLAN_KIND)) {
    const state = readPlanState(comment.body);
    if (state) return { comment, state };
  }
  return null;
}

export function planningLabel(ctx: RunContext): LabelSpec {
  return { name: ctx.config.planning.label, color: "5319e7", description: "Orkestra is planning this epic into sub-issues" };
}

/**
 * Writes the plan comment for `state` (creates it, or edits the one there) and returns the
 * comments as they now are, so the next write edits the same comment. A dry run writes nothing
 * and keeps the snapshot.
 */
export async function savePlan(ctx: RunContext, epic: number, comments: CommentData[], state: PlanState, why: string): Promise<CommentData[]> {
  const autonomy = autonomyFor(ctx, cardIn(comments));
  const body = renderPlanComment(state, { autonomy, now: ctx.clock.now() });
  const effects = upsertSticky(epic, comments, PLAN_KIND, body, why);
  if (effects.length === 0) return comments;
  const mine = botComments(comments, PLAN_KIND)[0];
  let next = comments.filter((comment) => !effects.some((effect) => effect.kind === "delete-comment" && effect.commentId === comment.id));
  for (const effect of effects) {
    if (effect.kind === "create-comment") {
      const created = await ctx.perform(effect);
      if (created) next = [...next, created];
    } else if (effect.kind === "update-comment" && mine) {
      await ctx.perform(effect);
      next = next.map((comment) => (comment.id === mine.id ? { ...comment, body } : comment));
    } else {
      await ctx.perform(effect);
    }
  }
  return next;
}
