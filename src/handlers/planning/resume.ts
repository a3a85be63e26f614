/**
 * Plans left open by a run that stopped — still deliberating, or approved with sub-issues still
 * to create — are continued by the sweep and by any event on the epic. Epics with an open plan
 * carry `planning.label`, so both find them from labels they already have, without a request.
 * Events on the epic are ordered with its other events (the app's per-issue queue, the workflow's
 * per-issue concurrency group); the sweep is not, so it takes over only a plan that has been
 * quiet longer than a run may take.
 */
import { same } from "../../domain/task/labels.js";
import type { IssueData } from "../../github/port.js";
import type { DashboardPlan } from "../../domain/dashboard/model.js";
import type { RunContext } from "../../runtime/context.js";
import type { Board } from "../assignment/board.js";
import { RUN_TIME_LIMIT_MS } from "../run-limit.js";
import { each } from "../sweep/steps.js";
import { cardIn } from "../task-store.js";
import { advancePlan, hasPlanningLabel } from "./advance.js";
import { OPEN_STATUSES, planIn } from "./store.js";

/** Open plans one sweep continues at most (each may ask its planners a round or create its sub-issues). */
const PLANS_PER_SWEEP = 10;

/** The sweep's part: every epic on the board with the planning label, within the request budget; the open plans, for the dashboard. */
export async function resumePlans(ctx: RunContext, board: Board): Promise<DashboardPlan[]> {
  const epics = board.rows.filter((row) => row.labels.some((label) => same(label, ctx.config.planning.label)));
  const plans = epics.map((row) => ({ issue: row.number, title: board.issues.get(row.number)?.title ?? "", status: "open" }));
  await each(ctx, epics.slice(0, PLANS_PER_SWEEP), "continuing open plans", async (row) => {
    const issue = board.issues.get(row.number);
    const status = issue ? await resumePlan(ctx, issue, { quietFor: RUN_TIME_LIMIT_MS }) : null;
    const plan = plans.find((item) => item.issue === row.number);
    if (plan && status) plan.status = status;
  });
  return plans;
}

/**
 * Continues the epic's plan when it has one open: waiting for people (`proposed` under
 * `supervised` or `manual`) changes nothing. A label left on an epic whose plan is closed is taken off.
 */
export async function resumePlan(ctx: RunContext, issue: IssueData, options: { quietFor?: number } = {}): Promise<string | null> {
  if (issue.state !== "open" || !hasPlanningLabel(ctx, issue)) return null;
  const comments = await ctx.github.listComments(issue.number);
  // A paused epic stays as it is; `/resume` lets its plan go on.
  if (cardIn(comments)?.paused) return "paused";
  const plan = planIn(comments);
  if (plan && OPEN_STATUSES.has(plan.state.status)) {
    // The sweep runs beside the epic's own events (another concurrency group, no per-issue order):
    // a plan whose comment moved within a run's time limit may still be in another run's hands.
    const age = ctx.clock.now().getTime() - Date.parse(plan.comment.updatedAt);
    if (options.quietFor !== undefined && plan.state.status !== "proposed" && age < options.quietFor) {
      ctx.report.notes.push(`#${issue.number}: plan ${plan.state.status}, its comment changed ${Math.round(age / 60_000)} min ago: left to the run that may be at work on it`);
      return plan.state.status;
    }
    await advancePlan(ctx, issue, plan.state, comments, { resuming: true, labelled: true });
    return plan.state.status;
  }
  await ctx.apply([{ kind: "remove-labels", issue: issue.number, names: [ctx.config.planning.label], why: "no open plan on this epic" }]);
  return null;
}
