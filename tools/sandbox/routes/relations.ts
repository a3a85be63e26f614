import { isApiError, json, notFound } from "../http.js";
import { addBlockedBy, addSubIssue, blockedByOf, blockingOf, removeBlockedBy, removeSubIssue, subIssuesOf } from "../ops/relations.js";
import { NEEDS } from "../permissions.js";
import type { Route, RouteContext } from "../router.js";
import { issueEventShape, issueShape } from "../shapes/issues.js";
import { repositoryShape } from "../shapes/repo.js";
import type { IssueRecord } from "../store.js";
import { intParam, objectBody, respond, withIssue } from "./respond.js";

/**
 * Issue events, dependencies (blocked by / blocking) and sub-issues. The other issue is named by
 * its `id` (issue_id, sub_issue_id), never by its number. Mutations answer with the issue of the path.
 */
const base = "/repos/{owner}/{repo}/issues/{issue_number}";

/**
 * A dependency added or removed is told to each side's repository, as GitHub does:
 * `issue_dependencies.blocked_by_*` for the blocked issue, `blocking_*` for the blocking one
 * (both here, so both are sent), each naming the other side's repository; the sender is who did it.
 */
function announceDependency(ctx: RouteContext, change: "added" | "removed", blocked: IssueRecord, blockingId: number): void {
  const blocking = ctx.store.issueById(blockingId);
  if (!blocking) return;
  const repo = repositoryShape(ctx.shapes);
  const issues = {
    blocked_issue_id: blocked.id,
    blocked_issue: issueShape(ctx.shapes, blocked),
    blocking_issue_id: blocking.id,
    blocking_issue: issueShape(ctx.shapes, blocking),
  };
  ctx.op.emit("issue_dependencies", `blocked_by_${change}`, { ...issues, blocking_issue_repo: repo });
  ctx.op.emit("issue_dependencies", `blocking_${change}`, { ...issues, blocked_issue_repo: repo });
}

export const relationRoutes: Route[] = [
  {
    method: "GET",
    path: `${base}/events`,
    need: NEEDS.readIssues,
    handler: (ctx) =>
      withIssue(ctx, (issue) =>
        ctx.page(
          ctx.store.issueEvents.filter((event) => event.issueNumber === issue.number),
          (event) => issueEventShape(ctx.shapes, event),
        ),
      ),
  },
  {
    method: "GET",
    path: `${base}/dependencies/blocked_by`,
    need: NEEDS.readIssues,
    handler: (ctx) => withIssue(ctx, (issue) => ctx.page(blockedByOf(ctx.op, issue), (other) => issueShape(ctx.shapes, other))),
  },
  {
    method: "POST",
    path: `${base}/dependencies/blocked_by`,
    need: NEEDS.triage,
    handler: (ctx) =>
      withIssue(ctx, (issue) => {
        const added = addBlockedBy(ctx.op, issue, objectBody(ctx.body).issue_id);
        if (!isApiError(added)) announceDependency(ctx, "added", added, added.blockedBy.at(-1)!);
        return respond(added, 201, (i) => issueShape(ctx.shapes, i));
      }),
  },
  {
    method: "DELETE",
    path: `${base}/dependencies/blocked_by/{issue_id}`,
    need: NEEDS.triage,
    handler: (ctx) =>
      withIssue(ctx, (issue) => {
        const blockingId = intParam(ctx.params, "issue_id");
        const removed = removeBlockedBy(ctx.op, issue, blockingId);
        if (!isApiError(removed)) announceDependency(ctx, "removed", removed, blockingId);
        return respond(removed, 200, (i) => issueShape(ctx.shapes, i));
      }),
  },
  {
    method: "GET",
    path: `${base}/dependencies/blocking`,
    need: NEEDS.readIssues,
    handler: (ctx) => withIssue(ctx, (issue) => ctx.page(blockingOf(ctx.op, issue), (other) => issueShape(ctx.shapes, other))),
  },
  {
    method: "GET",
    path: `${base}/sub_issues`,
    need: NEEDS.readIssues,
    handler: (ctx) => withIssue(ctx, (issue) => ctx.page(subIssuesOf(ctx.op, issue), (sub) => issueShape(ctx.shapes, sub))),
  },
  {
    method: "POST",
    path: `${base}/sub_issues`,
    need: NEEDS.triage,
    handler: (ctx) =>
      withIssue(ctx, (issue) => {
        const body = objectBody(ctx.body);
        return respond(addSubIssue(ctx.op, issue, body.sub_issue_id, body.replace_parent === true), 201, (i) => issueShape(ctx.shapes, i));
      }),
  },
  {
    method: "DELETE",
    path: `${base}/sub_issue`,
    need: NEEDS.triage,
    handler: (ctx) =>
      withIssue(ctx, (issue) => respond(removeSubIssue(ctx.op, issue, objectBody(ctx.body).sub_issue_id), 200, (i) => issueShape(ctx.shapes, i))),
  },
  {
    method: "GET",
    path: `${base}/parent`,
    need: NEEDS.readIssues,
    handler: (ctx) =>
      withIssue(ctx, (issue) => {
        const parent: IssueRecord | undefined = issue.parentId === null ? undefined : ctx.store.issueById(issue.parentId);
        return parent && !parent.deleted ? json(200, issueShape(ctx.shapes, parent)) : notFound().toResponse();
      }),
  },
];
