/** Responses and GitHub-shaped errors, shared by routes, operations and the pipeline. */

const DOCUMENTATION_URL = "https://docs.github.com/rest";
export const RATE_LIMIT_DOCUMENTATION_URL =
  "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api";

export interface ApiResponse {
  status: number;
  /** JSON body; omitted for 204. */
  body?: unknown;
  headers?: Record<string, string>;
  /** A non-JSON body (e.g. raw file contents), sent as-is with its content type. */
  raw?: { contentType: string; text: string };
  /** What was asked that the sandbox does not serve (recorded in `sandbox.violations`, not sent). */
  unserved?: string;
}

interface ValidationErrorItem {
  resource: string;
  code: "missing" | "missing_field" | "invalid" | "already_exists" | "unprocessable" | "custom" | "too_large";
  field?: string;
  message?: string;
}

/** An expected failure, answered with GitHub's error body. Operations return it; they never throw it. */
export class ApiError {
  constructor(
    readonly status: number,
    readonly message: string,
    /** Objects for "Validation Failed"; plain strings for the pull request endpoints' "Unprocessable Entity". */
    readonly errors?: (ValidationErrorItem | string)[],
    readonly documentationUrl: string = DOCUMENTATION_URL,
  ) {}

  /** The errors as one line each, for scripted actions' exceptions. */
  details(): string[] {
    return (this.errors ?? []).map((e) => (typeof e === "string" ? e : (e.message ?? `${e.field ?? e.resource}: ${e.code}`)));
  }

  toResponse(): ApiResponse {
    const body: Record<string, unknown> = { message: this.message };
    if (this.errors) body.errors = this.errors;
    body.documentation_url = this.documentationUrl;
    body.status = String(this.status);
    return { status: this.status, body, ...(this.headers ? { headers: { ...this.headers } } : {}) };
  }

  /** Headers GitHub sends with this answer (e.g. the permission an integration lacks). */
  headers?: Record<string, string>;

  withHeaders(headers: Record<string, string>): this {
    this.headers = { ...this.headers, ...headers };
    return this;
  }
}

/** What an operation returns: its value, or the error GitHub would answer. */
export type Result<T> = T | ApiError;

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

export const notFound = (message = "Not Found"): ApiError => new ApiError(404, message);
export const badCredentials = (): ApiError => new ApiError(401, "Bad credentials");
export const forbidden = (message: string): ApiError => new ApiError(403, message);
export const gone = (message: string): ApiError => new ApiError(410, message);
export const badRequest = (message: string): ApiError => new ApiError(400, message);
/** A 422 with a plain message, as the git and reactions endpoints answer. */
export const unprocessable = (message: string): ApiError => new ApiError(422, message);
export const validationFailed = (...errors: ValidationErrorItem[]): ApiError =>
  new ApiError(422, "Validation Failed", errors);

/** GitHub's answer to a request that does not fit the endpoint's schema (one problem per line). */
export const invalidRequest = (problems: readonly string[], documentationUrl = DOCUMENTATION_URL): ApiError =>
  new ApiError(422, `Invalid request.\n\n${problems.join("\n")}`, undefined, documentationUrl);
/** The pull request endpoints' 422: a plain message list, e.g. ["Line could not be resolved"]. */
export const unprocessableEntity = (errors: string[], documentationUrl = DOCUMENTATION_URL): ApiError =>
  new ApiError(422, "Unprocessable Entity", errors, documentationUrl);

export function json(status: number, body: unknown, headers?: Record<string, string>): ApiResponse {
  return headers ? { status, body, headers } : { status, body };
}

export const noContent = (): ApiResponse => ({ status: 204 });
