import { isApiError, notFound, validationFailed, type ApiError, type Result } from "../http.js";
import { legacyNodeId } from "../ids.js";
import { changesOf } from "../payloads.js";
import { labelShape } from "../shapes/issues.js";
import type { LabelRecord } from "../store.js";
import type { OpContext } from "./context.js";
import { invalidField, missingField } from "./validate.js";

/** The colour GitHub gives a label created implicitly (by adding it to an issue). */
export const DEFAULT_LABEL_COLOR = "ededed";
const MAX_NAME_LENGTH = 50;
const MAX_DESCRIPTION_LENGTH = 100;

interface LabelInput {
  name?: unknown;
  color?: unknown;
  description?: unknown;
}

export function createLabel(ctx: OpContext, input: LabelInput): Result<LabelRecord> {
  const fields = validateLabel(input, true);
  if (isApiError(fields)) return fields;
  const name = fields.name!;
  if (ctx.store.findLabel(name)) return alreadyExists();
  const id = ctx.store.ids.next();
  const label: LabelRecord = {
    id,
    nodeId: legacyNodeId("Label", id),
    name,
    color: fields.color ?? DEFAULT_LABEL_COLOR,
    description: fields.description ?? null,
    isDefault: false,
  };
  ctx.store.labels.push(label);
  ctx.emit("label", "created", { label: labelShape(ctx.shapes, label) });
  return label;
}

export function findLabel(ctx: OpContext, name: string): Result<LabelRecord> {
  return ctx.store.findLabel(name) ?? notFound();
}

export function updateLabel(ctx: OpContext, name: string, input: LabelInput & { new_name?: unknown }): Result<LabelRecord> {
  const label = findLabel(ctx, name);
  if (isApiError(label)) return label;
  const fields = validateLabel({ name: input.new_name ?? input.name, color: input.color, description: input.description }, false);
  if (isApiError(fields)) return fields;
  if (fields.name !== undefined) {
    const clash = ctx.store.findLabel(fields.name);
    if (clash && clash !== label) return alreadyExists();
  }
  const before = { name: label.name, color: label.color, description: label.description };
  if (fields.name !== undefined) label.name = fields.name;
  if (fields.color !== undefined) label.color = fields.color;
  if (fields.description !== undefined) label.description = fields.description;
  const changes = changesOf(before, { name: label.name, color: label.color, description: label.description });
  if (Object.keys(changes).length > 0) ctx.emit("label", "edited", { label: labelShape(ctx.shapes, label), changes });
  return label;
}

/** Deleting a label also takes it off every issue, as on GitHub. */
export function deleteLabel(ctx: OpContext, name: string): Result<LabelRecord> {
  const label = findLabel(ctx, name);
  if (isApiError(label)) return label;
  const shape = labelShape(ctx.shapes, label);
  ctx.store.labels.splice(ctx.store.labels.indexOf(label), 1);
  for (const issue of ctx.store.issues.values()) issue.labelIds = issue.labelIds.filter((id) => id !== label.id);
  ctx.emit("label", "deleted", { label: shape });
  return label;
}

function alreadyExists(): ApiError {
  return validationFailed({ resource: "Label", code: "already_exists", field: "name" });
}

interface LabelFields {
  name?: string;
  color?: string;
  description?: string | null;
}

function validateLabel(input: LabelInput, nameRequired: boolean): Result<LabelFields> {
  const fields: LabelFields = {};
  if (input.name === undefined || input.name === null) {
    if (nameRequired) return missingField("Label", "name");
  } else if (typeof input.name !== "string" || input.name.trim() === "" || input.name.length > MAX_NAME_LENGTH) {
    return invalidField("Label", "name");
  } else {
    fields.name = input.name.trim();
  }
  if (input.color !== undefined && input.color !== null) {
    if (typeof input.color !== "string" || !/^[0-9a-fA-F]{6}$/.test(input.color)) return invalidField("Label", "color");
    fields.color = input.color;
  }
  if (input.description !== undefined) {
    if (input.description !== null && (typeof input.description !== "string" || input.description.length > MAX_DESCRIPTION_LENGTH)) {
      return invalidField("Label", "description");
    }
    fields.description = input.description;
  }
  return fields;
}
