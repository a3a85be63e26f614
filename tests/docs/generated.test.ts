import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/handlers/commands/registry.js";
import { COMMAND_NAMES } from "../../src/domain/commands/names.js";
import { FORM_FIELDS } from "../../src/domain/task/form.js";
import { DEFAULT_TYPES, PRIORITIES } from "../../src/domain/task/model.js";
import { generateReadme } from "../../scripts/docs-lib.js";
import { staleActionFiles } from "../../scripts/build-action.js";

describe("generated and shipped files", () => {
  it("README's commands table and configuration reference match the code (run `npm run docs`)", () => {
    const readme = readFileSync("README.md", "utf8");
    expect(generateReadme(readme)).toBe(readme);
  });

  it("the command registry and the list of command names agree", () => {
    expect(COMMANDS.map((spec) => spec.name).sort()).toEqual([...COMMAND_NAMES].sort());
  });

  it("the task issue form asks what Orkestra reads, with the values it knows", () => {
    const form = parse(readFileSync(".github/ISSUE_TEMPLATE/task.yml", "utf8")) as {
      labels: string[];
      body: { type: string; attributes: { label?: string; options?: string[] } }[];
    };
    const labels = form.body.map((field) => field.attributes.label).filter(Boolean);
    expect(labels).toEqual(Object.values(FORM_FIELDS));
    const options = (label: string) => form.body.find((field) => field.attributes.label === label)?.attributes.options;
    expect(options(FORM_FIELDS.type)).toEqual([...DEFAULT_TYPES]);
    expect(options(FORM_FIELDS.priority)).toEqual([...PRIORITIES]);
    expect(form.labels).toEqual(["orkestra:task"]);
  });

  it("action.yml runs the committed bundle on node24", () => {
    const action = parse(readFileSync("action.yml", "utf8")) as { runs: { using: string; main: string } };
    expect(action.runs).toEqual({ using: "node24", main: "dist/index.js" });
  });

  it("dist/index.js holds no module of tools/ (sandbox, demo, scripted agents)", () => {
    // esbuild names every bundled module in a `// path` comment.
    const modules = readFileSync("dist/index.js", "utf8").match(/^\/\/ \S+\.ts$/gm) ?? [];
    expect(modules.length).toBeGreaterThan(100);
    expect(modules.filter((line) => !line.startsWith("// src/"))).toEqual([]);
  });

  it("dist/index.js carries no scripted agent's answers", () => {
    expect(readFileSync("dist/index.js", "utf8")).not.toContain("[scripted]");
  });

  it("dist/index.js and its third-party notices dist/licenses.txt are built from the current sources (run `npm run build:action`)", async () => {
    expect(await staleActionFiles()).toEqual([]);
  }, 60_000);
});
