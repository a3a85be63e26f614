import { isDashboardBody } from "../domain/dashboard/render.js";
import { CARD_KIND, parseCard, renderCard, type TaskMeta } from "../domain/task/card.js";
import { isTaskForm } from "../domain/task/form.js";
import type { CommentData, IssueData } from "../github/port.js";
import type { RunContext } from "../runtime/context.js";
import type { Effect } from "../runtime/effects.js";
import { botComments, upsertSticky } from "./sticky.js";

/** A task as stored in GitHub: the issue, its comments, and the card Orkestra keeps there. */
export interface StoredTask {
  issue: IssueData;
  comments: CommentData[];
  /** Metadata of the card (the oldest valid one), or null for an issue that has none yet. */
  meta: TaskMeta | null;
}

/** Reads an issue's comments and finds its card; `issue` should be fresh. */
export async function loadTask(ctx: RunContext, issue: IssueData): Promise<StoredTask> {
  const comments = await ctx.github.listComments(issue.number);
  return { issue, comments, meta: cardIn(comments) };
}

/** The metadata of the task card among an issue's comments (the oldest valid one), if any. */
export function cardIn(comments: readonly CommentData[]): TaskMeta | null {
  return botComments(comments, CARD_KIND).map((comment) => parseCard(comment.body)).find((meta) => meta !== null) ?? null;
}

/** Whether an issue should be (or already is) an Orkestra task under this config. */
export function qualifiesAsTask(ctx: RunContext, task: StoredTask): boolean {
  if (task.issue.isPullRequest || isDashboardBody(task.issue.body)) return false;
  if (task.meta) return true;
  if (ctx.scheme.hasTaskLabel(task.issue.labels)) return true;
  switch (ctx.config.tasks.from) {
    case "all":
      return true;
    case "label":
      return false;
    case "form":
      return isTaskForm(task.issue.body);
  }
}

export function cardEffects(task: StoredTask, meta: TaskMeta, why: string): Effect[] {
  return upsertSticky(task.issue.number, task.comments, CARD_KIND, renderCard(meta), why);
}
