import type { Actor } from "../auth.js";
import { gone, notFound, type Result } from "../http.js";
import { legacyNodeId } from "../ids.js";
import { webhookPayload } from "../payloads.js";
import type { ShapeContext } from "../shapes/context.js";
import type { IssueEventRecord, IssueRecord, Store, ViaApp } from "../store.js";

/**
 * What an operation needs: the state, who acts, and where its events go. The HTTP routes and the
 * scripting API run the same operations, so both change state and emit events the same way.
 */
export interface OpContext {
  store: Store;
  shapes: ShapeContext;
  actor: Actor;
  /** Records a webhook event; the caller decides when it is delivered. */
  emit(name: string, action: string, objects: Record<string, unknown>): void;
}

export function makeEmitter(
  shapes: ShapeContext,
  actor: Actor,
  sink: (name: string, payload: Record<string, unknown>) => void,
): OpContext["emit"] {
  return (name, action, objects) => sink(name, webhookPayload(shapes, actor, action, objects));
}

/** The app that performed a change, for `performed_via_github_app`. */
export function viaOf(actor: Actor): ViaApp {
  if (actor.kind === "installation") return "app";
  if (actor.kind === "actions") return "actions";
  return null;
}

/** The issue (or pull request) with this number: 404 when unknown, 410 when deleted. */
export function findIssue(store: Store, issueNumber: number): Result<IssueRecord> {
  const issue = store.issues.get(issueNumber);
  if (!issue) return notFound();
  if (issue.deleted) return gone("This issue was deleted");
  return issue;
}

export function touch(ctx: OpContext, issue: IssueRecord): void {
  issue.updatedAt = ctx.store.now();
}

const EVENT_NODE_TYPES: Record<IssueEventRecord["event"], string> = {
  labeled: "LabeledEvent",
  unlabeled: "UnlabeledEvent",
  closed: "ClosedEvent",
  reopened: "ReopenedEvent",
};

/** Appends to the issue's timeline what GET …/issues/{issue_number}/events will list. */
export function recordIssueEvent(
  ctx: OpContext,
  issue: IssueRecord,
  event: IssueEventRecord["event"],
  extra: Pick<IssueEventRecord, "label" | "stateReason"> = {},
): void {
  const id = ctx.store.ids.next();
  ctx.store.issueEvents.push({
    id,
    nodeId: legacyNodeId(EVENT_NODE_TYPES[event], id),
    issueNumber: issue.number,
    actor: ctx.actor.login,
    event,
    createdAt: ctx.store.now(),
    via: viaOf(ctx.actor),
    ...extra,
  });
}
