import { isApiError } from "../http.js";
import type { OpContext } from "../ops/context.js";
import { enableAutoMerge, markReady, type Pull } from "../ops/pulls.js";
import { allows, NEEDS } from "../permissions.js";
import { repoHtml } from "../shapes/context.js";
import { checkRepoInput, checkRepoSelection, isRepoMutation, runRepoMutation } from "./repository.js";
import { parseDocument, SyntaxProblem, type Field, type Location, type Operation, type TypeRef, type Value } from "./parse.js";

/**
 * POST /graphql, answering only the `markPullRequestReadyForReview` mutation (the one way to
 * take a pull request out of draft), `enablePullRequestAutoMerge` (GitHub's auto-merge, GraphQL
 * only), `updateRefs` (several refs at once, all or none) and `pinIssue` (repository.ts), and `viewer { login }` (who a token is). Anything else gets GitHub's GraphQL error shape and is
 * reported as not served (a violation), so a test cannot lean on GraphQL the sandbox lacks.
 */

interface GraphqlError {
  message: string;
  type?: string;
  path?: string[];
  locations?: Location[];
  extensions?: Record<string, unknown>;
}

interface GraphqlAnswer {
  body: { data?: Record<string, unknown> | null; errors?: GraphqlError[] };
  /** Set when the request asked for GraphQL the sandbox does not serve. */
  unserved?: string;
}

type FieldResult = { value: unknown } | { error: GraphqlError };

/** One mutation the sandbox serves: its input object, what it accepts, and what it does. */
interface MutationSpec {
  inputType: string;
  payloadType: string;
  /** Input fields served, with their GraphQL types; `pullRequestId` is required. */
  inputFields: Record<string, string>;
  /** Input fields GitHub accepts that the sandbox does not serve. */
  unservedFields: string[];
  /** The GraphQL name of the operation in permission errors. */
  operation: string;
  run(ctx: OpContext, target: Pull, input: Record<string, unknown>): Pull | { type: string; message: string };
}

const MERGE_METHODS = ["MERGE", "SQUASH", "REBASE"] as const;

const MUTATIONS: Record<string, MutationSpec> = {
  markPullRequestReadyForReview: {
    inputType: "MarkPullRequestReadyForReviewInput",
    payloadType: "MarkPullRequestReadyForReviewPayload",
    inputFields: { pullRequestId: "ID!", clientMutationId: "String" },
    unservedFields: [],
    operation: "MarkPullRequestReadyForReview",
    run(ctx, target) {
      const done = markReady(ctx, target);
      return isApiError(done) ? { type: "FORBIDDEN", message: done.message } : done;
    },
  },
  enablePullRequestAutoMerge: {
    inputType: "EnablePullRequestAutoMergeInput",
    payloadType: "EnablePullRequestAutoMergePayload",
    inputFields: { pullRequestId: "ID!", mergeMethod: "PullRequestMergeMethod", clientMutationId: "String" },
    unservedFields: ["commitHeadline", "commitBody", "authorEmail", "expectedHeadOid"],
    operation: "EnablePullRequestAutoMerge",
    run(ctx, target, input) {
      // Without a method GitHub takes the repository's default; the sandbox's allows all three, merge first.
      const method = typeof input.mergeMethod === "string" ? (input.mergeMethod.toLowerCase() as "merge" | "squash" | "rebase") : "merge";
      return enableAutoMerge(ctx, target, method);
    },
  },
};

const SERVED = [...Object.keys(MUTATIONS), "updateRefs", "pinIssue"];
const served = (name: string) => name in MUTATIONS || isRepoMutation(name);

type Resolver = (pull: Pull, ctx: OpContext) => unknown;

const PULL_REQUEST_FIELDS: Record<string, Resolver> = {
  __typename: () => "PullRequest",
  id: ({ pull }) => pull.nodeId,
  databaseId: ({ pull }) => pull.id,
  number: ({ pull }) => pull.number,
  title: ({ issue }) => issue.title,
  body: ({ issue }) => issue.body ?? "",
  isDraft: ({ issue }) => issue.pullRequest?.draft ?? false,
  state: ({ issue }) => (issue.pullRequest?.mergedAt ? "MERGED" : issue.state.toUpperCase()),
  url: ({ pull }, ctx) => `${repoHtml(ctx.shapes)}/pull/${pull.number}`,
  headRefName: ({ pull }) => pull.head,
  headRefOid: ({ pull }) => pull.headSha,
  baseRefName: ({ pull }) => pull.base,
};

const fail = (errors: GraphqlError[], unserved?: string): GraphqlAnswer => ({ body: { errors }, ...(unserved ? { unserved } : {}) });

function typeName(type: TypeRef): string {
  if (type.kind === "named") return type.name;
  return type.kind === "list" ? `[${typeName(type.of)}]` : `${typeName(type.of)}!`;
}

/** A literal with its variables filled in, as plain JSON. */
function resolveValue(value: Value, variables: Record<string, unknown>): unknown {
  switch (value.kind) {
    case "variable":
      return variables[value.name] ?? null;
    case "null":
      return null;
    case "list":
      return value.values.map((item) => resolveValue(item, variables));
    case "object":
      return Object.fromEntries(Object.entries(value.fields).map(([key, item]) => [key, resolveValue(item, variables)]));
    default:
      return value.value;
  }
}

function variablesUsed(value: Value): string[] {
  if (value.kind === "variable") return [value.name];
  if (value.kind === "list") return value.values.flatMap(variablesUsed);
  if (value.kind === "object") return Object.values(value.fields).flatMap(variablesUsed);
  return [];
}

function pickOperation(operations: Operation[], operationName: unknown): Operation | GraphqlError {
  if (typeof operationName === "string") return operations.find((op) => op.name === operationName) ?? { message: `No operation named "${operationName}"` };
  return operations.length === 1 ? operations[0]! : { message: "An operation name is required" };
}

/** Validation of the payload's selection: the errors, and what the sandbox does not serve. */
function checkSelection(field: Field, spec: MutationSpec): { errors: GraphqlError[]; unserved: string[] } {
  const errors: GraphqlError[] = [];
  const unserved: string[] = [];
  const mustSelect = (f: Field, type: string) => {
    if (!f.selections) errors.push({ message: `Field must have selections (field '${f.name}' returns ${type} but has no selections. Did you mean '${f.name} { ... }'?)`, locations: [f.at] });
  };
  const leaf = (f: Field, type: string) => {
    if (f.selections) errors.push({ message: `Selections can't be made on scalars (field '${f.name}' returns ${type} but has selections [${f.selections.map((s) => s.name).join(", ")}])`, locations: [f.at] });
  };
  mustSelect(field, spec.payloadType);
  for (const sub of field.selections ?? []) {
    if (sub.name === "clientMutationId" || sub.name === "__typename") leaf(sub, "String");
    else if (sub.name === "pullRequest") {
      mustSelect(sub, "PullRequest");
      for (const leafField of sub.selections ?? []) {
        if (leafField.name in PULL_REQUEST_FIELDS) leaf(leafField, "a scalar");
        else unserved.push(`PullRequest.${leafField.name}`);
      }
    } else unserved.push(`${spec.payloadType}.${sub.name}`);
  }
  return { errors, unserved };
}

/** The `input` argument's problems before anything runs. */
function checkInput(field: Field, variables: Record<string, unknown>, spec: MutationSpec, unserved: string[]): GraphqlError[] {
  const MUTATION = field.name;
  const INPUT_TYPE = spec.inputType;
  const errors: GraphqlError[] = [];
  for (const arg of Object.keys(field.args)) {
    if (arg !== "input") errors.push({ message: `Field '${MUTATION}' doesn't accept argument '${arg}'`, locations: [field.at], extensions: { code: "argumentNotAccepted", name: MUTATION, typeName: "Field", argumentName: arg } });
  }
  const raw = field.args.input;
  if (!raw) {
    errors.push({ message: `Field '${MUTATION}' is missing required arguments: input`, locations: [field.at], extensions: { code: "missingRequiredArguments", className: "Field", name: MUTATION, arguments: "input" } });
    return errors;
  }
  const input = resolveValue(raw, variables);
  const fields = typeof input === "object" && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
  for (const key of Object.keys(fields)) {
    if (spec.unservedFields.includes(key)) unserved.push(`${INPUT_TYPE}.${key}`);
    else if (!(key in spec.inputFields)) errors.push({ message: `InputObject '${INPUT_TYPE}' doesn't accept argument '${key}'`, locations: [field.at], extensions: { code: "argumentNotAccepted", name: INPUT_TYPE, typeName: "InputObject", argumentName: key } });
  }
  if (typeof fields.pullRequestId !== "string") {
    errors.push({ message: `Argument 'pullRequestId' on InputObject '${INPUT_TYPE}' is required. Expected type ID!`, locations: [field.at], extensions: { code: "missingRequiredInputObjectAttribute", argumentName: "pullRequestId", argumentType: "ID!", inputObjectType: INPUT_TYPE } });
  }
  const method = fields.mergeMethod;
  if ("mergeMethod" in spec.inputFields && method !== undefined && method !== null && !(MERGE_METHODS as readonly unknown[]).includes(method)) {
    errors.push({ message: `Argument 'mergeMethod' on InputObject '${INPUT_TYPE}' has an invalid value (${typeof method === "string" ? method : JSON.stringify(method)}). Expected type 'PullRequestMergeMethod'.`, locations: [field.at], extensions: { code: "argumentLiteralsIncompatible", typeName: "InputObject", argumentName: "mergeMethod" } });
  }
  return errors;
}

/** Runs one served mutation: its payload, or the error GitHub answers (with `data.<field>: null`). */
function mutationField(ctx: OpContext, field: Field, variables: Record<string, unknown>, spec: MutationSpec): FieldResult {
  const key = field.alias ?? field.name;
  const input = resolveValue(field.args.input!, variables) as { pullRequestId: string; clientMutationId?: string } & Record<string, unknown>;
  const denied = (message: string) => ({ error: { type: "FORBIDDEN", path: [key], locations: [field.at], message, extensions: { saml_failure: false } } });
  const personDenied = `${ctx.actor.login} does not have the correct permissions to execute \`${spec.operation}\``;
  if (!allows(ctx.store, ctx.actor, NEEDS.participatePulls)) return denied(ctx.actor.kind === "person" ? personDenied : "Resource not accessible by integration");
  const pull = [...ctx.store.pulls.values()].find((candidate) => candidate.nodeId === input.pullRequestId);
  const issue = pull ? ctx.store.issues.get(pull.number) : undefined;
  if (!pull || !issue || issue.deleted) {
    return { error: { type: "NOT_FOUND", path: [key], locations: [field.at], message: `Could not resolve to a node with the global id of '${input.pullRequestId}'` } };
  }
  const done = spec.run(ctx, { issue, pull }, input);
  if ("type" in done) {
    if (done.type === "FORBIDDEN") return denied(ctx.actor.kind === "person" ? personDenied : done.message);
    return { error: { type: done.type, path: [key], locations: [field.at], message: done.message } };
  }
  const payload: Record<string, unknown> = {};
  for (const sub of field.selections ?? []) {
    const subKey = sub.alias ?? sub.name;
    if (sub.name === "__typename") payload[subKey] = spec.payloadType;
    else if (sub.name === "clientMutationId") payload[subKey] = input.clientMutationId ?? null;
    else payload[subKey] = Object.fromEntries((sub.selections ?? []).map((leaf) => [leaf.alias ?? leaf.name, PULL_REQUEST_FIELDS[leaf.name]!(done, ctx)]));
  }
  return { value: payload };
}

/** What `viewer` may select here, and each field's answer. */
const VIEWER_FIELDS: Record<string, (ctx: OpContext) => unknown> = {
  __typename: (ctx) => (ctx.actor.type === "Bot" ? "Bot" : "User"),
  login: (ctx) => ctx.actor.login,
};

/**
 * `query { viewer { login } }`: who the token is. Unlike REST `GET /user`, which answers 403 to
 * installation tokens (an App's, and the job's GITHUB_TOKEN), GitHub answers it for every token
 * kind: `<app>[bot]`, `github-actions[bot]`, or the person.
 */
function viewerQuery(ctx: OpContext, operation: Operation): GraphqlAnswer {
  const unserved: string[] = [];
  const data: Record<string, unknown> = {};
  for (const field of operation.selections) {
    const key = field.alias ?? field.name;
    if (field.name === "__typename") data[key] = "Query";
    else if (field.name !== "viewer" || !field.selections) unserved.push(`Query.${field.name}`);
    else {
      const viewer: Record<string, unknown> = {};
      for (const sub of field.selections) {
        const resolve = VIEWER_FIELDS[sub.name];
        if (resolve) viewer[sub.alias ?? sub.name] = resolve(ctx);
        else unserved.push(`Actor.${sub.name}`);
      }
      data[key] = viewer;
    }
  }
  if (unserved.length > 0) {
    const message = `The Orkestra sandbox answers only ${SERVED[0]} and viewer { login }, not ${unserved.join(", ")}`;
    return fail([{ message, locations: [operation.at] }], message);
  }
  return { body: { data } };
}

export function executeGraphql(ctx: OpContext, request: { query?: unknown; variables?: unknown; operationName?: unknown }): GraphqlAnswer {
  if (typeof request.query !== "string") return fail([{ message: "A query attribute must be specified and must be a string." }]);
  let operations: Operation[];
  try {
    operations = parseDocument(request.query);
  } catch (error) {
    if (!(error instanceof SyntaxProblem)) throw error;
    return fail([{ message: error.message, locations: [error.at] }], error.unsupported ? error.message : undefined);
  }
  const operation = pickOperation(operations, request.operationName);
  if (!("kind" in operation)) return fail([operation]);
  if (operation.kind === "query") return viewerQuery(ctx, operation);
  const others = operation.selections.filter((field) => !served(field.name) && field.name !== "__typename");
  if (operation.kind !== "mutation" || others.length > 0) {
    const asked = `${operation.kind} ${(others.length > 0 ? others : operation.selections).map((field) => field.name).join(", ")}`;
    const message = `The Orkestra sandbox answers only the ${SERVED.join(" and ")} mutation${SERVED.length > 1 ? "s" : ""}, not ${asked}`;
    return fail([{ message, locations: [(others[0] ?? operation).at] }], message);
  }

  const given = typeof request.variables === "object" && request.variables !== null ? (request.variables as Record<string, unknown>) : {};
  const variables: Record<string, unknown> = {};
  const errors: GraphqlError[] = [];
  for (const definition of operation.variables) {
    const value = given[definition.name] ?? (definition.defaultValue ? resolveValue(definition.defaultValue, {}) : null);
    if (value === null && definition.type.kind === "nonNull") {
      errors.push({
        message: `Variable $${definition.name} of type ${typeName(definition.type)} was provided invalid value`,
        locations: [operation.at],
        extensions: { value: null, problems: [{ path: [], explanation: "Expected value to not be null" }] },
      });
    }
    variables[definition.name] = value;
  }
  if (errors.length > 0) return fail(errors);
  const declared = new Set(operation.variables.map((definition) => definition.name));
  const unserved: string[] = [];
  for (const field of operation.selections.filter((f) => served(f.name))) {
    for (const name of Object.values(field.args).flatMap(variablesUsed).filter((used) => !declared.has(used))) {
      errors.push({ message: `Variable $${name} is used by ${operation.name ?? "anonymous mutation"} but not declared`, locations: [field.at], extensions: { code: "variableNotDefined", variableName: name } });
    }
    if (isRepoMutation(field.name)) {
      const selection = checkRepoSelection(field);
      errors.push(...selection.errors, ...checkRepoInput(field, field.args.input ? resolveValue(field.args.input, variables) : undefined));
      unserved.push(...selection.unserved);
      continue;
    }
    const spec = MUTATIONS[field.name]!;
    const selection = checkSelection(field, spec);
    errors.push(...selection.errors, ...checkInput(field, variables, spec, unserved));
    unserved.push(...selection.unserved);
  }
  if (unserved.length > 0) {
    const message = `The Orkestra sandbox does not serve ${unserved.join(", ")}`;
    return fail([{ message }, ...errors], message);
  }
  if (errors.length > 0) return fail(errors);

  const data: Record<string, unknown> = {};
  for (const field of operation.selections) {
    const key = field.alias ?? field.name;
    if (field.name === "__typename") {
      data[key] = "Mutation";
      continue;
    }
    const result =
      isRepoMutation(field.name)
        ? runRepoMutation(ctx, field, resolveValue(field.args.input!, variables) as Record<string, unknown>)
        : mutationField(ctx, field, variables, MUTATIONS[field.name]!);
    if ("error" in result) {
      data[key] = null;
      errors.push(result.error);
    } else data[key] = result.value;
  }
  return { body: errors.length > 0 ? { data, errors } : { data } };
}
