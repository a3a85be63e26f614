import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatConfigErrors, parseConfig } from "../../src/config/load.js";
import { SCHEMA_MODELINE, SCHEMA_URL, configJsonSchema } from "../../src/config/json-schema.js";

function errorsOf(text: string) {
  const result = parseConfig(text);
  if (result.ok) throw new Error("expected errors");
  return result.errors;
}

describe("configuration", () => {
  it("no file gives the documented defaults", () => {
    const result = parseConfig(null);
    expect(result.ok && result.source).toBe("defaults");
    expect(result.ok && result.config.tasks).toEqual({
      from: "all",
      types: ["technical", "code-review", "content", "research"],
      defaultType: "technical",
      defaultPriority: "medium",
      maxDependencies: 20,
    });
  });

  it("an empty file is valid and equals the defaults", () => {
    const empty = parseConfig("");
    const none = parseConfig(null);
    expect(empty.ok && none.ok && empty.config).toEqual(none.ok && none.config);
  });

  it("reports malformed YAML with its line", () => {
    const [error] = errorsOf("tasks:\n  from: [all\n");
    expect(error?.message).toMatch(/^YAML syntax/);
    expect(error?.line).toBeGreaterThanOrEqual(2);
  });

  it("reports an unknown key at its line with a suggestion", () => {
    const errors = errorsOf("tasks:\n  from: all\n  defualtType: research\n");
    expect(errors).toEqual([
      { path: "tasks.defualtType", message: "unknown key `defualtType` — did you mean `defaultType`?", line: 3, column: 3 },
    ]);
  });

  it("lists the known keys when nothing is close", () => {
    const [error] = errorsOf("zzz: 1\n");
    expect(error?.message).toContain("known keys: tasks, labels, commands, agents, budgets, prices, assignment, sweep, voting, review, execution, autonomy, planning, dashboard, maintainers");
  });

  it("reports a wrong type at the value's line", () => {
    const [error] = errorsOf("tasks:\n  maxDependencies: lots\n");
    expect(error).toMatchObject({ path: "tasks.maxDependencies", line: 2 });
    expect(error?.message).toMatch(/number/);
  });

  it("refuses a plan bigger than the dependencies an epic may have", () => {
    const [error] = errorsOf("tasks:\n  maxDependencies: 10\nplanning:\n  maxItems: 12\n");
    expect(error).toMatchObject({ path: "planning.maxItems" });
    expect(error?.message).toContain("tasks.maxDependencies (10)");
  });

  it("checks values across sections", () => {
    const errors = errorsOf("tasks:\n  defaultType: design\nlabels:\n  type:\n    bogus: { color: '0e8a16' }\n");
    expect(errors.map((error) => error.path)).toEqual(["tasks.defaultType", "labels.type.bogus"]);
  });

  it("formats errors for people with file and line", () => {
    expect(formatConfigErrors(errorsOf("tasks: 3\n"))).toMatch(/^- \.github\/orkestra\.yml line 1 — `tasks`: /);
  });

  it("accepts a full example", () => {
    const result = parseConfig(readFileSync("examples/orkestra.yml", "utf8"));
    expect(result.ok ? "ok" : formatConfigErrors(result.errors)).toBe("ok");
  });

  it("the committed JSON Schema matches the zod schema (run `npm run schema` after changing it)", () => {
    const committed: unknown = JSON.parse(readFileSync("schema/orkestra.schema.json", "utf8"));
    expect(committed).toEqual(configJsonSchema());
  });

  it("the example names the schema where editors can fetch it: the committed file at the Action's major tag", () => {
    const [modeline] = readFileSync("examples/orkestra.yml", "utf8").split("\n");
    expect(modeline).toBe(SCHEMA_MODELINE);
    expect(configJsonSchema().$id).toBe(SCHEMA_URL);
    // raw.githubusercontent.com/<owner>/<repo>/<ref>/<path>: the path must be the committed schema's.
    const url = new URL(SCHEMA_URL);
    expect(url.host).toBe("raw.githubusercontent.com");
    const [, , , ref, ...path] = url.pathname.split("/");
    expect(ref).toBe("v1");
    expect(path.join("/")).toBe("schema/orkestra.schema.json");
    expect(existsSync(path.join("/"))).toBe(true);
  });
});
