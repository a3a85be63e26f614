/**
 * What a plan's sub-issue says about itself, trusted only in issues Orkestra wrote: anyone can
 * paste an `orkestra:plan-item` marker into an issue of their own.
 */
import { readPlanItem } from "../../domain/planning/index.js";
import type { IssueData } from "../../github/port.js";
import type { RunContext } from "../../runtime/context.js";

export async function planItemOf(ctx: RunContext, issue: Pick<IssueData, "body" | "author">): Promise<ReturnType<typeof readPlanItem>> {
  const item = readPlanItem(issue.body);
  if (!item || issue.author.login !== (await ctx.github.login())) return null;
  return item;
}
