import { neededForGraphqlField, neededPermission } from "./needed-permission.js";
import { GitHubError } from "./port.js";

/**
 * The one conversion of a failed GitHub request into GitHubError, e.g.
 * `GitHub API: POST /repos/o/r/issues/1/labels: Resource not accessible by integration (403) — the token needs issues: write`.
 * Octokit's RequestError is read by shape, not `instanceof`: Probot, @actions/github and
 * @octokit/rest may each bring their own copy of the class.
 */
function toGitHubError(error: unknown): GitHubError {
  const graphql = graphqlErrorsOf(error);
  if (graphql) return fromGraphqlErrors(error, graphql);
  const request = requestOf(error);
  const response = responseOf(error);
  const route = request ? `${request.method} ${request.path}: ` : "";
  const message = gitHubMessage(error, response?.data);
  const status = response ? ` (${response.status})` : "";
  const hint = response?.status === 403 ? forbiddenHint(request, response.headers, message) : undefined;
  return new GitHubError(`GitHub API: ${route}${message}${status}${hint ? ` — ${hint}` : ""}`, statusOf(error));
}

/** Rethrows a failed call as GitHubError. */
export async function call<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    throw toGitHubError(error);
  }
}

/**
 * The result, or undefined when GitHub answers one of the `expected` answers: a status, or a status
 * whose message matches (422 "Reference already exists" but not another 422). Other failures throw GitHubError.
 */
export async function unless<T>(promise: Promise<T>, expected: readonly (number | { status: number; message: RegExp })[]): Promise<T | undefined> {
  try {
    return await promise;
  } catch (error) {
    const status = statusOf(error);
    const message = gitHubMessage(error, responseOf(error)?.data);
    const isExpected = expected.some((answer) => (typeof answer === "number" ? answer === status : answer.status === status && answer.message.test(message)));
    if (status !== undefined && isExpected) return undefined;
    throw toGitHubError(error);
  }
}

/** The response data, or null for 404/410 (missing or deleted). */
export async function orNull<T>(promise: Promise<{ data: T }>): Promise<T | null> {
  return (await unless(promise, [404, 410]))?.data ?? null;
}

/** Rethrows a page iterator's failures as GitHubError, like every other call. */
export async function* wrapIterable<T>(iterable: AsyncIterable<T>): AsyncIterable<T> {
  try {
    yield* iterable;
  } catch (error) {
    throw toGitHubError(error);
  }
}

/** GraphQL's answers are 200 with `errors` (Octokit's GraphqlResponseError); GitHub gives each a `type` and the field's `path`. */
interface GraphqlErrorItem {
  message: string;
  type?: string;
  path?: unknown[];
}

function graphqlErrorsOf(error: unknown): GraphqlErrorItem[] | undefined {
  if (!isRecord(error) || !Array.isArray(error.errors) || !("data" in error)) return undefined;
  const items = error.errors.filter((item): item is GraphqlErrorItem => isRecord(item) && typeof item.message === "string");
  return items.length > 0 ? items : undefined;
}

/** GitHub's GraphQL error types and the HTTP statuses they stand for. */
const GRAPHQL_STATUSES: Record<string, number> = { NOT_FOUND: 404, FORBIDDEN: 403, UNPROCESSABLE: 422, RATE_LIMITED: 403 };

/** `GitHub API: POST /graphql (pinIssue): Resource not accessible by integration (FORBIDDEN) — the token needs issues: write`. */
function fromGraphqlErrors(error: unknown, errors: GraphqlErrorItem[]): GitHubError {
  const request = isRecord(error) && isRecord(error.request) ? error.request : {};
  const path = typeof request.url === "string" ? pathOf(request.url) : "/graphql";
  const message = errors.map((item) => (item.type ? `${item.message} (${item.type})` : item.message)).join("; ");
  // The field that failed names the mutation, which is what a person can look up.
  const field = errors.map((item) => item.path?.[0]).find((name): name is string => typeof name === "string");
  const forbidden = errors.find((item) => item.type === "FORBIDDEN");
  const needed = forbidden ? neededForGraphqlField(typeof forbidden.path?.[0] === "string" ? forbidden.path[0] : field) : undefined;
  const status = errors.map((item) => GRAPHQL_STATUSES[item.type ?? ""]).find((known) => known !== undefined);
  return new GitHubError(`GitHub API: POST ${path}${field ? ` (${field})` : ""}: ${message}${needed ? ` — the token needs ${needed}` : ""}`, status);
}

/** Fields of a thrown value or response, read one by one. */
type Fields = Record<string, unknown>;

function isRecord(value: unknown): value is Fields {
  return typeof value === "object" && value !== null;
}

function statusOf(error: unknown): number | undefined {
  return isRecord(error) && typeof error.status === "number" ? error.status : undefined;
}

function requestOf(error: unknown): { method: string; path: string } | undefined {
  const request = isRecord(error) && isRecord(error.request) ? error.request : undefined;
  if (typeof request?.method !== "string" || typeof request.url !== "string") return undefined;
  return { method: request.method.toUpperCase(), path: pathOf(request.url) };
}

/** The URL's path, without host or query string (which may carry a page number or a token). */
function pathOf(url: string): string {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    path = url.split("?")[0] ?? url;
  }
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** Only failures GitHub answered have a response; network errors do not. */
function responseOf(error: unknown): { status: number; headers: Fields; data: unknown } | undefined {
  const response = isRecord(error) && isRecord(error.response) ? error.response : undefined;
  if (typeof response?.status !== "number") return undefined;
  return { status: response.status, headers: isRecord(response.headers) ? response.headers : {}, data: response.data };
}

function gitHubMessage(error: unknown, data: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // Octokit appends " - <documentation_url>"; the route already says what failed.
  const docs = isRecord(data) && typeof data.documentation_url === "string" ? ` - ${data.documentation_url}` : "";
  return docs && message.endsWith(docs) ? message.slice(0, -docs.length) : message;
}

function header(headers: Fields, name: string): string | undefined {
  const value = headers[name];
  return typeof value === "string" || typeof value === "number" ? String(value) : undefined;
}

/** A 403 is either a rate limit (primary or secondary) or a permission the token lacks. */
function forbiddenHint(request: { method: string; path: string } | undefined, headers: Fields, message: string): string | undefined {
  const rateLimited = header(headers, "x-ratelimit-remaining") === "0" || header(headers, "retry-after") !== undefined || /rate limit/i.test(message);
  if (rateLimited) return undefined;
  const needed = neededPermission(request?.method ?? "", request?.path ?? "", header(headers, "x-accepted-github-permissions"));
  return needed ? `the token needs ${needed}` : undefined;
}
