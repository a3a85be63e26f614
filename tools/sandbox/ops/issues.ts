import { forbidden, isApiError, validationFailed, type Result } from "../http.js";
import { legacyNodeId } from "../ids.js";
import { changesOf } from "../payloads.js";
import { allows, authorize, NEEDS } from "../permissions.js";
import { issueShape } from "../shapes/issues.js";
import type { IssueRecord, StateReason } from "../store.js";
import { announceIssue } from "./announce.js";
import { recordIssueEvent, touch, viaOf, type OpContext } from "./context.js";
import { announceLabeled, ensureLabels, labelNames, setLabels } from "./issue-labels.js";
import { checkBody, invalidField, missingField } from "./validate.js";

interface IssueInput {
  title?: unknown;
  body?: unknown;
  labels?: unknown;
}

/** Opens an issue. As on GitHub, labels from someone without push access are silently dropped. */
export function createIssue(ctx: OpContext, input: IssueInput): Result<IssueRecord> {
  if (typeof input.title !== "string" && typeof input.title !== "number") return missingField("Issue", "title");
  const title = String(input.title);
  if (title.trim() === "") return missingField("Issue", "title");
  if (input.body !== undefined && input.body !== null && typeof input.body !== "string") return invalidField("Issue", "body");
  const body = input.body ?? null;
  const tooLong = checkBody("Issue", body);
  if (tooLong) return tooLong;
  const names = input.labels === undefined ? [] : labelNames(input.labels);
  if (isApiError(names)) return names;
  const labels = names.length > 0 && allows(ctx.store, ctx.actor, NEEDS.moderate) ? ensureLabels(ctx, names) : [];
  if (isApiError(labels)) return labels;

  const issue = newIssueRecord(ctx, { number: ctx.store.nextNumber(), title, body, labelIds: labels.map((label) => label.id), pullRequest: null });
  // GitHub sends `opened` with the labels already on, then one `labeled` per label.
  ctx.emit("issues", "opened", { issue: issueShape(ctx.shapes, issue) });
  for (const label of labels) announceLabeled(ctx, issue, label);
  return issue;
}

/** Stores a new open issue (or the issue side of a pull request) authored by the actor. */
export function newIssueRecord(
  ctx: OpContext,
  fields: Pick<IssueRecord, "number" | "title" | "body" | "labelIds" | "pullRequest">,
): IssueRecord {
  const id = ctx.store.ids.next();
  const now = ctx.store.now();
  const issue: IssueRecord = {
    id,
    nodeId: legacyNodeId("Issue", id),
    ...fields,
    state: "open",
    stateReason: null,
    author: ctx.actor.login,
    createdAt: now,
    updatedAt: now,
    closedAt: null,
    closedBy: null,
    deleted: false,
    via: viaOf(ctx.actor),
    blockedBy: [],
    parentId: null,
    subIssueIds: [],
  };
  ctx.store.issues.set(issue.number, issue);
  return issue;
}

interface IssueUpdate extends IssueInput {
  state?: unknown;
  state_reason?: unknown;
}

const STATE_REASONS = ["completed", "not_planned", "reopened"] as const;

/**
 * PATCH an issue. Its author may edit it and close or reopen it; others need write access to edit
 * and triage to change its state. Labels need push access and are silently dropped otherwise.
 */
export function updateIssue(ctx: OpContext, issue: IssueRecord, input: IssueUpdate): Result<IssueRecord> {
  const isAuthor = issue.author.toLowerCase() === ctx.actor.login.toLowerCase();
  if (input.title !== undefined && (typeof input.title !== "string" || input.title.trim() === "")) return invalidField("Issue", "title");
  if (input.body !== undefined && input.body !== null && typeof input.body !== "string") return invalidField("Issue", "body");
  const tooLong = checkBody("Issue", input.body);
  if (tooLong) return tooLong;
  if (input.state !== undefined && input.state !== "open" && input.state !== "closed") return invalidField("Issue", "state");
  const reason = input.state_reason;
  if (reason !== undefined && reason !== null && !STATE_REASONS.includes(reason as (typeof STATE_REASONS)[number])) {
    return invalidField("Issue", "state_reason");
  }
  const names = input.labels === undefined ? undefined : labelNames(input.labels);
  if (isApiError(names)) return names;
  if (input.state === "open" && issue.pullRequest?.mergedAt) {
    return validationFailed({ resource: "PullRequest", code: "custom", field: "state", message: "state cannot be changed. The pull request has been merged." });
  }

  const editing = input.title !== undefined || input.body !== undefined;
  if (editing && !isAuthor) {
    const denied = authorize(ctx.store, ctx.actor, NEEDS.moderate);
    if (denied) return denied;
  }
  const changingState = input.state !== undefined && input.state !== issue.state;
  if (changingState && !isAuthor) {
    const denied = authorize(ctx.store, ctx.actor, NEEDS.triage);
    if (denied) return denied;
  }

  if (editing) editText(ctx, issue, input.title, input.body);
  if (names && allows(ctx.store, ctx.actor, NEEDS.moderate)) {
    const labelled = setLabels(ctx, issue, names);
    if (isApiError(labelled)) return labelled;
  }
  if (input.state === "closed") {
    closeIssue(ctx, issue, reason as StateReason | undefined);
  } else if (input.state === "open") {
    reopenIssue(ctx, issue);
  } else if (reason !== undefined && issue.state === "closed" && reason !== "reopened") {
    issue.stateReason = reason as StateReason;
  }
  return issue;
}

function editText(ctx: OpContext, issue: IssueRecord, title: string | undefined, body: string | null | undefined): void {
  const before = { title: issue.title, body: issue.body };
  if (title !== undefined) issue.title = title;
  if (body !== undefined) issue.body = body;
  const changes = changesOf(before, { title: issue.title, body: issue.body });
  if (Object.keys(changes).length === 0) return;
  touch(ctx, issue);
  announceIssue(ctx, issue, "edited", { changes });
}

/** Closes with `reason` (default "completed"); on a closed issue only an explicit reason changes. */
function closeIssue(ctx: OpContext, issue: IssueRecord, reason?: StateReason): void {
  if (issue.state === "closed") {
    if (reason) issue.stateReason = reason;
    return;
  }
  issue.state = "closed";
  issue.stateReason = reason ?? "completed";
  issue.closedAt = ctx.store.now();
  issue.closedBy = ctx.actor.login;
  touch(ctx, issue);
  recordIssueEvent(ctx, issue, "closed", { stateReason: issue.stateReason });
  announceIssue(ctx, issue, "closed");
}

function reopenIssue(ctx: OpContext, issue: IssueRecord): void {
  if (issue.state === "open") return;
  issue.state = "open";
  issue.stateReason = "reopened";
  issue.closedAt = null;
  issue.closedBy = null;
  touch(ctx, issue);
  recordIssueEvent(ctx, issue, "reopened", { stateReason: "reopened" });
  announceIssue(ctx, issue, "reopened");
}

/** Deleting an issue (an admin action; GitHub offers it in the UI and GraphQL only). */
export function deleteIssue(ctx: OpContext, issue: IssueRecord): Result<IssueRecord> {
  const denied = authorize(ctx.store, ctx.actor, NEEDS.deleteIssue);
  if (denied) return denied;
  if (issue.pullRequest) return forbidden("Pull requests cannot be deleted");
  const shape = issueShape(ctx.shapes, issue);
  issue.deleted = true;
  ctx.emit("issues", "deleted", { issue: shape });
  return issue;
}
