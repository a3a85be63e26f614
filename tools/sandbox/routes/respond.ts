import { isApiError, json, type ApiResponse, type Result } from "../http.js";
import { findIssue } from "../ops/context.js";
import type { RouteContext } from "../router.js";
import type { IssueRecord } from "../store.js";

/** Turns an operation's result into a response: its error, or `status` with the shaped value. */
export function respond<T>(result: Result<T>, status: number, shape: (value: T) => unknown): ApiResponse {
  return isApiError(result) ? result.toResponse() : json(status, shape(result));
}

/** Runs `run` with the issue of the {issue_number} parameter, or answers its 404/410. */
export function withIssue(ctx: RouteContext, run: (issue: IssueRecord) => ApiResponse): ApiResponse {
  const issue = findIssue(ctx.store, intParam(ctx.params, "issue_number"));
  return isApiError(issue) ? issue.toResponse() : run(issue);
}

/** Integer path parameter (the router only matches digits for *_number and *_id). */
export function intParam(params: Record<string, string>, name: string): number {
  return Number(params[name]);
}

export function objectBody(body: unknown): Record<string, unknown> {
  return typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}
