import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { ACTION_INPUTS, ACTION_OUTPUTS, KEY_INPUTS, eventOutputs, inputsOf } from "../../src/action/surface.js";
import { KEY_ENV, resolveAgentSpecs } from "../../src/agents/index.js";
import { configSchema } from "../../src/config/schema.js";
import { emptyReport } from "../../src/runtime/context.js";

/*
 * The Action's surface is written down three times: action.yml (what a runner passes), the lists in
 * src/action/surface.ts (what the code reads and sets) and the README's tables (what people read).
 * These tests fail as soon as one of them changes alone.
 */

interface ActionYml {
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { description: string }>;
}

const action = parse(readFileSync("action.yml", "utf8")) as ActionYml;
const sorted = (names: Iterable<string>) => [...names].sort();

/** The rows of the README's table whose header starts `| <first> |`: names (backticked) of the first cell, and the cells. */
function readmeTable(first: string): { names: string[]; cells: string[] }[] {
  const lines = readFileSync("README.md", "utf8").split("\n");
  const start = lines.findIndex((line) => line.startsWith(`| ${first} |`));
  expect(start, `README.md has a table headed "| ${first} |"`).toBeGreaterThanOrEqual(0);
  const rows: { names: string[]; cells: string[] }[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith("|")) break;
    const cells = line
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((cell) => cell.trim());
    rows.push({ names: [...(cells[0] ?? "").matchAll(/`([^`]+)`/g)].map((match) => match[1]!), cells });
  }
  return rows;
}

/** Every string literal in src/action's code. */
function literalsInSrcAction(): Set<string> {
  const files = readdirSync("src/action", { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".ts"));
  const text = files.map((file) => readFileSync(join("src/action", file), "utf8")).join("\n");
  return new Set([...text.matchAll(/"([a-z][a-z0-9-]*)"/g)].map((match) => match[1]!));
}

describe("the Action's inputs", () => {
  it("are the ones action.yml declares, no more, no fewer", () => {
    expect(sorted(ACTION_INPUTS)).toEqual(sorted(Object.keys(action.inputs)));
  });

  it("are read only by name from that list: reading any other input is an error", () => {
    const input = inputsOf({ "INPUT_CONFIG-PATH": " docs/orkestra.yml ", INPUT_MODE: "event" });
    expect(input("config-path")).toBe("docs/orkestra.yml");
    expect(input("mode")).toBe("event");
    expect(() => input("config_path")).toThrow("the Action reads an input action.yml does not declare: config_path");
  });

  it("are each read somewhere in src/action", () => {
    const literals = literalsInSrcAction();
    // The worker's dispatch inputs are read in a loop over their names (worker/inputs.ts).
    expect(ACTION_INPUTS.filter((name) => !literals.has(name))).toEqual([]);
  });

  it("are each in the README's inputs table once, with action.yml's default", () => {
    const rows = readmeTable("Input");
    const named = rows.flatMap((row) => row.names);
    expect(sorted(named)).toEqual(sorted(Object.keys(action.inputs)));
    for (const row of rows) {
      for (const name of row.names) {
        const fallback = action.inputs[name]?.default;
        expect(row.cells[1], `the README's default for \`${name}\``).toBe(fallback === undefined ? "—" : `\`${fallback}\``);
      }
    }
  });

  it("`config-path` defaults to where the App and the CLI read the configuration", () => {
    expect(action.inputs["config-path"]?.default).toBe(".github/orkestra.yml");
  });
});

describe("the agents' keys", () => {
  it("have one input each, for the variable the agents read, and every `*-api-key` input is one of them", () => {
    const specs = resolveAgentSpecs(configSchema.parse({}).agents);
    const keyed = specs.filter((spec) => (KEY_ENV[spec.provider] ?? []).length > 0);
    expect(keyed.map((spec) => spec.name).sort()).toEqual(["chatgpt", "claude", "copilot", "gemini", "grok"]);
    for (const spec of keyed) {
      const variable = KEY_ENV[spec.provider][0]!;
      const input = Object.entries(KEY_INPUTS).find(([, name]) => name === variable)?.[0];
      expect(input, `an input for ${variable} (${spec.name})`).toBeDefined();
      // action.yml says which agent the key turns on.
      expect(action.inputs[input!]?.description).toContain(`\`${spec.name}\``);
    }
    const keyInputs = Object.keys(action.inputs).filter((name) => name.endsWith("-api-key") || name === "copilot-github-token");
    expect(sorted(keyInputs)).toEqual(sorted(Object.keys(KEY_INPUTS)));
    expect(sorted(Object.values(KEY_INPUTS))).toEqual(sorted(Object.values(KEY_ENV).map((names) => names[0]).filter((name) => name !== undefined)));
  });
});

describe("the Action's outputs", () => {
  it("are the ones action.yml declares", () => {
    expect(sorted(ACTION_OUTPUTS)).toEqual(sorted(Object.keys(action.outputs)));
  });

  it("of `mode: event` are all set on every run, and each worker output is set by the worker steps", () => {
    const event = Object.keys(eventOutputs(emptyReport()));
    expect(event.every((name) => ACTION_OUTPUTS.includes(name))).toBe(true);
    const steps = readFileSync("src/action/worker/steps.ts", "utf8");
    const worker = ACTION_OUTPUTS.filter((name) => !event.includes(name));
    expect(worker.filter((name) => !steps.includes(`"${name}"`) && !new RegExp(`[{,]\\s*${name}[:,]`).test(steps))).toEqual([]);
    expect(sorted([...event, ...worker])).toEqual(sorted(Object.keys(action.outputs)));
  });

  it("are each in the README's outputs table once", () => {
    expect(sorted(readmeTable("Output").flatMap((row) => row.names))).toEqual(sorted(Object.keys(action.outputs)));
  });
});

describe("`mode: event`'s outputs", () => {
  it("say how the run went", () => {
    expect(eventOutputs(emptyReport())).toEqual({ result: "nothing-to-do", actions: "0", errors: "[]", dashboard: "", "ledger-head": "" });
    const wrote = { ...emptyReport(), actions: ["#1: add labels a", "#1: post a comment"], ledger: { appended: 2, head: "abc123" }, dashboard: 7 };
    expect(eventOutputs(wrote)).toEqual({ result: "ok", actions: "2", errors: "[]", dashboard: "7", "ledger-head": "abc123" });
    const invalid = { ...emptyReport(), configErrors: [{ path: "agents.claude", message: "unknown key", line: 3 }] };
    expect(eventOutputs(invalid)).toMatchObject({ result: "config-error", errors: JSON.stringify(["line 3: agents.claude: unknown key"]) });
    const failed = { ...wrote, errors: ["#1: GitHub API: … (403)"], ledger: { failed: "ledger: could not append" } };
    expect(eventOutputs(failed)).toEqual({ result: "error", actions: "2", errors: JSON.stringify(["#1: GitHub API: … (403)"]), dashboard: "7", "ledger-head": "" });
  });
});
