// Writes tools/sandbox/openapi/github-subset.json: the operations of GitHub's REST OpenAPI description
// that the sandbox serves (taken from its route table, so the two never drift), with only the
// component schemas they reference and without descriptions or examples.
//
//   npx tsx scripts/openapi-subset.ts
//
// @octokit/openapi is ~385 MB unpacked, so it is not a dependency: the pinned version is fetched
// with `npm pack` into a temporary directory and only its api.github.com.json is read.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { coreRoutes } from "../tools/sandbox/routes/index.js";

/** The version @octokit/openapi-types 29.0.1 (installed) was generated from. */
const OPENAPI_VERSION = "23.0.1";
const MEMBER = "package/generated/api.github.com.json";
const OUTPUT = "tools/sandbox/openapi/github-subset.json";
/**
 * Keys that document rather than constrain, dropped everywhere with every `x-` extension
 * (`discriminator` only names the branch a `oneOf` checks anyway). Operations keep their
 * documentation URL: GitHub's error bodies link to it.
 */
const DROPPED_KEYS = new Set(["description", "summary", "example", "examples", "externalDocs", "tags", "title", "deprecated", "discriminator"]);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface Description {
  openapi: string;
  info: JsonObject;
  paths: Record<string, Record<string, JsonObject>>;
  components: Record<string, Record<string, Json>>;
}

function fetchDescription(): Description {
  const dir = mkdtempSync(join(tmpdir(), "octokit-openapi-"));
  try {
    const packed = execFileSync("npm", ["pack", `@octokit/openapi@${OPENAPI_VERSION}`, "--silent", "--pack-destination", dir], {
      encoding: "utf8",
    }).trim();
    const tarball = join(dir, packed.split("\n").pop()!);
    execFileSync("tar", ["-xzf", tarball, "-C", dir, MEMBER]);
    return JSON.parse(readFileSync(join(dir, MEMBER), "utf8")) as Description;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Follows a local `#/components/<kind>/<name>` reference. */
function resolveRef(description: Description, ref: string): Json {
  const [, , kind, name] = ref.split("/");
  const target = description.components[kind!]?.[name!];
  if (target === undefined) throw new Error(`unresolved reference ${ref}`);
  return target;
}

/**
 * Copies `value` without documentation keys. Parameter, response and request-body references are
 * inlined (the validator reads operations directly); schema references are kept and collected.
 */
function prune(description: Description, value: Json, schemas: Set<string>): Json {
  if (Array.isArray(value)) return value.map((item) => prune(description, item, schemas));
  if (value === null || typeof value !== "object") return value;
  const ref = value.$ref;
  if (typeof ref === "string") {
    if (ref.startsWith("#/components/schemas/")) {
      schemas.add(ref.slice("#/components/schemas/".length));
      return { $ref: ref };
    }
    return prune(description, resolveRef(description, ref), schemas);
  }
  const copy: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    if (DROPPED_KEYS.has(key) || key.startsWith("x-")) continue;
    // `properties` maps names to schemas, and a property may well be called "description".
    copy[key] = key === "properties" ? pruneProperties(description, child, schemas) : prune(description, child, schemas);
  }
  return copy;
}

function pruneProperties(description: Description, properties: Json, schemas: Set<string>): Json {
  if (properties === null || typeof properties !== "object" || Array.isArray(properties)) return properties;
  return Object.fromEntries(Object.entries(properties).map(([name, schema]) => [name, prune(description, schema, schemas)]));
}

function build(description: Description): JsonObject {
  const schemas = new Set<string>();
  const paths: Record<string, Record<string, Json>> = {};
  const missing: string[] = [];
  for (const route of coreRoutes) {
    if (route.openapi === false) continue;
    const operation = description.paths[route.path]?.[route.method.toLowerCase()];
    if (!operation) {
      missing.push(`${route.method} ${route.path}`);
      continue;
    }
    const docs = (operation.externalDocs as JsonObject | undefined)?.url;
    const pruned = prune(description, operation, schemas) as JsonObject;
    (paths[route.path] ??= {})[route.method.toLowerCase()] = docs === undefined ? pruned : { ...pruned, externalDocs: { url: docs } };
  }
  if (missing.length > 0) throw new Error(`routes not in the description:\n  ${missing.join("\n  ")}`);

  // Referenced schemas reference more schemas: collect until nothing new turns up.
  const kept: Record<string, Json> = {};
  for (let pending = [...schemas]; pending.length > 0; pending = [...schemas].filter((name) => !(name in kept))) {
    for (const name of pending) kept[name] = prune(description, resolveRef(description, `#/components/schemas/${name}`), schemas);
  }
  const sortedPaths = Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b)));
  const sortedSchemas = Object.fromEntries(Object.entries(kept).sort(([a], [b]) => a.localeCompare(b)));
  return {
    openapi: description.openapi,
    info: {
      title: "GitHub v3 REST API (subset served by the Orkestra sandbox)",
      version: description.info.version as string,
      "x-source": `@octokit/openapi@${OPENAPI_VERSION} ${MEMBER.replace("package/", "")}`,
      "x-generated-by": "scripts/openapi-subset.ts",
    },
    paths: sortedPaths,
    components: { schemas: sortedSchemas },
  };
}

const subset = build(fetchDescription());
const text = `${JSON.stringify(subset, null, 1)}\n`;
writeFileSync(OUTPUT, text);
const operations = Object.values(subset.paths as JsonObject).reduce<number>((n, methods) => n + Object.keys(methods as JsonObject).length, 0);
console.log(`wrote ${OUTPUT}: ${operations} operations, ${Object.keys((subset.components as JsonObject).schemas as JsonObject).length} schemas, ${(Buffer.byteLength(text) / 1024).toFixed(0)} KiB`);
