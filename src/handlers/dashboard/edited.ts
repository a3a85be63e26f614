import { tickedActions, untickAll } from "../../domain/dashboard/checkboxes.js";
import type { DashboardAction } from "../../domain/dashboard/model.js";
import { isDashboardBody, withPause } from "../../domain/dashboard/render.js";
import { renderMarker } from "../../domain/markers.js";
import { sentence } from "../../domain/markdown.js";
import type { IssueData } from "../../github/port.js";
import type { RunContext } from "../../runtime/context.js";
import { runCommand } from "../comments.js";
import { repoPause } from "../pause.js";
import { meets } from "../permissions.js";
import type { CommandContext } from "../commands/types.js";
import { issueFromPayload, type IssuesEvent } from "../payloads.js";
import { runSweep } from "../sweep/index.js";

/** What ticking a box asks for: the command a person could have commented instead (same checks, same permission). */
const COMMAND_OF: Record<Exclude<DashboardAction["kind"], "sweep">, { name: string; args: string }> = {
  pause: { name: "pause", args: "" },
  resume: { name: "resume", args: "" },
  retry: { name: "status", args: "pending" },
};

/** Running the sweep from the dashboard needs what changing tasks needs. */
const SWEEP_PERMISSION = "write";

/**
 * A person edited the dashboard issue (docs/dashboard.md#acting-from-the-dashboard): each box
 * newly ticked is the command a person could have commented — `/pause`, `/resume`, `/status
 * pending` on the escalated task — run as them, with the same checks and permission; "run the
 * sweep now" needs write permission. The boxes are unticked, and one reply says what happened.
 * Only the dashboard Orkestra wrote counts (its marker, authored by Orkestra's login).
 */
export async function onDashboardEdited(ctx: RunContext, event: IssuesEvent): Promise<boolean> {
  const before = typeof event.changes?.body?.from === "string" ? event.changes.body.from : null;
  if (event.action !== "edited" || before === null || !isDashboardBody(event.issue.body)) return false;
  const issue = issueFromPayload(event.issue);
  if (issue.author.login !== (await ctx.github.login())) return false;
  const actions = tickedActions(before, issue.body);
  if (actions.length === 0) {
    ctx.report.notes.push(`#${issue.number}: dashboard edited by @${event.sender.login}, no box newly ticked`);
    return true;
  }
  const person = event.sender.login;
  const lines: string[] = [];
  let allOk = true;
  // Pause and resume first, the sweep last: it sees what the other boxes did.
  const order = (action: DashboardAction) => (action.kind === "sweep" ? 2 : action.kind === "retry" ? 1 : 0);
  for (const action of [...actions].sort((a, b) => order(a) - order(b))) {
    const done = await act(ctx, issue, person, action);
    allOk &&= done.ok;
    lines.push(`${done.ok ? "✅" : "😕"} ${label(action)}: ${sentence(done.text)}`);
  }
  const why = `@${person} ticked ${actions.length === 1 ? "a box" : `${actions.length} boxes`} on the dashboard`;
  const reply = [renderMarker("dashboard-reply", { by: person }), `@${person} ${allOk ? "" : "— not everything was done: "}`.trimEnd(), "", ...lines].join("\n");
  // The boxes cleared, and the pause as it stands now (the board itself waits for the next sweep).
  const body = withPause(untickAll(issue.body), await repoPause(ctx.github, ctx.report));
  await ctx.apply([
    { kind: "update-issue-body", issue: issue.number, body, why: `${why}: the boxes are cleared` },
    { kind: "create-comment", issue: issue.number, body: reply, why },
  ]);
  return true;
}

async function act(ctx: RunContext, dashboard: IssueData, person: string, action: DashboardAction): Promise<{ ok: boolean; text: string }> {
  if (action.kind === "sweep") {
    const has = await ctx.permissionOf(person);
    if (!meets(has, SWEEP_PERMISSION)) return { ok: false, text: `needs \`${SWEEP_PERMISSION}\` permission on this repository (has \`${has}\`)` };
    await runSweep(ctx);
    return { ok: true, text: `the sweep ran (${ctx.report.sweepCoverage ? `${ctx.report.sweepCoverage.tasks} open tasks read` : "paused or nothing to read"})` };
  }
  const target = action.kind === "retry" ? await ctx.github.getIssue(action.issue) : dashboard;
  if (!target) return { ok: false, text: `#${action.kind === "retry" ? action.issue : dashboard.number} does not exist` };
  const command = { ...COMMAND_OF[action.kind], block: [], line: 0 };
  const commandCtx: CommandContext = { ...ctx, issue: target, author: person, comment: boxComment(person, ctx.clock.now().toISOString()) };
  const outcome = await runCommand(commandCtx, command, undefined);
  return outcome.ok ? { ok: true, text: outcome.reply ?? "done" } : { ok: false, text: outcome.reason };
}

/** The tick stands in for a comment (an empty one, id 0): no command run from a box reads its comment. */
function boxComment(person: string, at: string): CommandContext["comment"] {
  return { id: 0, body: "", author: { login: person, type: "User" }, byOrkestra: false, createdAt: at, updatedAt: at };
}

function label(action: DashboardAction): string {
  switch (action.kind) {
    case "sweep":
      return "Run the sweep now";
    case "pause":
      return "Pause Orkestra";
    case "resume":
      return "Resume Orkestra";
    case "retry":
      return `Retry #${action.issue}`;
  }
}
