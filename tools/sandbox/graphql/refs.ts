import type { OpContext } from "../ops/context.js";
import { updateRefs, type RefUpdateInput } from "../ops/git.js";
import { allows, NEEDS } from "../permissions.js";
import type { Field, Location } from "./parse.js";

/**
 * GraphQL `updateRefs(input: { repositoryId, refUpdates: [{ name, afterOid, beforeOid, force }] })`:
 * several refs moved at once, all or none ("if one of them is rejected, no other ref will be
 * modified"). A rejected update answers the field null with an UNPROCESSABLE error.
 */
export const UPDATE_REFS = "updateRefs";

interface GraphqlError {
  message: string;
  type?: string;
  path?: string[];
  locations?: Location[];
  extensions?: Record<string, unknown>;
}

const INPUT_TYPE = "UpdateRefsInput";
const INPUT_FIELDS = ["repositoryId", "refUpdates", "clientMutationId"];
const REF_UPDATE_FIELDS = ["name", "afterOid", "beforeOid", "force"];

/** The payload's selection: `clientMutationId` (and `__typename`) is all an UpdateRefsPayload has. */
export function checkRefsSelection(field: Field): { errors: GraphqlError[]; unserved: string[] } {
  const errors: GraphqlError[] = [];
  if (!field.selections) {
    errors.push({ message: `Field must have selections (field '${field.name}' returns UpdateRefsPayload but has no selections. Did you mean '${field.name} { ... }'?)`, locations: [field.at] });
  }
  const unserved = (field.selections ?? []).filter((sub) => sub.name !== "clientMutationId" && sub.name !== "__typename").map((sub) => `UpdateRefsPayload.${sub.name}`);
  return { errors, unserved };
}

/** The input's problems before anything runs (GitHub's wording for the common ones). */
export function checkRefsInput(field: Field, input: unknown): GraphqlError[] {
  const errors: GraphqlError[] = [];
  const at = [field.at];
  const fields = isRecord(input) ? input : {};
  for (const key of Object.keys(fields)) {
    if (!INPUT_FIELDS.includes(key)) errors.push({ message: `InputObject '${INPUT_TYPE}' doesn't accept argument '${key}'`, locations: at, extensions: { code: "argumentNotAccepted", name: INPUT_TYPE, typeName: "InputObject", argumentName: key } });
  }
  if (typeof fields.repositoryId !== "string") errors.push(required("repositoryId", "ID!", INPUT_TYPE, at));
  if (!Array.isArray(fields.refUpdates)) errors.push(required("refUpdates", "[RefUpdate!]!", INPUT_TYPE, at));
  for (const update of Array.isArray(fields.refUpdates) ? fields.refUpdates : []) {
    const item = isRecord(update) ? update : {};
    for (const key of Object.keys(item)) {
      if (!REF_UPDATE_FIELDS.includes(key)) errors.push({ message: `InputObject 'RefUpdate' doesn't accept argument '${key}'`, locations: at, extensions: { code: "argumentNotAccepted", name: "RefUpdate", typeName: "InputObject", argumentName: key } });
    }
    if (typeof item.name !== "string") errors.push(required("name", "GitRefname!", "RefUpdate", at));
    if (typeof item.afterOid !== "string") errors.push(required("afterOid", "GitObjectID!", "RefUpdate", at));
  }
  return errors;
}

/** Runs it: the payload, or the error GitHub answers (with `data.updateRefs: null`). */
export function runUpdateRefs(ctx: OpContext, field: Field, input: Record<string, unknown>): { value: unknown } | { error: GraphqlError } {
  const key = field.alias ?? field.name;
  const where = { path: [key], locations: [field.at] };
  if (!allows(ctx.store, ctx.actor, NEEDS.writeContents)) {
    const message = ctx.actor.kind === "person" ? `${ctx.actor.login} does not have the correct permissions to execute \`UpdateRefs\`` : "Resource not accessible by integration";
    return { error: { type: "FORBIDDEN", ...where, message, extensions: { saml_failure: false } } };
  }
  if (input.repositoryId !== ctx.store.repo.nodeId) return { error: { type: "NOT_FOUND", ...where, message: `Could not resolve to a node with the global id of '${String(input.repositoryId)}'` } };
  const done = updateRefs(ctx, input.refUpdates as RefUpdateInput[]);
  if (!done.ok) return { error: { type: "UNPROCESSABLE", ...where, message: done.message } };
  const payload: Record<string, unknown> = {};
  for (const sub of field.selections ?? []) payload[sub.alias ?? sub.name] = sub.name === "__typename" ? "UpdateRefsPayload" : (input.clientMutationId ?? null);
  return { value: payload };
}

function required(name: string, type: string, inputType: string, locations: Location[]): GraphqlError {
  return { message: `Argument '${name}' on InputObject '${inputType}' is required. Expected type ${type}`, locations, extensions: { code: "missingRequiredInputObjectAttribute", argumentName: name, argumentType: type, inputObjectType: inputType } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
