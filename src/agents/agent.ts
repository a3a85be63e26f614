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
  type CircuitBreakerPolicy,
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
import { costUsd, priceFor, type PersistedHealth } from "./budget.js";
import { ProviderFailure, errorMessage } from "./failure.js";
import { parseStructured } from "./output.js";
import { buildPrompt, repairPrompt } from "./prompt.js";
import { redactDeep } from "./redact.js";
import type { ProviderClient, ProviderMessage, ProviderRequest, ProviderResponse, ToolChatClient } from "./provider.js";
import type { AgentRuntime } from "./runtime.js";
import { runToolLoop } from "./tool-loop.js";
import type { ToolLoopResult, ToolTask } from "./tools.js";
import type { Agent, AgentCall, AgentError, AgentErrorKind, AgentHealth, AgentResult, AgentSpec, Usage } from "./types.js";

/** Failures that mean no request was sent: the breaker skipped the agent, or a budget refused the call. */
const NOT_SENT: ReadonlySet<AgentErrorKind> = new Set(["circuit-open", "budget-exceeded"]);

/** What a failure of kind `circuit-open` says to people: "`claude` is degraded (skipped until 10:05 UTC)". */
export function degradedNote(agent: string, error: AgentError): string | null {
  if (error.kind !== "circuit-open") return null;
  const until = error.until ? ` (skipped until ${hhmm(error.until)} UTC)` : "";
  return `\`${agent}\` is degraded${until}`;
}

/** "10:05" of an ISO time (UTC). */
function hhmm(iso: string): string {
  return iso.slice(11, 16);
}

/** Where the provider endpoint is; agents on the same endpoint share one concurrency limit. */
function endpointKey(spec: AgentSpec): string {
  return `${spec.provider}:${spec.baseUrl ?? "default"}`;
}

/** What an agent's health is made of: its circuit breaker and call statistics. */
interface HealthRecord {
  breaker: CircuitBreakerPolicy;
  /** When cockatiel opened the breaker, in its own time (Date.now); 0 when it did not. */
  openedAt: number;
  /** When the breaker opened by the roster's clock (ms), in this process or as persisted; null while closed. */
  openedAtClock: number | null;
  /** A persisted open breaker skips the agent until then (roster's clock, ms); then one trial call tests it. */
  heldUntil: number;
  /** Whether the counters started from the persisted ones (once per record: an app's book outlives rosters). */
  seeded: boolean;
  /** When this record last changed by the roster's clock (ms): persisted state only wins when newer. */
  changedAt: number;
  stats: { calls: number; successes: number; failures: number; latencyTotal: number; lastError: AgentError | null; lastErrorAt: string | null };
}

/**
 * Agents' health, kept beyond one roster: a long-running process (the Probot app) builds agents
 * for every event and passes the same book, so an agent that keeps failing stays skipped across
 * events. Health is also seeded from (and saved with) the day's usage record, so it lasts across
 * runs and processes.
 */
export type AgentHealthBook = Map<string, HealthRecord>;

export function createHealthBook(): AgentHealthBook {
  return new Map();
}

function healthRecord(spec: AgentSpec, runtime: AgentRuntime, book: AgentHealthBook): HealthRecord {
  const key = `${spec.name}|${endpointKey(spec)}|${spec.model}`;
  const known = book.get(key);
  if (known) return known;
  const record: HealthRecord = {
    breaker: newBreaker(spec, runtime),
    openedAt: 0,
    openedAtClock: null,
    heldUntil: 0,
    seeded: false,
    changedAt: 0,
    stats: { calls: 0, successes: 0, failures: 0, latencyTotal: 0, lastError: null, lastErrorAt: null },
  };
  watch(record, spec, runtime);
  book.set(key, record);
  return record;
}

/**
 * The agent's circuit breaker; `trial` makes it open with its cool-down over, so its next call is
 * the one trial call of a half-open breaker (success closes it, an outage opens it again).
 */
function newBreaker(spec: AgentSpec, runtime: AgentRuntime, trial = false): CircuitBreakerPolicy {
  const { resilience } = runtime.opts;
  const isOutage = (error: Error) => !(error instanceof BulkheadRejectedError) && !(error instanceof ProviderFailure && !error.outage);
  return circuitBreaker(handleWhen(isOutage), {
    halfOpenAfter: resilience.breakerCooldownMs,
    breaker: new ConsecutiveBreaker(resilience.breakerThreshold),
    // cockatiel's own serialised form (`toJSON()`) of an open breaker opened long ago.
    ...(trial ? { initialState: { ownState: { value: CircuitState.Open, openedAt: 0, attemptNo: 1 }, breakerState: 0 } } : {}),
  });
}

function watch(record: HealthRecord, spec: AgentSpec, runtime: AgentRuntime): void {
  const { resilience, logger, clock } = runtime.opts;
  record.breaker.onBreak(() => {
    record.openedAt = Date.now(); // cockatiel measures its cool-down with Date.now too
    record.openedAtClock = clock.now().getTime();
    logger.warn(`agents: ${spec.name} marked degraded after ${resilience.breakerThreshold} consecutive failures`);
  });
  record.breaker.onReset(() => {
    record.openedAtClock = null;
    logger.info(`agents: ${spec.name} recovered`);
  });
}

/**
 * Starts a record from the persisted health: the counters once (an app's shared record already
 * counts what its process did), the breaker whenever the persisted state is newer than the record's.
 */
function seedRecord(record: HealthRecord, persisted: PersistedHealth, spec: AgentSpec, runtime: AgentRuntime): void {
  const { stats } = record;
  if (!record.seeded) {
    record.seeded = true;
    // Added, not set: a call may already be under way (it counted itself before the day was loaded).
    stats.calls += persisted.calls;
    stats.successes += persisted.successes;
    stats.failures += persisted.failures;
    stats.latencyTotal += persisted.latencyTotalMs;
    if (!stats.lastError && persisted.lastError) {
      stats.lastError = { kind: persisted.lastError.kind, message: persisted.lastError.message };
      stats.lastErrorAt = persisted.lastError.at;
    }
  }
  const at = Date.parse(persisted.updatedAt);
  if (!(at > record.changedAt)) return;
  record.changedAt = at;
  const openedAt = persisted.openedAt === null ? Number.NaN : Date.parse(persisted.openedAt);
  if (persisted.breaker === "open" && Number.isFinite(openedAt)) {
    record.openedAtClock = openedAt;
    record.heldUntil = openedAt + runtime.opts.resilience.breakerCooldownMs;
    if (record.breaker.state === CircuitState.Closed) {
      record.breaker = newBreaker(spec, runtime, true);
      record.openedAt = 0;
      watch(record, spec, runtime);
    }
  } else if (persisted.breaker === "closed") {
    record.heldUntil = 0;
  }
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
  const { resilience, logger, redact, clock } = runtime.opts;
  const health = healthRecord(spec, runtime, book);
  const { stats } = health;

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
    // A breaker persisted open (another run saw the failures) holds until its cool-down ends.
    if (clock.now().getTime() < health.heldUntil) return Promise.reject(new BrokenCircuitError());
    return health.breaker.execute(() => bulkhead.execute(() => retries.execute(() => perAttempt.execute(({ signal }) => attempt(signal)))));
  }

  function execute(request: Omit<ProviderRequest, "signal">, timeoutMs: number): Promise<ProviderResponse> {
    return guarded(timeoutMs, (signal) => client.complete({ ...request, signal }));
  }

  function failure(error: unknown, timeoutMs: number): AgentError {
    if (error instanceof BrokenCircuitError) {
      const until = openUntil() ?? new Date(clock.now().getTime() + resilience.breakerCooldownMs).toISOString();
      return {
        kind: "circuit-open",
        message: `${spec.name} is degraded after ${resilience.breakerThreshold} consecutive failures and is skipped until ${until}`,
        until,
      };
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
    const fail = (kind: AgentErrorKind, message: string, attempts: number, until?: string): AgentResult<T> => ({
      ok: false,
      error: { kind, message: redact(message), ...(until ? { until } : {}) },
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
        return fail(err.kind, err.message, attempt - 1, err.until);
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

  /** When the cool-down of an open breaker ends (roster's clock, ISO), or null when it is not cooling down. */
  function openUntil(): string | null {
    const now = clock.now().getTime();
    if (now < health.heldUntil) return new Date(health.heldUntil).toISOString();
    const state = health.breaker.state;
    const open = state === CircuitState.Open || state === CircuitState.Isolated;
    if (!open || Date.now() - health.openedAt >= resilience.breakerCooldownMs) return null;
    return new Date((health.openedAtClock ?? now) + resilience.breakerCooldownMs).toISOString();
  }

  // This roster's share of the day's record: the persisted health it started from, plus what its calls changed.
  let base: PersistedHealth | undefined;
  const delta = { calls: 0, successes: 0, failures: 0, latencyTotalMs: 0 };
  let updatedAt: string | null = null;
  runtime.trackHealth(spec.name, {
    seed(persisted) {
      base = persisted;
      Object.assign(delta, { calls: 0, successes: 0, failures: 0, latencyTotalMs: 0 });
      if (persisted) seedRecord(health, persisted, spec, runtime);
    },
    snapshot() {
      if (delta.calls === 0 || updatedAt === null) return null;
      const state = health.breaker.state;
      const open = clock.now().getTime() < health.heldUntil || state !== CircuitState.Closed;
      const openedAt = open && health.openedAtClock !== null ? new Date(health.openedAtClock).toISOString() : null;
      return {
        calls: (base?.calls ?? 0) + delta.calls,
        successes: (base?.successes ?? 0) + delta.successes,
        failures: (base?.failures ?? 0) + delta.failures,
        latencyTotalMs: (base?.latencyTotalMs ?? 0) + delta.latencyTotalMs,
        lastError: stats.lastError && stats.lastErrorAt ? { kind: stats.lastError.kind, message: stats.lastError.message, at: stats.lastErrorAt } : null,
        breaker: openedAt ? "open" : "closed",
        openedAt,
        updatedAt,
      };
    },
  });

  /**
   * Counts a finished call in the record and in this run's share of the day's record. A call that
   * reached no provider — skipped because the breaker is open, or refused by a budget before it
   * was sent — is counted in memory (as before) but not persisted: it says nothing about the
   * provider, and must not cost the run a write.
   */
  async function counted(ok: boolean, error: AgentError | null, latencyMs: number, reached: boolean): Promise<void> {
    const now = clock.now();
    if (ok) stats.successes += 1;
    else stats.failures += 1;
    stats.latencyTotal += latencyMs;
    if (error && error.kind !== "circuit-open") {
      stats.lastError = error.until ? { kind: error.kind, message: error.message } : error;
      stats.lastErrorAt = now.toISOString();
    }
    if (!reached) return;
    health.changedAt = Math.max(health.changedAt, now.getTime());
    delta.calls += 1;
    if (ok) delta.successes += 1;
    else delta.failures += 1;
    delta.latencyTotalMs += latencyMs;
    updatedAt = now.toISOString();
    await runtime.healthChanged();
  }

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
      const reached = result.ok || result.attempts > 0 || !NOT_SENT.has(result.error.kind);
      await counted(result.ok, result.ok ? null : result.error, result.usage?.latencyMs ?? 0, reached);
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
      let error: AgentError | null = null;
      if (!result.ok) {
        const { kind, message } = result.error;
        // Health reports provider trouble; a model that never finished is not an outage.
        if (kind === "limit-reached") {
          if (result.error.limit === "budget") error = { kind: "budget-exceeded", message };
        } else if (kind !== "no-finish" && kind !== "unsupported" && kind !== "invalid-request") error = { kind, message };
      }
      const reached = result.ok || result.summary.turns > 0 || !(result.error.kind === "circuit-open" || (result.error.kind === "limit-reached" && result.error.limit === "budget"));
      await counted(result.ok, error, result.summary.usage.latencyMs, reached);
      return result;
    },
    health(): AgentHealth {
      const state = health.breaker.state;
      const open = state === CircuitState.Open || state === CircuitState.Isolated;
      const until = openUntil();
      const coolingDown = until !== null;
      return {
        degraded: coolingDown,
        breaker: coolingDown ? "open" : open || state === CircuitState.HalfOpen ? "half-open" : "closed",
        openUntil: until,
        ...(coolingDown ? { consecutiveFailures: resilience.breakerThreshold } : {}),
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
