import { json, type ApiResponse } from "../http.js";
import { createIssue, updateIssue } from "../ops/issues.js";
import { NEEDS } from "../permissions.js";
import type { Route, RouteContext } from "../router.js";
import { issueShape } from "../shapes/issues.js";
import type { IssueRecord, Store } from "../store.js";
import { objectBody, respond, withIssue } from "./respond.js";

/** GET /repos/{owner}/{repo}/issues: pull requests included (with `pull_request`), as on GitHub. */
function listIssues(ctx: RouteContext): ApiResponse {
  const q = ctx.query;
  const state = q.get("state") ?? "open";
  const labels = (q.get("labels") ?? "").split(",").map((name) => name.trim().toLowerCase()).filter(Boolean);
  const since = q.get("since");
  const creator = q.get("creator")?.toLowerCase();
  const sort = q.get("sort") ?? "created";
  const direction = q.get("direction") ?? "desc";
  const issues = ctx.store
    .liveIssues()
    .filter((issue) => state === "all" || issue.state === state)
    .filter((issue) => labels.every((name) => labelNamesOf(ctx.store, issue).includes(name)))
    .filter((issue) => !since || issue.updatedAt >= normaliseSince(since))
    .filter((issue) => !creator || issue.author.toLowerCase() === creator)
    .sort(compareBy(ctx.store, sort, direction));
  return ctx.page(issues, (issue) => issueShape(ctx.shapes, issue));
}

function labelNamesOf(store: Store, issue: IssueRecord): string[] {
  return issue.labelIds.flatMap((id) => store.labelById(id)?.name.toLowerCase() ?? []);
}

/** Timestamps are compared as strings; `since` may carry milliseconds or a zone offset. */
export function normaliseSince(since: string): string {
  const date = new Date(since);
  return Number.isNaN(date.getTime()) ? since : date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function compareBy(store: Store, sort: string, direction: string) {
  const key = (issue: IssueRecord): string | number =>
    sort === "updated" ? issue.updatedAt : sort === "comments" ? store.commentsOf(issue.number).length : issue.createdAt;
  const sign = direction === "asc" ? 1 : -1;
  return (a: IssueRecord, b: IssueRecord) => {
    const ka = key(a);
    const kb = key(b);
    // Ties (same second) fall back to the number, which follows creation order.
    return sign * (ka < kb ? -1 : ka > kb ? 1 : a.number - b.number);
  };
}

export const issueRoutes: Route[] = [
  { method: "GET", path: "/repos/{owner}/{repo}/issues", need: NEEDS.readIssues, handler: listIssues },
  {
    method: "POST",
    path: "/repos/{owner}/{repo}/issues",
    need: NEEDS.participate,
    handler: (ctx) => respond(createIssue(ctx.op, objectBody(ctx.body)), 201, (issue) => issueShape(ctx.shapes, issue)),
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/issues/{issue_number}",
    need: NEEDS.readIssues,
    handler: (ctx) => withIssue(ctx, (issue) => json(200, issueShape(ctx.shapes, issue))),
  },
  {
    method: "PATCH",
    path: "/repos/{owner}/{repo}/issues/{issue_number}",
    need: NEEDS.participate,
    handler: (ctx) =>
      withIssue(ctx, (issue) => respond(updateIssue(ctx.op, issue, objectBody(ctx.body)), 200, (updated) => issueShape(ctx.shapes, updated))),
  },
];
