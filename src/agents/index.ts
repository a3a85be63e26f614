/** The agents layer: the only code that talks to LLMs. See docs/agents.md. */
export type {
  Agent,
  AgentCall,
  AgentError,
  AgentErrorKind,
  AgentHealth,
  AgentResult,
  AgentSpec,
  DataBlock,
  DisabledAgent,
  ProviderKind,
  Usage,
} from "./types.js";
export { createHealthBook, type AgentHealthBook } from "./agent.js";
export { createAgents, resolveAgentSpecs, KEY_ENV, type AgentRoster, type ScriptedProvider, type CreateAgentsOptions, type Env } from "./registry.js";
export { BudgetLedger, InMemoryUsageStore, priceFor, costUsd, utcDay, type DayUsage, type Spend, type UsageStore } from "./budget.js";
export type { CopilotWorker, CopilotWorkRequest, CopilotWorkResult } from "./providers/copilot-cli.js";
export { parseStructured } from "./output.js";
export { createRedactor, type Redactor } from "./redact.js";
