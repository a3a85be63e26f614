import { isDue } from "../../domain/consensus/index.js";
import type { DashboardVote } from "../../domain/dashboard/model.js";
import type { IssueData } from "../../github/port.js";
import type { RunContext } from "../../runtime/context.js";
import { each } from "../sweep/steps.js";
import { applyOutcome, closeAndApply } from "./outcome.js";
import { openVoteLabel } from "./labels.js";
import { latestVoteIn, openVoteIn } from "./store.js";

/**
 * The sweep's part: closes every vote whose deadline has come. Only issues and pull requests
 * carrying the open-vote label are read (listed 100 a page), one comment list each. A label
 * left behind by a run that stopped half-way is finished or taken off. Like the rest of the
 * sweep it stops above the rate-limit floor and reports the votes it did not reach.
 */
export async function closeDueVotes(ctx: RunContext): Promise<DashboardVote[]> {
  const label = openVoteLabel(ctx).name;
  let seen = 0;
  let closed = 0;
  const stillOpen: DashboardVote[] = [];
  for await (const page of ctx.github.labeledIssuePages(label)) {
    const finished = await each(ctx, page, "closing due votes", async (issue) => {
      seen += 1;
      if (await closeIfDue(ctx, issue, stillOpen)) closed += 1;
    });
    if (!finished) break;
  }
  ctx.report.notes.push(`sweep: ${seen} open vote${seen === 1 ? "" : "s"} checked, ${closed} closed at the deadline`);
  return stillOpen;
}

/** Closes the vote when due; one that stays open is added to `stillOpen` (the dashboard's list). */
async function closeIfDue(ctx: RunContext, issue: IssueData, stillOpen: DashboardVote[]): Promise<boolean> {
  const comments = await ctx.github.listComments(issue.number);
  const open = openVoteIn(comments);
  if (!open) {
    // The vote ended but the run that ended it did not finish: finish it (or drop a stray label).
    const latest = latestVoteIn(comments);
    if (latest) await applyOutcome(ctx, issue, comments, latest.state);
    else await ctx.apply([{ kind: "remove-labels", issue: issue.number, names: [openVoteLabel(ctx).name], why: "no vote is open here" }]);
    return false;
  }
  const now = ctx.clock.now();
  if (!isDue(open.state, now)) {
    stillOpen.push({ issue: issue.number, title: issue.title, deadline: open.state.spec.deadline ?? null, ballots: open.state.ballots.length });
    return false;
  }
  const result = await closeAndApply(ctx, issue, open, comments, { at: now, by: "deadline" });
  if (!result.ok) ctx.report.notes.push(`#${issue.number}: vote not closed: ${result.error.message}`);
  return result.ok;
}
