/**
 * Builds the agents of a run from configuration and the environment: the enabled ones, plus a
 * clear list of those that are off and why (switched off, no key, CLI not installed). Keys are
 * read from the environment only, and every key found is registered with the redactor.
 */
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import {
  BUILTIN_AGENT_NAMES,
  budgetsConfigSchema,
  pricesConfigSchema,
  type AgentsConfig,
  type BudgetsConfig,
  type PricesConfig,
  type ProviderKind,
  type ScriptedBehaviour,
} from "../config/agents.js";
import { type Clock } from "../domain/clock.js";
import { systemClock } from "../shared/clock.js";
import { silentLogger, type Logger } from "../shared/logger.js";
import { createAgent, createHealthBook, type AgentHealthBook } from "./agent.js";
import { InMemoryUsageStore, type DayUsage, type SharedDayBudget, type Spend, type UsageStore } from "./budget.js";
import { boundaryGenerator } from "./prompt.js";
import type { ProviderClient, ToolChatClient } from "./provider.js";
import { ANTHROPIC_BASE_URL, createAnthropicClient, createAnthropicToolClient } from "./providers/anthropic.js";
import { createCopilotClient, createCopilotWorker, type CopilotCliOptions, type CopilotWorker } from "./providers/copilot-cli.js";
import { GEMINI_BASE_URL, createGeminiClient, createGeminiToolClient } from "./providers/gemini.js";
import { OPENAI_BASE_URL, XAI_BASE_URL, createOpenAIChatClient, createOpenAIChatToolClient } from "./providers/openai-chat.js";
import { createRedactor, redactingLogger, type Redactor } from "./redact.js";
import { AgentRuntime } from "./runtime.js";
import type { Agent, AgentSpec, DisabledAgent } from "./types.js";

export type Env = Record<string, string | undefined>;

/** Makes the client of a `provider: scripted` agent (see tools/scripted). */
export type ScriptedProvider = (agent: { name: string; behaviour: ScriptedBehaviour }) => ProviderClient;

/** Makes the tool-calling client (API mode) of a `provider: scripted` agent. */
type ScriptedToolsProvider = (agent: { name: string; behaviour: ScriptedBehaviour }) => ToolChatClient;

/** Standard key variables per provider, tried in order. */
export const KEY_ENV: Record<ProviderKind, string[]> = {
  anthropic: ["ANTHROPIC_API_KEY"],
  openai: ["OPENAI_API_KEY"],
  gemini: ["GEMINI_API_KEY", "GOOGLE_API_KEY"],
  xai: ["XAI_API_KEY"],
  copilot: ["COPILOT_GITHUB_TOKEN"],
  "openai-compatible": [],
  scripted: [],
};

const DEFAULT_SCRIPTED = { delayMs: 0, failures: 0, invalidOutputs: 0, refuse: false };

/** Flattens the `agents:` section into one spec per agent, built-ins first, in a stable order. */
export function resolveAgentSpecs(config: AgentsConfig): AgentSpec[] {
  const builtins = BUILTIN_AGENT_NAMES.map((name) => {
    const agent = config[name];
    return toSpec(name, agent, agent.provider === "copilot" ? config.copilot : undefined);
  });
  const custom = Object.entries(config.custom).map(([name, agent]) =>
    toSpec(name, agent, agent.provider === "copilot" ? { ...config.copilot, command: agent.command ?? config.copilot.command } : undefined),
  );
  return [...builtins, ...custom];
}

type AnyAgentConfig = AgentsConfig["claude"] | AgentsConfig["custom"][string] | AgentsConfig["copilot"];

function toSpec(name: string, agent: AnyAgentConfig, copilot: AgentsConfig["copilot"] | undefined): AgentSpec {
  return {
    name,
    provider: agent.provider,
    model: agent.model,
    baseUrl: "baseUrl" in agent ? agent.baseUrl : null,
    keyEnv: agent.apiKeyEnv ? [agent.apiKeyEnv] : KEY_ENV[agent.provider],
    enabled: agent.enabled,
    specialties: agent.specialties,
    weight: agent.weight,
    budget: agent.budget,
    timeoutMs: agent.timeoutMs,
    maxOutputTokens: agent.maxOutputTokens,
    maxRetries: agent.maxRetries,
    ...(copilot
      ? { copilot: { command: copilot.command, extraArgs: copilot.extraArgs, workerAllowTools: copilot.workerAllowTools, workerDenyTools: copilot.workerDenyTools } }
      : {}),
    ...(agent.provider === "scripted" ? { scripted: "scripted" in agent ? agent.scripted : DEFAULT_SCRIPTED } : {}),
  };
}

export interface CreateAgentsOptions {
  /** The parsed `agents:` section. */
  config: AgentsConfig;
  /** The parsed `budgets:` section (defaults when absent). */
  budgets?: BudgetsConfig;
  /** The parsed `prices:` section (defaults when absent). */
  prices?: PricesConfig;
  /** Where keys come from: process.env, or the Action's inputs and secrets mapped to these names. */
  env: Env;
  clock?: Clock;
  logger?: Logger;
  /** Replaces global fetch for the HTTP providers (tests, proxies). */
  fetch?: typeof fetch;
  /** Per-day usage across runs; in memory unless the caller brings a persistent one. */
  usageStore?: UsageStore;
  /** A daily cap shared with other repositories (the App's installation budget); none when absent. */
  sharedBudget?: SharedDayBudget;
  /** Agents' health shared across rosters (the app passes one per process); per roster when absent. */
  health?: AgentHealthBook;
  /** Makes data-block boundaries reproducible (tests, demo). */
  boundarySeed?: string;
  /**
   * The offline scripted provider, which only Orkestra's demo and tests bring: the product has
   * none, so without it a `provider: scripted` agent is off.
   */
  scripted?: ScriptedProvider;
  /**
   * The scripted provider's tool-calling client, for `agent.runToolLoop` (API mode) offline. Like
   * `scripted`, only the demo and tests bring one; without it a scripted agent's tool loop fails
   * as `unsupported`. Nothing else reads it.
   */
  scriptedTools?: ScriptedToolsProvider;
  /** Every enabled agent answers through `scripted`, keys or not (the demo). */
  offline?: boolean;
  /** Finds an executable; defaults to a PATH lookup. */
  which?: (command: string, env: Env) => string | null;
}

export interface AgentRoster {
  /** Enabled agents with what they need, in configuration order. */
  readonly agents: Agent[];
  /** Agents that are off, with the reason, for the run report. */
  readonly disabled: DisabledAgent[];
  /** Copilot agents that can also work in a checkout. */
  readonly workers: CopilotWorker[];
  /** Any configured agent by name; a disabled one answers every call with a `no-key`/`disabled` failure. */
  get(name: string): Agent | undefined;
  /** Tokens and estimated cost so far: this run per agent, and today across runs. */
  usage(): { run: { total: Spend; byAgent: Record<string, Spend> }; today: DayUsage };
  /** Today's spending across runs, read from the usage store if no call has read it yet. */
  today(): Promise<DayUsage>;
  /**
   * Loads today's record once (the same read as `today()` and the first call's budget check),
   * which seeds every agent's health from the persisted one: await it before reading
   * `agent.health()` when a decision depends on it (assignment).
   */
  loadHealth(): Promise<void>;
  /** Masks every key this roster knows; use it on anything agent-related you log or post. */
  readonly redact: Redactor;
}

export function createAgents(opts: CreateAgentsOptions): AgentRoster {
  const specs = resolveAgentSpecs(opts.config);
  const redact = createRedactor(secretValues(opts.env, specs));
  const clock = opts.clock ?? systemClock;
  const logger = redactingLogger(opts.logger ?? silentLogger, redact);
  const runtime = new AgentRuntime({
    budgets: opts.budgets ?? budgetsConfigSchema.parse(undefined),
    prices: opts.prices ?? pricesConfigSchema.parse(undefined),
    resilience: opts.config.resilience,
    clock,
    logger,
    redact,
    usageStore: opts.usageStore ?? new InMemoryUsageStore(),
    ...(opts.sharedBudget ? { sharedBudget: opts.sharedBudget } : {}),
    boundary: boundaryGenerator(opts.boundarySeed),
  });
  const which = opts.which ?? findExecutable;
  const health = opts.health ?? createHealthBook();

  const agents: Agent[] = [];
  const disabled: DisabledAgent[] = [];
  const workers: CopilotWorker[] = [];
  const stubs = new Map<string, Agent>();

  for (const declared of specs) {
    const spec = opts.offline && opts.scripted ? { ...declared, provider: "scripted" as const, model: "scripted", keyEnv: [], scripted: declared.scripted ?? DEFAULT_SCRIPTED } : declared;
    const off = whyOff(spec, opts.env, which, Boolean(opts.scripted));
    if (off) {
      disabled.push(off);
      stubs.set(spec.name, disabledAgent(spec, off));
      logger.info(`agents: ${off.message}`);
      continue;
    }
    const key = spec.keyEnv.map((name) => opts.env[name]).find((value) => value !== undefined && value !== "");
    const made = makeClient(spec, key, opts, clock);
    agents.push(createAgent(spec, made.client, runtime, health, made.tools ?? null));
    if (made.copilot) workers.push(createCopilotWorker(spec, made.copilot, runtime));
  }

  return {
    agents,
    disabled,
    workers,
    redact,
    get: (name) => agents.find((agent) => agent.name === name) ?? stubs.get(name),
    usage: () => ({ run: runtime.ledger.run(), today: runtime.ledger.today() }),
    today: async () => {
      await runtime.ensureDay();
      return runtime.ledger.today();
    },
    loadHealth: () => runtime.ensureDay(),
  };
}

function whyOff(spec: AgentSpec, env: Env, which: (command: string, env: Env) => string | null, scripted: boolean): DisabledAgent | null {
  const base = { name: spec.name, provider: spec.provider };
  if (!spec.enabled) return { ...base, reason: "disabled", message: `${spec.name} is switched off (agents.${spec.name}.enabled: false)` };
  if (spec.provider === "scripted" && !scripted) {
    return { ...base, reason: "not-installed", message: `${spec.name} is off: provider "scripted" answers only in Orkestra's demo and tests` };
  }
  if (spec.keyEnv.length > 0 && !spec.keyEnv.some((name) => env[name])) {
    return { ...base, reason: "no-key", message: `${spec.name} is off: no key in ${spec.keyEnv.join(" or ")}` };
  }
  if (spec.provider === "copilot" && !which(spec.copilot?.command ?? "copilot", env)) {
    return { ...base, reason: "not-installed", message: `${spec.name} is off: the Copilot CLI "${spec.copilot?.command ?? "copilot"}" is not installed (npm install -g @github/copilot)` };
  }
  return null;
}

/** The agent's structured-call client, its tool-calling client for API mode (none for Copilot), and the Copilot CLI options. */
function makeClient(
  spec: AgentSpec,
  key: string | undefined,
  opts: CreateAgentsOptions,
  clock: Clock,
): { client: ProviderClient; tools?: ToolChatClient; copilot?: CopilotCliOptions } {
  const fetchOpt = opts.fetch ? { fetch: opts.fetch } : {};
  switch (spec.provider) {
    case "anthropic": {
      const options = { apiKey: key ?? "", baseURL: spec.baseUrl ?? ANTHROPIC_BASE_URL, clock, ...fetchOpt };
      return { client: createAnthropicClient(options), tools: createAnthropicToolClient(options) };
    }
    case "openai":
    case "xai": {
      const options = {
        apiKey: key ?? "",
        baseURL: spec.baseUrl ?? (spec.provider === "xai" ? XAI_BASE_URL : OPENAI_BASE_URL),
        tokenParam: "max_completion_tokens" as const,
        clock,
        ...fetchOpt,
      };
      return { client: createOpenAIChatClient(options), tools: createOpenAIChatToolClient(options) };
    }
    case "openai-compatible": {
      // Local servers (Ollama, vLLM) need no key, but the SDK insists on one.
      const options = { apiKey: key ?? "not-needed", baseURL: spec.baseUrl ?? OPENAI_BASE_URL, tokenParam: "max_tokens" as const, clock, ...fetchOpt };
      return { client: createOpenAIChatClient(options), tools: createOpenAIChatToolClient(options) };
    }
    case "gemini": {
      const options = { apiKey: key ?? "", baseURL: spec.baseUrl ?? GEMINI_BASE_URL, ...fetchOpt };
      return { client: createGeminiClient(options), tools: createGeminiToolClient(options) };
    }
    case "copilot": {
      const copilot: CopilotCliOptions = {
        command: spec.copilot?.command ?? "copilot",
        token: key ?? "",
        model: spec.model,
        extraArgs: spec.copilot?.extraArgs ?? [],
        env: opts.env,
      };
      return { client: createCopilotClient(copilot), copilot };
    }
    case "scripted": {
      // whyOff turned the agent off when no scripted provider was brought.
      const agent = { name: spec.name, behaviour: spec.scripted ?? DEFAULT_SCRIPTED };
      return { client: opts.scripted!(agent), ...(opts.scriptedTools ? { tools: opts.scriptedTools(agent) } : {}) };
    }
  }
}

/** An agent that is off still answers, with a typed failure, so callers need no special case. */
function disabledAgent(spec: AgentSpec, off: DisabledAgent): Agent {
  const kind = off.reason === "no-key" ? "no-key" : "disabled";
  return {
    name: spec.name,
    provider: spec.provider,
    spec,
    call: async () => ({ ok: false, error: { kind, message: off.message }, attempts: 0 }),
    runToolLoop: async () => ({
      ok: false,
      error: { kind, message: off.message },
      summary: {
        turns: 0,
        toolCalls: {},
        toolErrors: 0,
        nudges: 0,
        usage: { inputTokens: 0, outputTokens: 0, latencyMs: 0, model: spec.model, costUsd: 0, estimated: false },
        stop: kind,
      },
    }),
    health: () => ({ degraded: true, breaker: "closed", calls: 0, successes: 0, failures: 0, successRate: 0, meanLatencyMs: 0, lastError: null, openUntil: null }),
  };
}

/** Every configured key plus anything that looks like a secret by its name. */
function secretValues(env: Env, specs: AgentSpec[]): string[] {
  const names = new Set(specs.flatMap((spec) => spec.keyEnv));
  for (const name of Object.keys(env)) if (/(KEY|TOKEN|SECRET|PASSWORD)$/i.test(name)) names.add(name);
  return [...names].map((name) => env[name]).filter((value): value is string => typeof value === "string" && value.length > 0);
}

function findExecutable(command: string, env: Env): string | null {
  const isFile = (path: string) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (command.includes("/") || command.includes("\\")) return isFile(command) ? command : null;
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (dir && isFile(join(dir, command))) return join(dir, command);
  }
  return null;
}
