import type { ErrorObject } from "ajv";

/**
 * ajv errors worded like GitHub's own schema errors, e.g.
 * `For 'properties/labels', "x" is not an array.` and `"title" wasn't supplied.`
 */

/** Drops the per-branch errors of a failed oneOf/anyOf: the branch summary says it better. */
function withoutBranchNoise(errors: readonly ErrorObject[]): ErrorObject[] {
  const branches = errors.filter((e) => e.keyword === "oneOf" || e.keyword === "anyOf").map((e) => `${e.schemaPath}/`);
  return errors.filter((e) => !branches.some((prefix) => e.schemaPath.startsWith(prefix)));
}

/** The value at an ajv instancePath ("/labels/0"). */
function valueAt(data: unknown, instancePath: string): unknown {
  let value = data;
  for (const part of instancePath.split("/").slice(1)) {
    const key = part.replace(/~1/g, "/").replace(/~0/g, "~");
    value = value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value;
}

/** GitHub names the place by schema path: "/labels/0/name" → "properties/labels/items/properties/name". */
function schemaPlace(instancePath: string, root: string): string {
  const parts = instancePath
    .split("/")
    .slice(1)
    .map((part) => (/^\d+$/.test(part) ? "items" : `properties/${part.replace(/~1/g, "/").replace(/~0/g, "~")}`));
  return [root, ...parts].filter(Boolean).join("/");
}

function inspect(value: unknown): string {
  if (value === undefined) return "nil";
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function typeList(types: string): string {
  const named = types.split(",").map((type) => (type === "null" ? "null" : /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`));
  return named.join(" or ");
}

function describe(error: ErrorObject, value: unknown): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "type":
      return `${inspect(value)} is not ${typeList(String(params.type))}.`;
    case "enum":
      return `${inspect(value)} is not a member of ${JSON.stringify(params.allowedValues)}.`;
    case "oneOf":
    case "anyOf":
      return `${inspect(value)} does not match any subschema of "${error.keyword}".`;
    case "maxItems":
      return `${Array.isArray(value) ? value.length : "too many"} items are more than the maximum of ${String(params.limit)}.`;
    case "maxLength":
      return `a string of ${typeof value === "string" ? value.length : "?"} characters is longer than the maximum of ${String(params.limit)}.`;
    case "format":
      return `${inspect(value)} is not a valid ${String(params.format)}.`;
    case "additionalProperties":
      return `"${String(params.additionalProperty)}" is not a permitted key.`;
    default:
      return `${inspect(value)} ${error.message ?? "is invalid"}.`;
  }
}

/**
 * One line per problem of a request part. `root` names the part (a parameter's name, or "" for
 * the JSON body) and `data` is the validated value.
 */
export function requestProblems(errors: readonly ErrorObject[], data: unknown, root = ""): string[] {
  return withoutBranchNoise(errors).map((error) => {
    if (error.keyword === "required") {
      const missing = `"${String((error.params as { missingProperty: string }).missingProperty)}" wasn't supplied.`;
      const place = schemaPlace(error.instancePath, root);
      return place ? `For '${place}', ${missing}` : missing;
    }
    return `For '${schemaPlace(error.instancePath, root) || "body"}', ${describe(error, valueAt(data, error.instancePath))}`;
  });
}

/** One line per mismatch of a response body, with ajv's own wording and the JSON path. */
export function responseProblems(errors: readonly ErrorObject[]): string[] {
  return withoutBranchNoise(errors).map((error) => {
    const detail = error.keyword === "required" ? "" : ` ${JSON.stringify(error.params)}`;
    return `${error.instancePath || "(root)"} ${error.message ?? "is invalid"}${detail}`;
  });
}
