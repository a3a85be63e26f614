/** The one interface every capability uses to talk to an AI agent. Pure types only. */
import type { z } from "zod";
import type { Price, ProviderKind, ScriptedBehaviour } from "../config/agents.js";
import type { ToolLoopResult, ToolTask } from "./tools.js";

export type { ProviderKind } from "../config/agents.js";

/** Untrusted text (an issue body, a comment, a diff) with a short label saying what it is. */
export interface DataBlock {
  label: string;
  content: string;
}

export interface AgentCall<T> {
  /** What is asked, e.g. "review", "vote", "plan"; scripted responders are keyed by it. */
  task: string;
  /** Trusted instructions written by Orkestra's own code, never by a user. */
  instructions: string;
  /** Untrusted material; it reaches the model only inside delimited, escaped data blocks. */
  data: DataBlock[];
  /** The answer's shape; the result is validated against it. Prefer `.nullable()` to `.optional()` (strict structured output requires every key). */
  schema: z.ZodType<T>;
  maxOutputTokens?: number;
  timeoutMs?: number;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  latencyMs: number;
  model: string;
  costUsd: number;
  /** True when token counts were estimated locally because the provider reports none (Copilot CLI, scripted). */
  estimated: boolean;
}

export type AgentErrorKind =
  | "invalid-output"
  | "refused"
  | "timeout"
  | "rate-limited"
  | "provider-error"
  | "budget-exceeded"
  | "circuit-open"
  | "no-key"
  | "disabled";

export interface AgentError {
  kind: AgentErrorKind;
  /** Human-readable and already redacted: safe to log or post. */
  message: string;
  /** `circuit-open` only: when the agent's cool-down ends and a trial call may go (ISO, UTC). */
  until?: string;
}

/**
 * `attempts` counts the provider's answers: 2 means the correction turn was used, 0 that no
 * answer came (budget, breaker, timeout, outage). `usage` is present whenever one came.
 */
export type AgentResult<T> =
  | { ok: true; value: T; usage: Usage; attempts: number }
  | { ok: false; error: AgentError; usage?: Usage; attempts: number };

export interface AgentHealth {
  /** True while the circuit breaker is open: callers should fail over to another agent. */
  degraded: boolean;
  breaker: "closed" | "open" | "half-open";
  calls: number;
  successes: number;
  failures: number;
  /** successes / calls, 1 before any call. */
  successRate: number;
  meanLatencyMs: number;
  lastError: AgentError | null;
  /** While degraded: when its cool-down ends and one trial call may go (ISO, UTC); null otherwise. */
  openUntil?: string | null;
  /** While degraded: how many failures in a row opened the breaker. */
  consecutiveFailures?: number;
}

/** The resolved configuration of one agent. */
export interface AgentSpec {
  name: string;
  provider: ProviderKind;
  model: string;
  /** null: the provider's official endpoint. */
  baseUrl: string | null;
  /** Environment variables tried, in order, for the key. Empty: the provider needs none. */
  keyEnv: string[];
  enabled: boolean;
  specialties: string[];
  weight: number;
  budget: { maxTokensPerRun: number | null; maxCostUsdPerRun: number | null; maxCostUsdPerDay: number | null };
  timeoutMs: number;
  maxOutputTokens: number;
  maxRetries: number;
  /** Copilot only. */
  copilot?: { command: string; extraArgs: string[]; workerAllowTools: string[]; workerDenyTools: string[] };
  /** Scripted only. */
  scripted?: ScriptedBehaviour;
}

export interface Agent {
  readonly name: string;
  readonly provider: ProviderKind;
  readonly spec: AgentSpec;
  /** Never throws: every failure comes back as `{ ok: false }`, which callers record as "no answer" (never as an abstention that counts). Every string of `value` is redacted. */
  call<T>(call: AgentCall<T>): Promise<AgentResult<T>>;
  /**
   * Carries out a task in API mode: a bounded loop of native tool calls that ends when the model
   * calls `finish`. Never throws; each turn counts against the budgets like a call. See docs/agents.md.
   */
  runToolLoop<T extends object = object>(task: ToolTask<T>): Promise<ToolLoopResult<T>>;
  health(): AgentHealth;
}

export interface DisabledAgent {
  name: string;
  provider: ProviderKind;
  reason: "disabled" | "no-key" | "not-installed";
  message: string;
}

export type PriceTable = Record<string, Price>;
