/**
 * The `agents:`, `budgets:` and `prices:` sections of `.github/orkestra.yml`.
 *
 * Secrets never live here: an agent names the environment variable that holds its key
 * (`apiKeyEnv`) and the key itself comes from the environment or the Action's secrets.
 */
import { z } from "zod";

export const PROVIDERS = [
  "anthropic",
  "openai",
  "gemini",
  "xai",
  "copilot",
  "openai-compatible",
  "scripted",
] as const;
export type ProviderKind = (typeof PROVIDERS)[number];

export const BUILTIN_AGENT_NAMES = ["claude", "chatgpt", "gemini", "grok", "copilot"] as const;

const AGENT_NAME = /^[a-z][a-z0-9-]{0,38}$/;
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name such as OLLAMA_API_KEY");

const agentBudgetSchema = z
  .object({
    maxTokensPerRun: z
      .number().int().positive().nullable().default(null)
      .describe("Most tokens (input + output) this agent may use in one run; null uses budgets.perAgent.maxTokens."),
    maxCostUsdPerRun: z
      .number().positive().nullable().default(null)
      .describe("Most estimated USD this agent may spend in one run; null uses budgets.perAgent.maxCostUsd."),
    maxCostUsdPerDay: z
      .number().positive().nullable().default(null)
      .describe("Most estimated USD this agent may spend per UTC day across runs; null means only the global budgets.perDay applies."),
  })
  .strict()
  .prefault({})
  .describe("This agent's own spending caps, on top of the global budgets.");

const scriptedBehaviourSchema = z
  .object({
    delayMs: z.number().int().min(0).default(0).describe("Milliseconds the scripted agent waits before answering (use more than timeoutMs to simulate a timeout)."),
    failures: z.number().int().min(0).default(0).describe("The first N attempts fail like a provider outage (HTTP 503)."),
    invalidOutputs: z.number().int().min(0).default(0).describe("The first N answers do not match the requested schema (a large number means always)."),
    refuse: z.boolean().default(false).describe("Every answer is a refusal."),
  })
  .strict()
  .prefault({})
  .describe("Only for provider `scripted` (Orkestra's demo and tests; off in a real installation): simulated latency and failures.");

interface AgentDefaults {
  provider: ProviderKind;
  model: string;
  timeoutMs: number;
  enabled?: boolean;
}

/** Keys every agent has; `defaults` fills them for a built-in agent. */
function commonAgentFields(d: AgentDefaults) {
  return {
    enabled: z
      .boolean().default(d.enabled ?? true)
      .describe("Whether this agent takes part. An enabled agent whose key is missing is switched off with a notice, not an error."),
    model: z.string().min(1).default(d.model).describe("Model name sent to the provider."),
    baseUrl: z
      .url().nullable().default(null)
      .describe("Provider endpoint; null uses the provider's official URL. Point it at a proxy, a gateway or a local server."),
    apiKeyEnv: envName
      .nullable().default(null)
      .describe("Name of the environment variable (or Action secret) holding this agent's key; null uses the provider's standard variable. Keys are never written in this file."),
    specialties: z
      .array(z.string().min(1)).default([])
      .describe("Task types or labels this agent is good at (e.g. review, docs, type:bug); assignment prefers agents whose specialties match."),
    weight: z.number().positive().default(1).describe("Weight of this agent's vote in weighted votes."),
    budget: agentBudgetSchema,
    timeoutMs: z
      .number().int().min(1).default(d.timeoutMs)
      .describe("Time limit for one attempt, in milliseconds; a slower attempt counts as a timeout and may be retried."),
    maxOutputTokens: z
      .number().int().min(1).default(2048)
      .describe("Most tokens the agent may write per answer (also capped by budgets.perCall.maxOutputTokens)."),
    maxRetries: z
      .number().int().min(0).max(10).default(2)
      .describe("Retries after a rate limit (429), a server error (5xx) or a timeout, with exponential backoff that honours retry-after."),
  };
}

function builtinAgentSchema(d: AgentDefaults, description: string) {
  return z
    .object({ provider: z.literal(d.provider).default(d.provider).describe("Fixed for this built-in agent."), ...commonAgentFields(d) })
    .strict()
    .prefault({})
    .describe(description);
}

// The CLI finds its own endpoint: a base URL has no meaning for it.
const { baseUrl: _noBaseUrl, ...copilotFields } = commonAgentFields({ provider: "copilot", model: "default", timeoutMs: 300_000 });

const copilotAgentSchema = z
  .object({
    provider: z.literal("copilot").default("copilot").describe("Fixed for this built-in agent."),
    ...copilotFields,
    model: z
      .string().min(1).default("default")
      .describe("Copilot CLI model (--model), e.g. claude-haiku-4.5 or gpt-5.4; `default` keeps the CLI's own choice."),
    command: z.string().min(1).default("copilot").describe("The Copilot CLI executable (installed with `npm install -g @github/copilot`)."),
    extraArgs: z.array(z.string()).default([]).describe("Extra arguments passed to every Copilot CLI run."),
    workerAllowTools: z
      .array(z.string().min(1)).default(["write", "shell(git status)", "shell(git diff)", "shell(git add)", "shell(git commit)"])
      .describe("Tools the Copilot worker may use in a checkout (Copilot CLI --allow-tool syntax). Structured calls get no tools at all."),
    workerDenyTools: z
      .array(z.string().min(1)).default(["shell(git push)", "url"])
      .describe("Tools the Copilot worker may never use (Copilot CLI --deny-tool syntax); deny wins over allow."),
  })
  .strict()
  .prefault({})
  .describe(
    "GitHub Copilot through the Copilot CLI, run headless (`copilot -p`). On when COPILOT_GITHUB_TOKEN (a fine-grained PAT with the Copilot Requests permission, or set apiKeyEnv: GITHUB_TOKEN in a workflow granted `copilot-requests: write`) is present and the CLI is installed. `model: default` keeps the CLI's own model.",
  );

const customAgentSchema = z
  .object({
    provider: z.enum(PROVIDERS).describe("Which API the agent talks to; `openai-compatible` takes any base URL (Ollama, vLLM, Azure, a company proxy)."),
    ...commonAgentFields({ provider: "openai-compatible", model: "", timeoutMs: 60_000 }),
    model: z.string().min(1).describe("Model name sent to the provider (required)."),
    command: z.string().min(1).nullable().default(null).describe("Only for provider `copilot`: the CLI executable."),
    scripted: scriptedBehaviourSchema,
  })
  .strict()
  .superRefine((agent, ctx) => {
    if (agent.provider === "openai-compatible" && !agent.baseUrl) {
      ctx.addIssue({ code: "custom", path: ["baseUrl"], message: "provider openai-compatible needs a baseUrl" });
    }
    if (agent.baseUrl && (agent.provider === "copilot" || agent.provider === "scripted")) {
      ctx.addIssue({ code: "custom", path: ["baseUrl"], message: `provider ${agent.provider} has no base URL` });
    }
    if (agent.command !== null && agent.provider !== "copilot") {
      ctx.addIssue({ code: "custom", path: ["command"], message: "command only applies to provider copilot" });
    }
  });

const resilienceSchema = z
  .object({
    concurrencyPerProvider: z.number().int().min(1).default(4).describe("Calls in flight at once per provider endpoint; more wait in a queue."),
    queuePerProvider: z.number().int().min(0).default(100).describe("Calls that may wait for a free slot per provider endpoint; beyond that a call fails at once."),
    breakerThreshold: z.number().int().min(1).default(3).describe("Consecutive failed calls after which an agent is marked degraded and skipped."),
    breakerCooldownMs: z.number().int().min(0).default(60_000).describe("How long a degraded agent is skipped before one trial call may test it again."),
    retryInitialDelayMs: z.number().int().min(0).default(500).describe("First backoff delay before a retry, in milliseconds (grows exponentially, with jitter)."),
    retryMaxDelayMs: z.number().int().min(0).default(20_000).describe("Longest backoff delay between retries, in milliseconds."),
    maxRetryAfterMs: z.number().int().min(0).default(60_000).describe("Longest wait honoured from a provider's retry-after; a longer demand gives up instead."),
  })
  .strict()
  .prefault({})
  .describe("Timeouts, retries, concurrency limits and the circuit breaker shared by all agents.");

export const agentsConfigSchema = z
  .object({
    claude: builtinAgentSchema({ provider: "anthropic", model: "claude-sonnet-5", timeoutMs: 90_000 }, "Anthropic Claude. On when ANTHROPIC_API_KEY is present."),
    chatgpt: builtinAgentSchema({ provider: "openai", model: "gpt-5.4-mini", timeoutMs: 90_000 }, "OpenAI ChatGPT. On when OPENAI_API_KEY is present."),
    gemini: builtinAgentSchema({ provider: "gemini", model: "gemini-3.5-flash", timeoutMs: 90_000 }, "Google Gemini. On when GEMINI_API_KEY (or GOOGLE_API_KEY) is present."),
    grok: builtinAgentSchema({ provider: "xai", model: "grok-4.3", timeoutMs: 90_000 }, "xAI Grok. On when XAI_API_KEY is present."),
    copilot: copilotAgentSchema,
    custom: z
      .record(z.string(), customAgentSchema)
      .default({})
      .superRefine((custom, ctx) => {
        for (const name of Object.keys(custom)) {
          if ((BUILTIN_AGENT_NAMES as readonly string[]).includes(name)) {
            ctx.addIssue({ code: "custom", path: [name], message: `custom agents cannot reuse the built-in name ${name}; configure agents.${name} instead` });
          } else if (!AGENT_NAME.test(name)) {
            ctx.addIssue({ code: "custom", path: [name], message: `agent name "${name}" must be lowercase letters, digits and '-', starting with a letter (it becomes the label agent:<name>)` });
          }
        }
      })
      .describe("More agents by name, e.g. a local model behind Ollama (provider openai-compatible) or an offline scripted agent for demos."),
    resilience: resilienceSchema,
  })
  .strict()
  .prefault({})
  .describe("The AI agents Orkestra may call, and how calls to them are limited.");

const capPair = (tokens: number, usd: number, scope: string) =>
  z
    .object({
      maxTokens: z.number().int().positive().default(tokens).describe(`Most tokens (input + output) ${scope}.`),
      maxCostUsd: z.number().positive().default(usd).describe(`Most estimated USD ${scope}.`),
    })
    .strict()
    .prefault({});

export const budgetsConfigSchema = z
  .object({
    perCall: z
      .object({
        maxInputTokens: z.number().int().positive().default(60_000).describe("Largest prompt one call may send; bigger prompts are refused before any request."),
        maxOutputTokens: z.number().int().positive().default(4_096).describe("Most tokens one answer may contain, whatever the agent asks for."),
      })
      .strict()
      .prefault({})
      .describe("Limits on a single call."),
    perAgent: capPair(300_000, 2, "one agent may use in one run").describe("Default per-agent caps for one run (an agent's own budget overrides them)."),
    perRun: capPair(1_000_000, 5, "all agents together may use in one run").describe("Caps for one run (one webhook or one scheduled sweep)."),
    perDay: capPair(10_000_000, 25, "all agents together may use per UTC day, across runs").describe(
      "Daily caps, kept across runs in a usage store; when reached, further calls stop with a clear message until the next UTC day.",
    ),
  })
  .strict()
  .prefault({})
  .describe("Token and cost limits. Costs are estimates from the price table.");

const priceSchema = z
  .object({
    inputPerMTok: z.number().min(0).describe("USD per million input tokens."),
    outputPerMTok: z.number().min(0).describe("USD per million output tokens."),
  })
  .strict();

/** Estimates taken from the providers' public price lists in 2026; check them before relying on cost caps. */
export const DEFAULT_PRICES: Record<string, z.infer<typeof priceSchema>> = {
  "claude-sonnet-5": { inputPerMTok: 3, outputPerMTok: 15 },
  "claude-opus-5": { inputPerMTok: 5, outputPerMTok: 25 },
  "claude-haiku-4-5": { inputPerMTok: 1, outputPerMTok: 5 },
  "gpt-5.4-mini": { inputPerMTok: 0.75, outputPerMTok: 4.5 },
  "gpt-5.4": { inputPerMTok: 2.5, outputPerMTok: 15 },
  "gpt-5.5": { inputPerMTok: 5, outputPerMTok: 30 },
  "gemini-3.5-flash": { inputPerMTok: 1.5, outputPerMTok: 9 },
  "gemini-3.1-pro": { inputPerMTok: 2, outputPerMTok: 12 },
  "grok-4.3": { inputPerMTok: 1.25, outputPerMTok: 2.5 },
  scripted: { inputPerMTok: 0, outputPerMTok: 0 },
  "*": { inputPerMTok: 5, outputPerMTok: 25 },
};

export const pricesConfigSchema = z
  .record(z.string().min(1), priceSchema)
  .default(DEFAULT_PRICES)
  .describe(
    "Estimated prices by model name, merged over the built-in table (Claude, GPT, Gemini, Grok defaults). The `*` entry prices any model not listed, including Copilot (billed by GitHub through your plan) and local models (set them to 0).",
  );

export type AgentsConfig = z.infer<typeof agentsConfigSchema>;
export type BudgetsConfig = z.infer<typeof budgetsConfigSchema>;
export type PricesConfig = z.infer<typeof pricesConfigSchema>;
export type Price = z.infer<typeof priceSchema>;
export type ResilienceConfig = AgentsConfig["resilience"];
export type ScriptedBehaviour = z.infer<typeof scriptedBehaviourSchema>;
