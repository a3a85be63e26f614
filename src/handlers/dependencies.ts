import type { Status } from "../domain/task/model.js";
import type { IssueData } from "../github/port.js";
import type { RunContext, RunReport } from "../runtime/context.js";
import { toRow, type Board } from "./assignment/board.js";
import { mayBeTask } from "./heal.js";
import { taskPausedNote } from "./pause.js";
import type { IssueDependenciesEvent } from "./payloads.js";
import { each } from "./sweep/steps.js";
import { loadTask } from "./task-store.js";
import { syncTask, taskAfter } from "./task-sync.js";

/**
 * A person's "Blocked by" in the issue sidebar (GitHub's native dependencies): the blocked task is
 * synced like after any change of its dependencies (task-sync.ts counts a person's links with the
 * body's). The issue's body is never edited for it.
 */

const BLOCKED_BY_ACTIONS = new Set(["blocked_by_added", "blocked_by_removed"]);
/** Statuses in which work goes on: an open blocker makes them `blocked`. */
const ACTIVE: readonly (Status | null)[] = ["pending", "assigned", "in-progress", "review"];

function same(a: string | undefined, b: string): boolean {
  return a?.toLowerCase() === b.toLowerCase();
}

/**
 * Whether an `issue_dependencies` event needs Orkestra, decided without any request. One relation
 * comes as two events, each to its issue's repository: `blocked_by_*` for the blocked issue and
 * `blocking_*` for the blocking one. Only the blocked side changes a task, so only `blocked_by_*`
 * is handled (once, whichever sidebar the person used).
 */
export function wantsDependencyEvent(event: IssueDependenciesEvent, report: RunReport): boolean {
  const { action, blocked_issue: blocked, blocking_issue: blocking, repository } = event;
  const what = `\`issue_dependencies.${action}\``;
  if (!BLOCKED_BY_ACTIONS.has(action)) {
    const elsewhere = event.blocked_issue_repo && !same(event.blocked_issue_repo.full_name, repository.full_name);
    report.notes.push(
      elsewhere
        ? `${what}: the blocked issue is ${event.blocked_issue_repo!.full_name}#${blocked.number}, not a task of this repository`
        : `${what}: #${blocked.number} is brought in line by the \`blocked_by\` event of the same change`,
    );
    return false;
  }
  if (event.blocking_issue_repo && !same(event.blocking_issue_repo.full_name, repository.full_name)) {
    report.notes.push(`${what}: #${blocked.number} and ${event.blocking_issue_repo.full_name}#${blocking.number}: issues of other repositories are not dependencies Orkestra tracks`);
    return false;
  }
  if (blocked.pull_request || blocked.state !== "open" || !mayBeTask(blocked)) {
    report.notes.push(`${what}: #${blocked.number} is not an open task; the relation changes nothing`);
    return false;
  }
  return true;
}

/** `issue_dependencies.blocked_by_added` / `blocked_by_removed`: the blocked task follows its new blockers. */
export async function onDependencyEvent(ctx: RunContext, event: IssueDependenciesEvent): Promise<void> {
  const number = event.blocked_issue.number;
  const what = `\`issue_dependencies.${event.action}\` (#${event.blocking_issue.number})`;
  // Read afresh: a late delivery's labels may be old, and the relation may have changed again since.
  const issue = await ctx.github.getIssue(number);
  if (!issue || issue.state !== "open") {
    ctx.report.notes.push(`#${number}: ${what}: the issue is no longer open; nothing to do`);
    return;
  }
  const task = await loadTask(ctx, issue);
  if (!task.meta) {
    ctx.report.notes.push(`#${number}: ${what}: not a task; a relation does not make one`);
    return;
  }
  if (task.meta.paused) return taskPausedNote(ctx, number, task.meta.paused, what);
  const result = await syncTask(ctx, task, { actor: event.sender.login, linksChanged: true });
  if (result.effects.length === 0) ctx.report.notes.push(`#${number}: ${what}: the task is in line already`);
  await ctx.apply(result.effects);
}

/**
 * The sweep's look at GitHub's blocker counts on the listed tasks (no request): a task that goes on
 * with an open blocker, or stays `blocked` with none, may have had a relation changed where no event
 * reached Orkestra (the Action door: no workflow starts on `issue_dependencies`). Those are synced,
 * and their rows follow, so a task released from its last blocker can be assigned in the same sweep.
 * A task blocked by hand costs each sweep one read (its card says so, the listing does not).
 */
export async function syncChangedRelations(ctx: RunContext, board: Board): Promise<boolean> {
  const drifted = board.rows.filter((row) => {
    const blockers = board.issues.get(row.number)?.blockers;
    if (!blockers) return false;
    return ACTIVE.includes(row.status) ? blockers.open > 0 : row.status === "blocked" && blockers.open === 0;
  });
  return each(ctx, drifted, "bringing in line tasks whose blockers changed", async (row) => {
    const task = await loadTask(ctx, board.issues.get(row.number)!);
    if (!task.meta || task.meta.paused) return;
    // The listing's count is fresh: the sync reads the blockers only when there are any.
    const result = await syncTask(ctx, task, { actor: "orkestra" });
    await ctx.apply(result.effects);
    const after: IssueData = taskAfter(task, result.effects, result.meta).issue;
    board.issues.set(row.number, after);
    board.rows[board.rows.indexOf(row)] = toRow(ctx, after);
  });
}
