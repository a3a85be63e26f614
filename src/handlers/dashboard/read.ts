import type { DashboardModel, DashboardPlan, DashboardVote } from "../../domain/dashboard/model.js";
import { same } from "../../domain/task/labels.js";
import type { RunContext } from "../../runtime/context.js";
import { readBoard } from "../assignment/board.js";
import { repoPause } from "../pause.js";
import { planIn } from "../planning/store.js";
import { openVoteLabel } from "../votes/labels.js";
import { openVoteIn } from "../votes/store.js";
import { dashboardModel } from "./model.js";

/**
 * The board read afresh, for `orkestra status` (the sweep builds the same model from what it read
 * on its way): every page of open tasks, the open pull requests, each open vote's and plan's comments.
 * Reads only.
 */
export async function readDashboardModel(ctx: RunContext): Promise<DashboardModel> {
  const board = await readBoard(ctx, 1, () => true);
  const issues = [...board.issues.values()].filter((issue) => issue.state === "open");
  const votes: DashboardVote[] = [];
  for await (const page of ctx.github.labeledIssuePages(openVoteLabel(ctx).name)) {
    for (const issue of page) {
      const open = openVoteIn(await ctx.github.listComments(issue.number));
      if (open) votes.push({ issue: issue.number, title: issue.title, deadline: open.state.spec.deadline ?? null, ballots: open.state.ballots.length });
    }
  }
  const plans: DashboardPlan[] = [];
  for (const issue of issues.filter((item) => item.labels.some((label) => same(label, ctx.config.planning.label)))) {
    const plan = planIn(await ctx.github.listComments(issue.number));
    plans.push({ issue: issue.number, title: issue.title, status: plan?.state.status ?? "open" });
  }
  return dashboardModel(ctx, {
    issues,
    openTasks: issues.length,
    pulls: await ctx.github.recentOpenPulls(),
    votes,
    plans,
    pause: await repoPause(ctx.github, ctx.report),
    coverage: null,
  });
}
