import { isApiError, notFound, type Result } from "../http.js";
import { labelShape } from "../shapes/issues.js";
import type { IssueRecord, LabelRecord } from "../store.js";
import { announceIssue } from "./announce.js";
import { recordIssueEvent, touch, type OpContext } from "./context.js";
import { createLabel, DEFAULT_LABEL_COLOR } from "./labels.js";
import { invalidField } from "./validate.js";

/** Label names from `["a", "b"]` or `[{ name: "a" }]`, as the REST API accepts both. */
export function labelNames(value: unknown): Result<string[]> {
  if (!Array.isArray(value)) return invalidField("Label", "labels");
  const names: string[] = [];
  for (const item of value as unknown[]) {
    const name = typeof item === "string" ? item : (item as { name?: unknown } | null)?.name;
    if (typeof name !== "string" || name.trim() === "") return invalidField("Label", "name");
    names.push(name.trim());
  }
  return names;
}

/** The repository's labels by name; a missing one is created with GitHub's default colour. */
export function ensureLabels(ctx: OpContext, names: readonly string[]): Result<LabelRecord[]> {
  const labels: LabelRecord[] = [];
  for (const name of names) {
    const label = ctx.store.findLabel(name) ?? createLabel(ctx, { name, color: DEFAULT_LABEL_COLOR });
    if (isApiError(label)) return label;
    if (!labels.includes(label)) labels.push(label);
  }
  return labels;
}

/** Records and announces a label the issue just got (its labelIds already include it). */
export function announceLabeled(ctx: OpContext, issue: IssueRecord, label: LabelRecord): void {
  recordIssueEvent(ctx, issue, "labeled", { label: { name: label.name, color: label.color } });
  announceIssue(ctx, issue, "labeled", { label: labelShape(ctx.shapes, label) });
}

export function addLabels(ctx: OpContext, issue: IssueRecord, names: readonly string[]): Result<LabelRecord[]> {
  const labels = ensureLabels(ctx, names);
  if (isApiError(labels)) return labels;
  for (const label of labels) {
    if (issue.labelIds.includes(label.id)) continue;
    issue.labelIds.push(label.id);
    touch(ctx, issue);
    announceLabeled(ctx, issue, label);
  }
  return labelsOf(ctx, issue);
}

export function removeLabel(ctx: OpContext, issue: IssueRecord, name: string): Result<LabelRecord[]> {
  const label = ctx.store.findLabel(name);
  if (!label || !issue.labelIds.includes(label.id)) return notFound("Label does not exist");
  issue.labelIds = issue.labelIds.filter((id) => id !== label.id);
  touch(ctx, issue);
  recordIssueEvent(ctx, issue, "unlabeled", { label: { name: label.name, color: label.color } });
  announceIssue(ctx, issue, "unlabeled", { label: labelShape(ctx.shapes, label) });
  return labelsOf(ctx, issue);
}

/** Replaces the issue's labels: unlabeled for the ones dropped, labeled for the new ones. */
export function setLabels(ctx: OpContext, issue: IssueRecord, names: readonly string[]): Result<LabelRecord[]> {
  const wanted = new Set(names.map((name) => name.toLowerCase()));
  for (const label of labelsOf(ctx, issue)) {
    if (wanted.has(label.name.toLowerCase())) continue;
    const removed = removeLabel(ctx, issue, label.name);
    if (isApiError(removed)) return removed;
  }
  return addLabels(ctx, issue, names);
}

export function labelsOf(ctx: OpContext, issue: IssueRecord): LabelRecord[] {
  return issue.labelIds.flatMap((id) => ctx.store.labelById(id) ?? []);
}
