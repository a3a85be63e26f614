/** Shared test setup: fast, deterministic timings and a roster built from a partial config. */
import { z } from "zod";
import { agentsConfigSchema, budgetsConfigSchema, type AgentsConfig, type BudgetsConfig } from "../../src/config/agents.js";
import { fixedClock } from "../../tools/fixed-clock.js";
import { scriptedProvider } from "../../tools/scripted/index.js";
import { createAgents, type AgentRoster, type CreateAgentsOptions } from "../../src/agents/index.js";
import type { Logger } from "../../src/shared/logger.js";

/** Tiny backoffs so retries take milliseconds; retry-after up to 50 ms is honoured. */
const FAST_RESILIENCE = {
  retryInitialDelayMs: 1,
  retryMaxDelayMs: 2,
  maxRetryAfterMs: 50,
  breakerThreshold: 3,
  breakerCooldownMs: 60_000,
};

/** Everything off except what the test switches on. */
export function config(agents: Record<string, unknown>, resilience: Record<string, unknown> = {}): AgentsConfig {
  const off = { claude: { enabled: false }, chatgpt: { enabled: false }, gemini: { enabled: false }, grok: { enabled: false }, copilot: { enabled: false } };
  return agentsConfigSchema.parse({ ...off, ...agents, resilience: { ...FAST_RESILIENCE, ...resilience } });
}

export function budgets(overrides: Record<string, unknown> = {}): BudgetsConfig {
  return budgetsConfigSchema.parse(overrides);
}

interface RecordingLogger extends Logger {
  lines: string[];
}

export function recordingLogger(): RecordingLogger {
  const lines: string[] = [];
  const push = (level: string) => (m: string) => void lines.push(`${level} ${m}`);
  return { lines, debug: push("debug"), info: push("info"), warn: push("warn"), error: push("error") };
}

export function roster(opts: Partial<CreateAgentsOptions> & { config: AgentsConfig; env?: CreateAgentsOptions["env"] }): AgentRoster {
  return createAgents({ clock: fixedClock("2026-11-21T10:00:00Z"), boundarySeed: "test", env: {}, scripted: scriptedProvider({ defaults: false }), ...opts });
}

/** A small review-shaped answer schema used across provider tests. */
export const reviewSchema = z.object({
  verdict: z.enum(["approve", "request-changes", "comment"]),
  summary: z.string(),
  confidence: z.number().min(0).max(1),
});
type Review = z.infer<typeof reviewSchema>;

export const goodReview: Review = { verdict: "comment", summary: "Looks reasonable; add a test for the empty case.", confidence: 0.7 };

export function reviewCall(body = "Please fix the crash when the list is empty.") {
  return {
    task: "review",
    instructions: "Review the pull request described in the data and give a verdict.",
    data: [{ label: "pull request body", content: body }],
    schema: reviewSchema,
  };
}
