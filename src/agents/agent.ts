/**
 * One agent = one provider client behind the shared call pipeline:
 * budget check → circuit breaker → provider concurrency limit → retries (backoff + jitter,
 * honouring retry-after) → per-attempt timeout → provider; then validation with one repair turn.
 * A tool loop (API mode, tool-loop.ts) sends each of its turns through the same pipeline.
 * Every outcome is a typed result; nothing throws to the caller.
 */
import {
  BrokenCircuitError,
  BulkheadRejectedError,
  CircuitState,
  ConsecutiveBreaker,
  DelegateBackoff,
  ExponentialBackoff,
  TaskCancelledError,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  retry,
  timeout,
  type IBackoff,
  type IRetryBackoffContext,
} from "cockatiel";
import { estimateTokens } from "../domain/tokens.js";
import { costUsd, priceFor } from "./budget.js";
import { ProviderFailure, errorMessage } from "./failure.js";
import { parseStructured } from "./output.js";
import { buildPrompt, repairPrompt } from "./prompt.js";
import { redactDeep } from "./redact.js";
import type { ProviderClient, ProviderMessage, ProviderRequest, ProviderResponse, ToolChatClient } from "./provider.js";
import type { AgentRuntime } from "./runtime.js";
import { runToolLoop } from "./tool-loop.js";
import type { ToolLoopResult, ToolTask } from "./tools.js";
import type { Agent, AgentCall, AgentError, AgentErrorKind, AgentHealth, AgentResult, AgentSpec, Usage } from "./types.js";

/** Where the provider endpoint is; agents on the same endpoint share one concurrency limit. */
function endpointKey(spec: AgentSpec): string {
  return `${spec.provider}:${spec.baseUrl ?? "default"}`;
}

/** What an agent's health is made of: its circuit breaker and call statistics. */
interface HealthRecord {
  breaker: ReturnType<typeof circuitBreaker>;
  openedAt: number;
  stats: { calls: number; successes: number; failures: number; latencyTotal: number; lastError: AgentError | null };
}

/**
 * Agents' health, kept beyond one roster: a long-running process (the Probot app) builds agents
 * for every event and passes the same book, so an agent that keeps failing stays skipped across
 * events. Without one, health lasts one run.
 */
export type AgentHealthBook = Map<string, HealthRecord>;

export function createHealthBook(): AgentHealthBook {
  return new Map();
}

function healthRecord(spec: AgentSpec, runtime: AgentRuntime, book: AgentHealthBook): HealthRecord {
  const key = `${spec.name}|${endpointKey(spec)}|${spec.model}`;
  const known = book.get(key);
  if (known) return known;
  const { resilience, logger } = runtime.opts;
  const isOutage = (error: Error) => !(error instanceof BulkheadRejectedError) && !(error instanceof ProviderFailure && !error.outage);
  const record: HealthRecord = {
    breaker: circuitBreaker(handleWhen(isOutage), {
      halfOpenAfter: resilience.breakerCooldownMs,
      breaker: new ConsecutiveBreaker(resilience.breakerThreshold),
    }),
    openedAt: 0,
    stats: { calls: 0, successes: 0, failures: 0, latencyTotal: 0, lastError: null },
  };
  record.breaker.onBreak(() => {
    record.openedAt = Date.now(); // cockatiel measures its cool-down with Date.now too
    logger.warn(`agents: ${spec.name} marked degraded after ${resilience.breakerThreshold} consecutive failures`);
  });
  record.breaker.onReset(() => logger.info(`agents: ${spec.name} recovered`));
  book.set(key, record);
  return record;
}

/**
 * `tools` is the provider's tool-calling client for API mode; null where the provider has none
 * (Copilot: it works through the CLI worker), and then a tool loop fails as `unsupported`.
 */
export function createAgent(
  spec: AgentSpec,
  client: ProviderClient,
  runtime: AgentRuntime,
  book: AgentHealthBook = createHealthBook(),
  tools: ToolChatClient | null = null,
): Agent {
  const { resilience, logger, redact } = runtime.opts;
  const health = healthRecord(spec, runtime, book);
  const { breaker, stats } = health;

  const retryable = (error: Error) =>
    error instanceof TaskCancelledError ||
    (error instanceof ProviderFailure && error.retryable && (error.retryAfterMs ?? 0) <= resilience.maxRetryAfterMs);
  const retries = retry(handleWhen(retryable), { maxAttempts: spec.maxRetries, backoff: retryAfterBackoff(resilience) });
  retries.onRetry((event) => {
    const reason = "error" in event ? redact(errorMessage(event.error)) : "unexpected result";
    logger.debug(`agents: ${spec.name} retry ${event.attempt} in ${Math.round(event.delay)}ms: ${reason}`);
  });
  const bulkhead = runtime.bulkheadFor(endpointKey(spec));

  /** One provider request through the resilience policies: structured calls and tool-loop turns alike. */
  function guarded<R>(timeoutMs: number, attempt: (signal: AbortSignal) => Promise<R>): Promise<R> {
    const perAttempt = timeout(timeoutMs, TimeoutStrategy.Aggressive);
    return breaker.execute(() => bulkhead.execute(() => retries.execute(() => perAttempt.execute(({ signal }) => attempt(signal)))));
  }

  function execute(request: Omit<ProviderRequest, "signal">, timeoutMs: number): Promise<ProviderResponse> {
    return guarded(timeoutMs, (signal) => client.complete({ ...request, signal }));
  }

  function failure(error: unknown, timeoutMs: number): AgentError {
    if (error instanceof BrokenCircuitError) {
      const until = new Date(health.openedAt + resilience.breakerCooldownMs).toISOString();
      return { kind: "circuit-open", message: `${spec.name} is degraded after repeated failures and is skipped until ${until}` };
    }
    if (error instanceof BulkheadRejectedError) {
      return { kind: "rate-limited", message: `too many calls queued for ${spec.provider}; try later` };
    }
    if (error instanceof TaskCancelledError) {
      return { kind: "timeout", message: `${spec.name} gave no answer within ${timeoutMs}ms (${spec.maxRetries + 1} attempts)` };
    }
    if (error instanceof ProviderFailure) {
      const wait = error.retryAfterMs !== undefined && error.retryAfterMs > resilience.maxRetryAfterMs ? ` (asked to wait ${Math.round(error.retryAfterMs / 1000)}s)` : "";
      return { kind: error.kind, message: `${spec.name}: ${error.message}${wait}` };
    }
    return { kind: "provider-error", message: `${spec.name}: unexpected error: ${errorMessage(error)}` };
  }

  async function run<T>(call: AgentCall<T>): Promise<AgentResult<T>> {
    const price = priceFor(runtime.opts.prices, spec.model);
    const timeoutMs = call.timeoutMs ?? spec.timeoutMs;
    const maxOutputTokens = Math.min(call.maxOutputTokens ?? spec.maxOutputTokens, runtime.opts.budgets.perCall.maxOutputTokens);
    const prompt = buildPrompt(call, { agentName: spec.name, boundary: runtime.opts.boundary(), schemaInPrompt: !client.nativeSchema });
    const messages: ProviderMessage[] = [{ role: "user", content: prompt.user }];
    const usage: Usage = { inputTokens: 0, outputTokens: 0, latencyMs: 0, model: spec.model, costUsd: 0, estimated: false };
    const fail = (kind: AgentErrorKind, message: string, attempts: number): AgentResult<T> => ({
      ok: false,
      error: { kind, message: redact(message) },
      ...(attempts > 0 ? { usage } : {}),
      attempts,
    });

    for (let attempt = 1; ; attempt += 1) {
      const inputTokens = estimateTokens(prompt.system + messages.map((m) => m.content).join("\n"));
      const budget = await runtime.admit(spec, inputTokens, maxOutputTokens, price);
      if (!budget.ok) return fail("budget-exceeded", `${spec.name}: ${budget.message}`, attempt - 1);

      const started = performance.now();
      let response: ProviderResponse;
      try {
        response = await execute(
          { model: spec.model, system: prompt.system, messages, schema: call.schema, schemaName: schemaName(call.task), maxOutputTokens, call },
          timeoutMs,
        );
      } catch (error) {
        usage.latencyMs += performance.now() - started;
        const err = failure(error, timeoutMs);
        return fail(err.kind, err.message, attempt - 1);
      }
      usage.latencyMs += performance.now() - started;
      const cost = costUsd(priceFor(runtime.opts.prices, response.model), response.inputTokens, response.outputTokens);
      usage.inputTokens += response.inputTokens;
      usage.outputTokens += response.outputTokens;
      usage.costUsd += cost;
      usage.model = response.model;
      usage.estimated ||= response.estimated;
      await runtime.record(spec.name, response.inputTokens + response.outputTokens, cost);

      if (response.refusal !== null) return fail("refused", `${spec.name} declined: ${response.refusal}`, attempt);
      if (response.truncated) {
        return fail("invalid-output", `${spec.name}'s answer was cut off at ${maxOutputTokens} output tokens`, attempt);
      }
      const parsed = parseStructured(call.schema, response.text);
      // What the model wrote leaves the agents layer redacted, like every error message.
      if (parsed.ok) return { ok: true, value: redactDeep(parsed.value, redact), usage, attempts: attempt };
      if (attempt === 2) {
        return fail("invalid-output", `${spec.name}'s answer did not match the schema after one correction: ${parsed.message}`, attempt);
      }
      logger.debug(redact(`agents: ${spec.name} answer invalid, asking once more: ${parsed.message}`));
      messages.push({ role: "assistant", content: response.text }, { role: "user", content: repairPrompt(parsed.message) });
    }
  }

  const loopDeps = { spec, runtime, client: tools, guarded, failure };

  return {
    name: spec.name,
    provider: spec.provider,
    spec,
    async call<T>(call: AgentCall<T>): Promise<AgentResult<T>> {
      stats.calls += 1;
      let result: AgentResult<T>;
      try {
        result = await run(call);
      } catch (error) {
        // A bug here must still not reach the handler.
        result = { ok: false, error: { kind: "provider-error", message: redact(`${spec.name}: internal error: ${errorMessage(error)}`) }, attempts: 0 };
      }
      if (result.ok) stats.successes += 1;
      else {
        stats.failures += 1;
        stats.lastError = result.error;
      }
      stats.latencyTotal += result.usage?.latencyMs ?? 0;
      return result;
    },
    async runToolLoop<T extends object>(task: ToolTask<T>): Promise<ToolLoopResult<T>> {
      stats.calls += 1;
      let result: ToolLoopResult<T>;
      try {
        result = await runToolLoop(loopDeps, task);
      } catch (error) {
        // A bug here (or in a handler's validation) must still not reach the caller.
        const usage: Usage = { inputTokens: 0, outputTokens: 0, latencyMs: 0, model: spec.model, costUsd: 0, estimated: false };
        result = {
          ok: false,
          error: { kind: "provider-error", message: redact(`${spec.name}: internal error in the tool loop: ${errorMessage(error)}`) },
          summary: { turns: 0, toolCalls: {}, toolErrors: 0, nudges: 0, usage, stop: "provider-error" },
        };
      }
      if (result.ok) stats.successes += 1;
      else {
        stats.failures += 1;
        const { kind, message } = result.error;
        // Health reports provider trouble; a model that never finished is not an outage.
        if (kind === "limit-reached") {
          if (result.error.limit === "budget") stats.lastError = { kind: "budget-exceeded", message };
        } else if (kind !== "no-finish" && kind !== "unsupported" && kind !== "invalid-request") stats.lastError = { kind, message };
      }
      stats.latencyTotal += result.summary.usage.latencyMs;
      return result;
    },
    health(): AgentHealth {
      const open = breaker.state === CircuitState.Open || breaker.state === CircuitState.Isolated;
      const coolingDown = open && Date.now() - health.openedAt < resilience.breakerCooldownMs;
      return {
        degraded: coolingDown,
        breaker: coolingDown ? "open" : open || breaker.state === CircuitState.HalfOpen ? "half-open" : "closed",
        calls: stats.calls,
        successes: stats.successes,
        failures: stats.failures,
        successRate: stats.calls === 0 ? 1 : stats.successes / stats.calls,
        meanLatencyMs: stats.calls === 0 ? 0 : stats.latencyTotal / stats.calls,
        lastError: stats.lastError,
      };
    },
  };
}

/** Exponential backoff with jitter, but never shorter than what the provider asked for. */
function retryAfterBackoff(resilience: { retryInitialDelayMs: number; retryMaxDelayMs: number }) {
  const exponential = new ExponentialBackoff({ initialDelay: resilience.retryInitialDelayMs, maxDelay: resilience.retryMaxDelayMs });
  return new DelegateBackoff<IRetryBackoffContext<unknown>, IBackoff<unknown>>((context, previous) => {
    const step = previous ? previous.next(undefined) : exponential.next();
    const asked = "error" in context.result && context.result.error instanceof ProviderFailure ? (context.result.error.retryAfterMs ?? 0) : 0;
    return { delay: Math.max(step.duration, asked), state: step };
  });
}

function schemaName(task: string): string {
  return task.replace(/[^a-zA-Z0-9_-]/g, "_").slice(0, 64) || "answer";
}
