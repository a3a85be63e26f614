import { Ajv2020 } from "ajv/dist/2020.js";
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { reviewConfigSchema } from "../../src/config/review.js";
import type { ReviewConfig } from "../../src/config/review.js";
import type { FilterOptions } from "../../src/domain/review/filter.js";
import type { PolicyOptions } from "../../src/domain/review/policy.js";
import type { AgentSelectionSettings, TriggerSettings } from "../../src/domain/review/select.js";

describe("reviewConfigSchema", () => {
  it("turns an empty section into a full, safe configuration", () => {
    const config = reviewConfigSchema.parse({});
    expect(config).toEqual({
      enabled: true,
      events: ["opened", "synchronize", "reopened", "ready_for_review"],
      drafts: false,
      untrustedAuthors: "require-command",
      agents: { mode: "all", list: [], rules: [] },
      budget: { tokens: 100_000, reserveTokens: 8_000, perAgent: {} },
      exclude: { builtIn: true, paths: [], keep: [] },
      allowApprove: false,
      quorum: 1,
      noVerdictConclusion: "neutral",
      labels: { blocked: "review:blocked", needsClarification: "review:needs-clarification", approved: "", overlap: "conflict:overlap" },
      mergeReadiness: "agents",
      findings: { maxInline: 30, agreementWindow: 3 },
      overlap: { enabled: true, window: 3 },
    });
  });

  it("fills defaults inside a partly written section and rule", () => {
    const config = reviewConfigSchema.parse({ agents: { mode: "rules", rules: [{ agents: ["claude"] }] }, budget: { perAgent: { gemini: 900_000 } } });
    expect(config.agents.rules).toEqual([{ paths: ["**"], minChangedLines: 0, maxChangedLines: null, agents: ["claude"] }]);
    expect(config.budget).toEqual({ tokens: 100_000, reserveTokens: 8_000, perAgent: { gemini: 900_000 } });
  });

  it.each([
    ["an unknown key", { enabeld: true }, "enabeld"],
    ["an unknown nested key", { labels: { blockd: "x" } }, "blockd"],
    ["an unknown event", { events: ["closed"] }, "events"],
    ["the removed maintainers key (the top-level list is used)", { maintainers: ["octocat"] }, "maintainers"],
    ["a tiny budget", { budget: { tokens: 10 } }, "budget"],
    ["a rule without agents", { agents: { rules: [{ paths: ["src/**"] }] } }, "agents"],
  ])("rejects %s with a clear path", (_name, input, path) => {
    const result = reviewConfigSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(z.prettifyError(result.error!)).toContain(path);
  });

  it("describes every key (the README reference is generated from them)", () => {
    const schema = z.toJSONSchema(reviewConfigSchema, { io: "input" }) as unknown as Record<string, unknown>;
    const missing: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (!node || typeof node !== "object") return;
      const object = node as { properties?: Record<string, { description?: string }>; items?: unknown; additionalProperties?: unknown };
      for (const [key, child] of Object.entries(object.properties ?? {})) {
        if (!child.description) missing.push(`${path}.${key}`);
        walk(child, `${path}.${key}`);
      }
      walk(object.items, `${path}[]`);
    };
    walk(schema, "review");
    expect(missing).toEqual([]);
    expect(new Ajv2020({ strict: false }).compile(schema)({ agents: { mode: "list", list: ["claude"] } })).toBe(true);
  });

  it("feeds the domain functions without adaptation", () => {
    const config: ReviewConfig = reviewConfigSchema.parse({});
    const policy: PolicyOptions = { ...config, maintainers: ["octocat"] };
    const trigger: TriggerSettings = config;
    const agents: AgentSelectionSettings = config.agents;
    const exclude: FilterOptions = config.exclude;
    expect([policy.maintainers, trigger.drafts, agents.mode, exclude.builtIn]).toEqual([["octocat"], false, "all", true]);
  });
});
