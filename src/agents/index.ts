/** The agents layer: the only code that talks to LLMs. See docs/agents.md. */
export type {
  Agent,
  AgentCall,
  
  
  
  AgentResult,
  
  DataBlock,
  
  
  Usage,
} from "./types.js";
export { createHealthBook, degradedNote } from "./agent.js";
export { createAgents, resolveAgentSpecs, KEY_ENV, type AgentRoster, type ScriptedProvider, type CreateAgentsOptions, type Env } from "./registry.js";
export { BudgetLedger, InMemoryUsageStore, priceFor, costUsd, previousDay, type DayUsage, type PersistedHealth, type SharedDayBudget, type Spend, type UsageStore } from "./budget.js";
;
export { parseStructured } from "./output.js";
export { boundaryGenerator, systemPrompt, userPrompt } from "./prompt.js";
export { ToolError, defineTool, type AgentTool } from "./tools.js";
export { createRedactor,  } from "./redact.js";
