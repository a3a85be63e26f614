import { isApiError, notFound, validationFailed, type Result } from "../http.js";
import type { IssueRecord } from "../store.js";
import type { OpContext } from "./context.js";
import { invalidField } from "./validate.js";

/** Issue dependencies and sub-issues. Both refer to the other issue by its `id`, not its number. */

const MAX_SUB_ISSUES = 100;
/** GitHub nests sub-issues at most eight levels deep (an issue and seven generations below it). */
const MAX_SUB_ISSUE_LEVELS = 8;

function otherIssue(ctx: OpContext, id: unknown, field: string): Result<IssueRecord> {
  if (typeof id !== "number" || !Number.isInteger(id)) return invalidField("Issue", field);
  const issue = ctx.store.issueById(id);
  return issue && !issue.deleted ? issue : notFound();
}

export function addBlockedBy(ctx: OpContext, issue: IssueRecord, blockingId: unknown): Result<IssueRecord> {
  const blocking = otherIssue(ctx, blockingId, "issue_id");
  if (isApiError(blocking)) return blocking;
  if (blocking.id === issue.id) return invalidField("IssueDependency", "issue_id");
  if (issue.blockedBy.includes(blocking.id)) {
    return validationFailed({ resource: "IssueDependency", code: "already_exists", field: "issue_id" });
  }
  issue.blockedBy.push(blocking.id);
  return issue;
}

export function removeBlockedBy(_ctx: OpContext, issue: IssueRecord, blockingId: number): Result<IssueRecord> {
  if (!issue.blockedBy.includes(blockingId)) return notFound();
  issue.blockedBy = issue.blockedBy.filter((id) => id !== blockingId);
  return issue;
}

export function blockedByOf(ctx: OpContext, issue: IssueRecord): IssueRecord[] {
  return issue.blockedBy.flatMap((id) => ctx.store.issueById(id) ?? []).filter((other) => !other.deleted);
}

export function blockingOf(ctx: OpContext, issue: IssueRecord): IssueRecord[] {
  return ctx.store.liveIssues().filter((other) => other.blockedBy.includes(issue.id));
}

export function addSubIssue(ctx: OpContext, parent: IssueRecord, subIssueId: unknown, replaceParent: boolean): Result<IssueRecord> {
  const sub = otherIssue(ctx, subIssueId, "sub_issue_id");
  if (isApiError(sub)) return sub;
  if (sub.id === parent.id || parent.subIssueIds.includes(sub.id)) return invalidField("SubIssue", "sub_issue_id");
  if (parent.subIssueIds.length >= MAX_SUB_ISSUES) return invalidField("SubIssue", "sub_issue_id");
  if (levelsAbove(ctx, parent) + levelsBelow(ctx, sub) > MAX_SUB_ISSUE_LEVELS) return invalidField("SubIssue", "sub_issue_id");
  if (sub.parentId !== null) {
    if (!replaceParent) return invalidField("SubIssue", "sub_issue_id");
    const previous = ctx.store.issueById(sub.parentId);
    if (previous) previous.subIssueIds = previous.subIssueIds.filter((id) => id !== sub.id);
  }
  sub.parentId = parent.id;
  parent.subIssueIds.push(sub.id);
  return parent;
}

/** The issue and its ancestors, counted. */
function levelsAbove(ctx: OpContext, issue: IssueRecord): number {
  let levels = 1;
  for (let at = issue; at.parentId !== null && levels <= MAX_SUB_ISSUE_LEVELS; levels++) {
    const parent = ctx.store.issueById(at.parentId);
    if (!parent) break;
    at = parent;
  }
  return levels;
}

/** The issue and its deepest line of sub-issues, counted. */
function levelsBelow(ctx: OpContext, issue: IssueRecord, depth = 1): number {
  if (depth > MAX_SUB_ISSUE_LEVELS) return depth;
  const children = issue.subIssueIds.flatMap((id) => ctx.store.issueById(id) ?? []);
  return 1 + Math.max(0, ...children.map((child) => levelsBelow(ctx, child, depth + 1)));
}

export function removeSubIssue(ctx: OpContext, parent: IssueRecord, subIssueId: unknown): Result<IssueRecord> {
  const sub = otherIssue(ctx, subIssueId, "sub_issue_id");
  if (isApiError(sub)) return sub;
  if (!parent.subIssueIds.includes(sub.id)) return notFound();
  parent.subIssueIds = parent.subIssueIds.filter((id) => id !== sub.id);
  sub.parentId = null;
  return parent;
}

export function subIssuesOf(ctx: OpContext, parent: IssueRecord): IssueRecord[] {
  return parent.subIssueIds.flatMap((id) => ctx.store.issueById(id) ?? []).filter((sub) => !sub.deleted);
}
