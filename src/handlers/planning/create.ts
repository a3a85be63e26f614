/**
 * An approved plan becomes work: one issue per item in creation order, attached as a native
 * sub-issue of the epic, made a task in the same run (Orkestra's own writes start no run). Then
 * the epic depends on all of them and the plan comment records them, in one edit. Idempotent: a run that
 * stopped half way is finished by the next one, which first finds what was made already by the
 * sub-issues' `plan-item` markers.
 */
import { finishCreation, readPlanItem, recordCreated, remainingItems, renderSubIssue, type PlanState } from "../../domain/planning/index.js";
import { GitHubError, type CommentData, type IssueData } from "../../github/port.js";
import type { RunContext } from "../../runtime/context.js";
import { loadTask } from "../task-store.js";
import { syncTask } from "../task-sync.js";
import { savePlan } from "./store.js";

/**
 * Attaches a created issue to the epic. GitHub refuses (422) past eight levels of nesting or when
 * the issue has another parent: the issue stays a task the epic depends on, and the plan says so.
 */
async function attach(ctx: RunContext, epic: number, issue: IssueData, key: string): Promise<boolean> {
  try {
    await ctx.perform({ kind: "add-sub-issue", issue: epic, child: { number: issue.number, id: issue.id }, why: `sub-issue of the plan (${key})` });
    return true;
  } catch (error) {
    if (!(error instanceof GitHubError) || error.status !== 422) throw error;
    ctx.log.warn(error.message);
    return false;
  }
}

/** GitHub's limit of sub-issues per parent issue. */
const SUB_ISSUE_LIMIT = 100;

interface Creation {
  state: PlanState;
  comments: CommentData[];
  /** Sub-issues made tasks in this run (new or found), with their status after syncing. */
  tasks: { number: number; status: string }[];
}

/**
 * Creates what is left of an approved plan. `resuming`: the plan was approved by an earlier run,
 * which may have created an issue it did not get to attach or record, so recently updated
 * issues are searched for this plan's markers (one listing since the approval).
 */
export async function createPlanIssues(
  ctx: RunContext,
  epic: IssueData,
  state: PlanState,
  comments: CommentData[],
  resuming: boolean,
): Promise<Creation> {
  let current = state;
  let snapshot = comments;
  const tasks: Creation["tasks"] = [];
  if (ctx.dryRun) {
    for (const item of remainingItems(current)) ctx.skippedInDryRun(`#${epic.number}: would create the sub-issue “${item.title}” (dry run: not created)`);
    return { state: current, comments: snapshot, tasks };
  }
  const attached = await ctx.github.listSubIssues(epic.number);
  const made = new Map<string, IssueData>();
  for (const issue of attached) {
    const marker = readPlanItem(issue.body);
    if (marker?.plan === current.id) made.set(marker.key, issue);
  }
  const loose: IssueData[] = [];
  if (resuming && current.decidedBy) {
    const attachedNumbers = new Set(attached.map((issue) => issue.number));
    for (const issue of await ctx.github.recentlyUpdated(current.decidedBy.at)) {
      const marker = readPlanItem(issue.body);
      if (marker?.plan !== current.id || attachedNumbers.has(issue.number) || made.has(marker.key)) continue;
      made.set(marker.key, issue);
      loose.push(issue);
    }
  }
  let count = attached.length;
  let limitHit = false;
  const unattached: number[] = [];
  const numbers = new Map<string, number>(current.created.map((item) => [item.key, item.number]));
  // The sub-issues read or made in this run: the next ones and the epic depend on them without reading them again.
  const known = new Map<number, IssueData>([...made.values()].map((issue) => [issue.number, issue]));
  for (const item of remainingItems(current)) {
    let issue = made.get(item.key) ?? null;
    if (issue) {
      // Made by a run that stopped: a task now if it was not, attached if it was not.
      const task = await loadTask(ctx, issue);
      const request = task.meta ? undefined : { priority: item.priority, type: item.type, how: `created from the plan of #${epic.number}` };
      const synced = await syncTask(ctx, task, { actor: "orkestra", request, known });
      await ctx.apply(synced.effects);
      tasks.push({ number: issue.number, status: synced.meta.status });
    } else {
      if (count >= SUB_ISSUE_LIMIT) {
        const left = remainingItems(current).length;
        limitHit = true;
        current = {
          ...current,
          stopped: `GitHub allows ${SUB_ISSUE_LIMIT} sub-issues per issue and #${epic.number} has ${count}: ${left} item${left === 1 ? " was" : "s were"} not created`,
        };
        break;
      }
      const rendered = renderSubIssue(current, item, numbers);
      issue = await ctx.perform({
        kind: "create-issue",
        issue: epic.number,
        newIssue: { title: rendered.title, body: rendered.body, labels: [ctx.scheme.task.name] },
        why: `sub-issue “${item.key}” of the approved plan`,
      });
      if (!issue) return { state: current, comments: snapshot, tasks };
      const how = `created from the plan of #${epic.number}`;
      const synced = await syncTask(ctx, { issue, comments: [], meta: null }, { actor: "orkestra", created: true, known, request: { priority: item.priority, type: item.type, how } });
      await ctx.apply(synced.effects);
      tasks.push({ number: issue.number, status: synced.meta.status });
    }
    if (!attached.some((sub) => sub.number === issue.number)) {
      if (await attach(ctx, epic.number, issue, item.key)) count += 1;
      else unattached.push(issue.number);
    }
    numbers.set(item.key, issue.number);
    known.set(issue.number, issue);
    // Recorded in the plan comment once, at the end: a run that stops is resumed from the markers.
    current = recordCreated(current, { key: item.key, number: issue.number, id: issue.id });
  }
  if (loose.length > 0) ctx.report.notes.push(`#${epic.number}: found ${loose.length} sub-issue${loose.length === 1 ? "" : "s"} of the plan made by a run that stopped (${loose.map((issue) => `#${issue.number}`).join(", ")})`);
  if (remainingItems(current).length > 0 && !limitHit) return { state: current, comments: snapshot, tasks };
  // The epic waits for its sub-issues: they become its dependencies (and native "blocked by" links).
  const epicTask = await loadTask(ctx, epic);
  const extraDeps = [...new Set([...(epicTask.meta?.extraDeps ?? []), ...current.created.map((item) => item.number)])];
  const synced = await syncTask(ctx, epicTask, { actor: "orkestra", extraDeps, known, request: { epic: true, how: `the plan's ${current.created.length} sub-issues` } });
  await ctx.apply(synced.effects);
  // At GitHub's limit the plan ends with what could be made, and says so.
  current = limitHit ? { ...current, status: "stopped" } : finishCreation(current);
  if (unattached.length > 0) {
    const which = unattached.map((number) => `#${number}`).join(", ");
    current = {
      ...current,
      stopped: `GitHub refused to attach ${which} as sub-issue${unattached.length === 1 ? "" : "s"} of #${epic.number} (sub-issues nest at most 8 levels, and an issue has one parent); ${unattached.length === 1 ? "it is" : "they are"} still tasks the epic waits for`,
    };
    ctx.report.notes.push(`#${epic.number}: ${current.stopped}`);
  }
  snapshot = await savePlan(ctx, epic.number, snapshot, current, "every sub-issue of the plan created");
  return { state: current, comments: snapshot, tasks };
}
