import { invalidRequest, notFound, type ApiResponse } from "../http.js";
import type { NamedStep, RequestState } from "../pipeline.js";
import { requestProblems, responseProblems } from "./messages.js";
import { githubDescription, JSON_MEDIA_TYPE, type OpenApiDescription, type OpenApiOperation } from "./spec.js";

/** A request that did not fit GitHub's description, or a sandbox response that did not. */
export interface Violation {
  method: string;
  /** The path as received, with its query string. */
  path: string;
  kind: "request" | "response";
  message: string;
}

interface ValidationOptions {
  /** Check every JSON response against the operation's schema for its status (default true). */
  responses: boolean;
}

interface Located {
  operation: OpenApiOperation;
  /** JSON pointer parts of the operation in the description. */
  pointer: string[];
}

/**
 * Three pipeline steps: `openapi-route` (before require-route) answers 404 for a route the
 * description lacks; `openapi-response` (right after it) checks responses on the way out;
 * `openapi-request` (before handle) answers 422 for parameters or bodies that do not fit.
 * Every finding is pushed to `violations`, and so is an answer marked `unserved` (GraphQL the
 * sandbox does not serve). Routes marked `openapi: false` (POST /graphql) are not checked.
 */
export function validationSteps(
  violations: Violation[],
  options: ValidationOptions,
  description: OpenApiDescription = githubDescription(),
): { route: NamedStep; response: NamedStep; request: NamedStep } {
  const record = (state: RequestState, kind: Violation["kind"], message: string) =>
    violations.push({ method: state.method, path: `${state.url.pathname}${state.url.search}`, kind, message });

  const locate = (state: RequestState): Located | undefined => {
    const route = state.match?.route;
    if (!route) return undefined;
    const operation = description.operation(route.method, route.path);
    return operation ? { operation, pointer: ["paths", route.path, route.method.toLowerCase()] } : undefined;
  };

  const route: NamedStep = {
    name: "openapi-route",
    run: (state) => {
      if (!state.match) {
        record(state, "request", `no route serves ${state.method} ${state.path} (GitHub has no such endpoint or the sandbox does not serve it)`);
        return notFound().toResponse();
      }
      if (state.match.route.openapi === false) return undefined;
      if (!locate(state)) {
        record(state, "request", `${state.match.template} is not in the OpenAPI subset: run npx tsx scripts/openapi-subset.ts`);
        return notFound().toResponse();
      }
      return undefined;
    },
  };

  const request: NamedStep = {
    name: "openapi-request",
    run: (state) => {
      const located = locate(state);
      if (!located) return undefined;
      const problems = checkRequest(description, located, state);
      if (problems.length === 0) return undefined;
      for (const problem of problems) record(state, "request", problem);
      return invalidRequest(problems, located.operation.externalDocs?.url).toResponse();
    },
  };

  const response: NamedStep = {
    name: "openapi-response",
    run: () => undefined,
    after: (state, answer) => {
      if (answer.unserved) record(state, "request", `${state.match!.template}: ${answer.unserved}`);
      const located = options.responses ? locate(state) : undefined;
      if (!located) return undefined;
      const problems = checkResponse(description, located, answer);
      if (problems.length > 0) record(state, "response", `${state.match!.template} → ${answer.status}: ${problems.join("; ")}`);
      return undefined;
    },
  };

  return { route, response, request };
}

function checkRequest(description: OpenApiDescription, { operation, pointer }: Located, state: RequestState): string[] {
  const problems: string[] = [];
  for (const [index, parameter] of (operation.parameters ?? []).entries()) {
    if (parameter.in !== "path" && parameter.in !== "query") continue;
    const raw = parameter.in === "path" ? state.match?.params[parameter.name] : (state.url.searchParams.get(parameter.name) ?? undefined);
    if (raw === undefined) {
      if (parameter.required) problems.push(`"${parameter.name}" wasn't supplied.`);
      continue;
    }
    if (!parameter.schema) continue;
    const value = coerce(raw, parameter.schema);
    const validate = description.validator([...pointer, "parameters", index, "schema"]);
    if (!validate(value)) problems.push(...requestProblems(validate.errors ?? [], value, parameter.name));
  }
  const body = operation.requestBody?.content[JSON_MEDIA_TYPE];
  if (body?.schema !== undefined) {
    // A required body that was not sent is checked as `{}`, so its required keys are reported.
    const value = state.body ?? (operation.requestBody?.required ? {} : undefined);
    const validate = description.validator([...pointer, "requestBody", "content", JSON_MEDIA_TYPE, "schema"]);
    if (value !== undefined && !validate(value)) problems.push(...requestProblems(validate.errors ?? [], value));
  }
  return problems;
}

function checkResponse(description: OpenApiDescription, { operation, pointer }: Located, answer: ApiResponse): string[] {
  if (answer.raw || answer.body === undefined) return [];
  const status = String(answer.status);
  const described = operation.responses[status];
  if (!described) return answer.status < 300 ? [`status ${status} is not a documented response`] : [];
  if (described.content?.[JSON_MEDIA_TYPE]?.schema === undefined) return [];
  const validate = description.validator([...pointer, "responses", status, "content", JSON_MEDIA_TYPE, "schema"]);
  // Checked as sent: what JSON.stringify drops (undefined) is not in the response either.
  const sent: unknown = JSON.parse(JSON.stringify(answer.body));
  return validate(sent) ? [] : responseProblems(validate.errors ?? []);
}

/** Query and path values arrive as text; the schema's type says how to read them. */
function coerce(raw: string, schema: Record<string, unknown>): unknown {
  const types = ([] as unknown[]).concat(schema.type ?? []);
  if ((types.includes("integer") || types.includes("number")) && /^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  if (types.includes("boolean") && (raw === "true" || raw === "false")) return raw === "true";
  if (types.includes("array")) return raw.split(",");
  return raw;
}
