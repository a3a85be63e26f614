import type { OpContext } from "../ops/context.js";
import { updateRefs, type RefUpdateInput } from "../ops/git.js";
import { allows, NEEDS } from "../permissions.js";
import type { Field, Location } from "./parse.js";

/**
 * The mutations on the repository rather than a pull request (execute.ts serves those):
 * `updateRefs(input: { repositoryId, refUpdates: [{ name, afterOid, beforeOid, force }] })` — several
 * refs moved at once, all or none ("if one of them is rejected, no other ref will be modified"; a
 * rejected update answers the field null with an UNPROCESSABLE error) — and `pinIssue(input: {
 * issueId })` — at most three issues are pinned in a repository.
 */

interface GraphqlError {
  message: string;
  type?: string;
  path?: string[];
  locations?: Location[];
  extensions?: Record<string, unknown>;
}

type FieldResult = { value: unknown } | { error: GraphqlError };

/** One repository mutation: its payload type, the input's problems, and what it does. */
interface RepoMutation {
  payloadType: string;
  checkInput(field: Field, input: Record<string, unknown>): GraphqlError[];
  run(ctx: OpContext, field: Field, input: Record<string, unknown>): FieldResult;
}

/** The payload's selection: `clientMutationId` (and `__typename`) is all these payloads are asked for here. */
export function checkRepoSelection(field: Field): { errors: GraphqlError[]; unserved: string[] } {
  const { payloadType } = REPO_MUTATIONS[field.name]!;
  const errors: GraphqlError[] = [];
  if (!field.selections) {
    errors.push({ message: `Field must have selections (field '${field.name}' returns ${payloadType} but has no selections. Did you mean '${field.name} { ... }'?)`, locations: [field.at] });
  }
  const unserved = (field.selections ?? []).filter((sub) => sub.name !== "clientMutationId" && sub.name !== "__typename").map((sub) => `${payloadType}.${sub.name}`);
  return { errors, unserved };
}

/** The input's problems before anything runs (GitHub's wording for the common ones). */
export function checkRepoInput(field: Field, input: unknown): GraphqlError[] {
  const inputType = `${field.name[0]!.toUpperCase()}${field.name.slice(1)}Input`;
  const fields = isRecord(input) ? input : {};
  const known = Object.keys(INPUT_FIELDS[field.name]!);
  const errors: GraphqlError[] = [];
  for (const key of Object.keys(fields)) {
    if (!known.includes(key)) errors.push({ message: `InputObject '${inputType}' doesn't accept argument '${key}'`, locations: [field.at], extensions: { code: "argumentNotAccepted", name: inputType, typeName: "InputObject", argumentName: key } });
  }
  for (const [key, type] of Object.entries(INPUT_FIELDS[field.name]!)) {
    if (type.endsWith("!") && (fields[key] === undefined || fields[key] === null)) errors.push(required(key, type, inputType, [field.at]));
  }
  return [...errors, ...REPO_MUTATIONS[field.name]!.checkInput(field, fields)];
}

/** Runs it: the payload, or the error GitHub answers (with `data.<field>: null`). */
export function runRepoMutation(ctx: OpContext, field: Field, input: Record<string, unknown>): FieldResult {
  return REPO_MUTATIONS[field.name]!.run(ctx, field, input);
}

export const isRepoMutation = (name: string): boolean => name in REPO_MUTATIONS;

const INPUT_FIELDS: Record<string, Record<string, string>> = {
  updateRefs: { repositoryId: "ID!", refUpdates: "[RefUpdate!]!", clientMutationId: "String" },
  pinIssue: { issueId: "ID!", clientMutationId: "String" },
};
const REF_UPDATE_FIELDS = ["name", "afterOid", "beforeOid", "force"];

function checkRefUpdates(field: Field, fields: Record<string, unknown>): GraphqlError[] {
  const errors: GraphqlError[] = [];
  const at = [field.at];
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

/** The payload for a mutation that ran: `clientMutationId` and `__typename`, as asked. */
function payload(field: Field, input: Record<string, unknown>): FieldResult {
  const { payloadType } = REPO_MUTATIONS[field.name]!;
  const value: Record<string, unknown> = {};
  for (const sub of field.selections ?? []) value[sub.alias ?? sub.name] = sub.name === "__typename" ? payloadType : (input.clientMutationId ?? null);
  return { value };
}

function refused(field: Field, type: string, message: string, extensions?: Record<string, unknown>): FieldResult {
  return { error: { type, path: [field.alias ?? field.name], locations: [field.at], message, ...(extensions ? { extensions } : {}) } };
}

/** GitHub's FORBIDDEN, worded for a person or an integration. */
function forbidden(ctx: OpContext, field: Field, operation: string): FieldResult {
  const message = ctx.actor.kind === "person" ? `${ctx.actor.login} does not have the correct permissions to execute \`${operation}\`` : "Resource not accessible by integration";
  return refused(field, "FORBIDDEN", message, { saml_failure: false });
}

/** Issues GitHub pins in a repository at most. */
const MAX_PINNED = 3;

const REPO_MUTATIONS: Record<string, RepoMutation> = {
  updateRefs: {
    payloadType: "UpdateRefsPayload",
    checkInput: checkRefUpdates,
    run(ctx, field, input) {
      if (!allows(ctx.store, ctx.actor, NEEDS.writeContents)) return forbidden(ctx, field, "UpdateRefs");
      if (input.repositoryId !== ctx.store.repo.nodeId) return refused(field, "NOT_FOUND", `Could not resolve to a node with the global id of '${String(input.repositoryId)}'`);
      const done = updateRefs(ctx, input.refUpdates as RefUpdateInput[]);
      return done.ok ? payload(field, input) : refused(field, "UNPROCESSABLE", done.message);
    },
  },
  pinIssue: {
    payloadType: "PinIssuePayload",
    checkInput: () => [],
    run(ctx, field, input) {
      if (!allows(ctx.store, ctx.actor, NEEDS.manageLabels)) return forbidden(ctx, field, "PinIssue");
      const issue = [...ctx.store.issues.values()].find((candidate) => candidate.nodeId === input.issueId && !candidate.deleted && !candidate.pullRequest);
      if (!issue) return refused(field, "NOT_FOUND", `Could not resolve to a node with the global id of '${String(input.issueId)}'`);
      const pinned = [...ctx.store.issues.values()].filter((candidate) => candidate.pinned && candidate !== issue);
      if (!issue.pinned && pinned.length >= MAX_PINNED) return refused(field, "UNPROCESSABLE", `You can only pin ${MAX_PINNED} issues at a time.`);
      issue.pinned = true;
      return payload(field, input);
    },
  },
};

function required(name: string, type: string, inputType: string, locations: Location[]): GraphqlError {
  return { message: `Argument '${name}' on InputObject '${inputType}' is required. Expected type ${type}`, locations, extensions: { code: "missingRequiredInputObjectAttribute", argumentName: name, argumentType: type, inputObjectType: inputType } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
