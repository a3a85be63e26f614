/** The `agents:`, `budgets:` and `prices:` configuration sections. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { agentsConfigSchema, budgetsConfigSchema, pricesConfigSchema } from "../../src/config/agents.js";
import { resolveAgentSpecs } from "../../src/agents/index.js";

/** Every property of every object in a JSON Schema, with its path. */
function properties(schema: unknown, path = ""): Array<{ path: string; node: Record<string, unknown> }> {
  if (!schema || typeof schema !== "object") return [];
  const node = schema as Record<string, unknown>;
  const out: Array<{ path: string; node: Record<string, unknown> }> = [];
  for (const [key, child] of Object.entries((node.properties ?? {}) as Record<string, unknown>)) {
    out.push({ path: `${path}.${key}`, node: child as Record<string, unknown> }, ...properties(child, `${path}.${key}`));
  }
  for (const sub of [node.additionalProperties, node.items, ...((node.anyOf as unknown[]) ?? [])]) out.push(...properties(sub, `${path}[]`));
  return out;
}

describe("agents configuration", () => {
  it("gives the five product agents from an empty section, copilot through its CLI", () => {
    const parsed = agentsConfigSchema.parse(undefined);
    const specs = resolveAgentSpecs(parsed);
    expect(specs.map((s) => [s.name, s.provider, s.model])).toEqual([
      ["claude", "anthropic", "claude-sonnet-5"],
      ["chatgpt", "openai", "gpt-5.4-mini"],
      ["gemini", "gemini", "gemini-3.5-flash"],
      ["grok", "xai", "grok-4.3"],
      ["copilot", "copilot", "default"],
    ]);
    expect(specs.map((s) => s.keyEnv)).toEqual([["ANTHROPIC_API_KEY"], ["OPENAI_API_KEY"], ["GEMINI_API_KEY", "GOOGLE_API_KEY"], ["XAI_API_KEY"], ["COPILOT_GITHUB_TOKEN"]]);
    expect(specs.every((s) => s.enabled && s.weight === 1)).toBe(true);
    expect(specs[4]!.copilot?.workerDenyTools).toContain("shell(git push)");
  });

  it("describes every key, for the configuration reference", () => {
    for (const schema of [agentsConfigSchema, budgetsConfigSchema, pricesConfigSchema]) {
      const json = z.toJSONSchema(schema, { io: "input" });
      expect(json.description).toBeTruthy();
      const undocumented = properties(json).filter(({ node }) => !node.description).map(({ path }) => path);
      expect(undocumented).toEqual([]);
    }
  });

  it("documents every key in docs/agents.md", () => {
    const docs = readFileSync(new URL("../../docs/agents.md", import.meta.url), "utf8");
    for (const schema of [agentsConfigSchema, budgetsConfigSchema]) {
      const keys = new Set(properties(z.toJSONSchema(schema, { io: "input" })).map(({ path }) => path.split(".").at(-1)!));
      const missing = [...keys].filter((key) => !new RegExp(`[\`.]${key}[\`.]`).test(docs));
      expect(missing).toEqual([]);
    }
    expect(docs).toContain("## Configuration reference");
  });

  it("overrides built-ins field by field and adds custom agents", () => {
    const parsed = agentsConfigSchema.parse({
      claude: { model: "claude-opus-5", weight: 2, specialties: ["review", "type:security"] },
      chatgpt: { enabled: false },
      custom: { "local-llama": { provider: "openai-compatible", baseUrl: "http://localhost:11434/v1", model: "llama3.3", apiKeyEnv: "OLLAMA_API_KEY" } },
    });
    const specs = resolveAgentSpecs(parsed);
    expect(specs.find((s) => s.name === "claude")).toMatchObject({ model: "claude-opus-5", weight: 2, specialties: ["review", "type:security"], timeoutMs: 90_000 });
    expect(specs.find((s) => s.name === "chatgpt")?.enabled).toBe(false);
    expect(specs.find((s) => s.name === "local-llama")).toMatchObject({ provider: "openai-compatible", keyEnv: ["OLLAMA_API_KEY"], baseUrl: "http://localhost:11434/v1" });
  });

  it("rejects unknown keys, keys in the file, and custom agents that cannot work", () => {
    const issues = (input: unknown) => {
      const result = agentsConfigSchema.safeParse(input);
      return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    };
    expect(issues({ claude: { apiKey: "sk-ant-..." } }).join("\n")).toMatch(/apiKey/);
    expect(issues({ cluade: {} }).join("\n")).toMatch(/cluade/);
    expect(issues({ custom: { ollama: { provider: "openai-compatible", model: "llama3.3" } } })).toContain("custom.ollama.baseUrl: provider openai-compatible needs a baseUrl");
    expect(issues({ custom: { claude: { provider: "anthropic", model: "claude-opus-5" } } }).join("\n")).toMatch(/cannot reuse the built-in name claude/);
    expect(issues({ custom: { "Bad Name": { provider: "scripted", model: "scripted" } } }).join("\n")).toMatch(/lowercase/);
    expect(issues({ claude: { weight: 0 } }).join("\n")).toMatch(/weight/);
  });

  it("has budget and price defaults, and merges a partial price table over the built-in one", () => {
    expect(budgetsConfigSchema.parse(undefined)).toMatchObject({ perRun: { maxCostUsd: 5 }, perDay: { maxCostUsd: 25 }, perCall: { maxInputTokens: 60_000 } });
    const prices = pricesConfigSchema.parse({ "llama3.3": { inputPerMTok: 0, outputPerMTok: 0 } });
    expect(prices).toEqual({ "llama3.3": { inputPerMTok: 0, outputPerMTok: 0 } });
    expect(pricesConfigSchema.parse(undefined)["*"]).toEqual({ inputPerMTok: 5, outputPerMTok: 25 });
  });
});
