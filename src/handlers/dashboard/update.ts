import { cachedAgents, DASHBOARD_TITLE, dashboardDigest, isDashboardBody, renderDashboard, withPause } from "../../domain/dashboard/render.js";
import { GitHubError, type IssueData } from "../../github/port.js";
import type { Pause } from "../pause.js";
import type { RunContext } from "../../runtime/context.js";
import { dashboardModel, type BoardSnapshot } from "./model.js";

/**
 * The dashboard issue (docs/dashboard.md). Which issue it is lives in a ref's name,
 * `refs/orkestra/dashboard/<number>`, so the sweep's listing of Orkestra's refs finds it for free;
 * the ref points at the decision ledger's head as it was when the board was last drawn. Every run
 * that writes moves the ledger, so a dashboard ref behind the ledger's head is a board that may
 * have changed. The sweep rewrites the body only when it did, and pays for nothing when it did not:
 * - nothing changed (the ref at the ledger's head, no issue updated since the last sweep, nothing
 *   written by this one, every page read): no request at all;
 * - something did, and the dashboard is among the issues updated lately (the sweep that last wrote
 *   it is recent): its body came with that listing, and the new body is written only when its
 *   digest differs;
 * - otherwise the new body is written (one request) — reading it first would cost the same.
 * Then the ref follows the ledger's head: in the request that appends this run's entries (GraphQL
 * `updateRefs`), or in one of its own when the run appended nothing. Rendering reads the day's
 * usage record (agents' spending and health) unless the run has it.
 */
const DASHBOARD_PREFIX = "orkestra/dashboard/";

/** The dashboard's number, its ref, and the ledger head the board it shows was drawn at. */
export function dashboardIn(refs: readonly { ref: string; sha: string }[]): { number: number; ref: string; sha: string } | null {
  for (const { ref, sha } of refs) {
    const number = Number(ref.slice(DASHBOARD_PREFIX.length));
    if (ref.startsWith(DASHBOARD_PREFIX) && Number.isInteger(number) && number > 0) return { number, ref, sha };
  }
  return null;
}

interface DashboardUpdate {
  board: BoardSnapshot;
  refs: readonly { ref: string; sha: string }[];
  /** Issues updated since the last sweep, as the sweep listed them (the dashboard may be one). */
  recent: readonly IssueData[];
  /** Whether anything the dashboard shows may have changed since the last sweep. */
  changed: boolean;
}

export async function updateDashboard(ctx: RunContext, update: DashboardUpdate): Promise<void> {
  if (!ctx.config.dashboard.enabled) return;
  const found = dashboardIn(update.refs);
  if (found) ctx.report.dashboard = found.number;
  if (found && !update.changed) {
    ctx.report.notes.push(`dashboard #${found.number}: the board did not change`);
    return;
  }
  // The agents' section comes from the day's usage record: when it has not moved since the last
  // drawing (its ref is in the listing) and this run called no agent, its rows are kept, no read.
  const usage = update.refs.find(({ ref }) => ref === `orkestra/usage/${ctx.clock.now().toISOString().slice(0, 10)}`)?.sha ?? null;
  const known = found ? update.recent.find((issue) => issue.number === found.number) : undefined;
  const cached = known && ctx.agents.usage().run.total.calls === 0 ? cachedAgents(known.body, usage) : null;
  const model = await dashboardModel(ctx, update.board, cached);
  ctx.report.board = model;
  const body = renderDashboard(model, { actions: true, agentsFrom: usage });
  if (!found) return createDashboard(ctx, body);
  if (known && dashboardDigest(known.body) === dashboardDigest(body)) {
    ctx.report.notes.push(`dashboard #${found.number}: the board did not change`);
  } else {
    try {
      await ctx.apply([{ kind: "update-issue-body", issue: found.number, body, why: "the board changed" }]);
    } catch (error) {
      // Deleted by a person (or transferred): forget it; the next sweep opens a new one.
      if (!(error instanceof GitHubError) || (error.status !== 404 && error.status !== 410)) throw error;
      await ctx.apply([{ kind: "delete-ref", ref: found.ref, why: `dashboard #${found.number} is gone` }]);
      delete ctx.report.dashboard;
      return;
    }
  }
  ctx.ledger.follow(found.ref, found.sha);
}

/**
 * Opens the dashboard and pins it where GitHub lets it (three pinned issues at most; best effort);
 * its ref is made with the run's ledger append (opening it is an entry).
 */
async function createDashboard(ctx: RunContext, body: string): Promise<void> {
  const issue = await ctx.perform({ kind: "create-issue", newIssue: { title: DASHBOARD_TITLE, body }, why: "the dashboard's first sweep" });
  if (!issue) return;
  ctx.report.dashboard = issue.number;
  ctx.ledger.follow(`${DASHBOARD_PREFIX}${issue.number}`, null);
  if (issue.nodeId) await ctx.apply([{ kind: "pin-issue", issue: issue.number, nodeId: issue.nodeId, why: "the dashboard stays at the top of the issues", bestEffort: true }]);
}

/**
 * While Orkestra is paused the sweep reads nothing, but the dashboard still says so and offers
 * "Resume": one read of the dashboard, and one write the first time (withPause).
 */
export async function showPause(ctx: RunContext, refs: readonly { ref: string; sha: string }[], pause: Pause): Promise<void> {
  const found = ctx.config.dashboard.enabled ? dashboardIn(refs) : null;
  const issue = found ? await ctx.github.getIssue(found.number) : null;
  if (!issue || !isDashboardBody(issue.body)) return;
  const body = withPause(issue.body, pause);
  if (dashboardDigest(body) === dashboardDigest(issue.body)) return;
  await ctx.apply([{ kind: "update-issue-body", issue: issue.number, body, why: "Orkestra is paused" }]);
}
