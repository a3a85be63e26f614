import { validationFailed, type ApiError } from "../http.js";

/** GitHub's limit on issue and comment bodies. */
const MAX_BODY_LENGTH = 65_536;

export function checkBody(resource: string, body: string | null | undefined): ApiError | undefined {
  if (body === null || body === undefined || body.length <= MAX_BODY_LENGTH) return undefined;
  return validationFailed({
    resource,
    code: "custom",
    field: "body",
    message: `body is too long (maximum is ${MAX_BODY_LENGTH} characters)`,
  });
}

export function missingField(resource: string, field: string): ApiError {
  return validationFailed({ resource, code: "missing_field", field });
}

export function invalidField(resource: string, field: string): ApiError {
  return validationFailed({ resource, code: "invalid", field });
}
