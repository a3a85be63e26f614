import { isApiError, json, noContent, type ApiResponse, type Result } from "../http.js";
import type { OpContext } from "../ops/context.js";
import { addLabels, labelNames, labelsOf, removeLabel, setLabels } from "../ops/issue-labels.js";
import { NEEDS } from "../permissions.js";
import type { Route, RouteContext } from "../router.js";
import { labelShape } from "../shapes/issues.js";
import type { IssueRecord, LabelRecord } from "../store.js";
import { respond, withIssue } from "./respond.js";

/** The labels of an issue: POST adds, PUT replaces, DELETE clears or removes one. */

function labelsBody(body: unknown): unknown {
  return Array.isArray(body) ? body : (body as { labels?: unknown } | undefined)?.labels;
}

type LabelChange = (op: OpContext, issue: IssueRecord, names: readonly string[]) => Result<LabelRecord[]>;

function change(ctx: RouteContext, apply: LabelChange): ApiResponse {
  return withIssue(ctx, (issue) => {
    const names = labelNames(labelsBody(ctx.body) ?? []);
    if (isApiError(names)) return names.toResponse();
    return respond(apply(ctx.op, issue, names), 200, (labels) => labels.map((label) => labelShape(ctx.shapes, label)));
  });
}

export const issueLabelRoutes: Route[] = [
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/issues/{issue_number}/labels",
    need: NEEDS.readIssues,
    handler: (ctx) => withIssue(ctx, (issue) => ctx.page(labelsOf(ctx.op, issue), (label) => labelShape(ctx.shapes, label))),
  },
  {
    method: "POST",
    path: "/repos/{owner}/{repo}/issues/{issue_number}/labels",
    need: NEEDS.triage,
    handler: (ctx) => change(ctx, addLabels),
  },
  {
    method: "PUT",
    path: "/repos/{owner}/{repo}/issues/{issue_number}/labels",
    need: NEEDS.triage,
    handler: (ctx) => change(ctx, setLabels),
  },
  {
    method: "DELETE",
    path: "/repos/{owner}/{repo}/issues/{issue_number}/labels",
    need: NEEDS.triage,
    handler: (ctx) =>
      withIssue(ctx, (issue) => {
        const cleared = setLabels(ctx.op, issue, []);
        return isApiError(cleared) ? cleared.toResponse() : noContent();
      }),
  },
  {
    method: "DELETE",
    path: "/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}",
    need: NEEDS.triage,
    handler: (ctx) =>
      withIssue(ctx, (issue) => {
        const remaining = removeLabel(ctx.op, issue, ctx.params.name!);
        return isApiError(remaining) ? remaining.toResponse() : json(200, remaining.map((label) => labelShape(ctx.shapes, label)));
      }),
  },
];
