import { issueShape } from "../shapes/issues.js";
import { pullShape } from "../shapes/pulls.js";
import type { IssueRecord } from "../store.js";
import type { OpContext } from "./context.js";

/**
 * Emits a change of an issue as GitHub does: `issues.<action>` for an issue, and
 * `pull_request.<action>` (with `number` and the pull request) for the issue side of a pull request.
 */
export function announceIssue(ctx: OpContext, issue: IssueRecord, action: string, extra: Record<string, unknown> = {}): void {
  const pull = issue.pullRequest ? ctx.store.pulls.get(issue.number) : undefined;
  if (pull) ctx.emit("pull_request", action, { number: issue.number, pull_request: pullShape(ctx.shapes, issue, pull), ...extra });
  else ctx.emit("issues", action, { issue: issueShape(ctx.shapes, issue), ...extra });
}
