/**
 * The provider-neutral tool-use loop (API mode): the model calls the tools it is given, Orkestra
 * validates each call with zod, runs the tool's handler and sends the (bounded) result back, until
 * the model calls `finish`. Every turn goes through the agent's request policies (breaker,
 * concurrency limit, retries, timeout) and the runtime's budgets, and is recorded in the usage
 * ledger like any other call. Nothing the model writes is executed except through the handlers.
 */
import { z } from "zod";
import { estimateTokens } from "../domain/tokens.js";
import { costUsd, priceFor } from "./budget.js";
import { errorMessage } from "./failure.js";
import { renderBlock, systemPrompt, userPrompt } from "./prompt.js";
import { redactDeep } from "./redact.js";
import type { ToolCall, ToolChatClient, ToolChatResponse, ToolResult, ToolSpec, ToolTurn } from "./provider.js";
import type { AgentRuntime } from "./runtime.js";
import { ToolError, type AgentTool, type ToolLimitName, type ToolLimits, type ToolLoopError, type ToolLoopResult, type ToolLoopSummary, type ToolTask } from "./tools.js";
import type { AgentError, AgentSpec, Usage } from "./types.js";

const FINISH = "finish";
/** What Anthropic, OpenAI and Gemini all accept as a function name. */
const TOOL_NAME = /^[a-zA-Z_][a-zA-Z0-9_-]{0,63}$/;
const MAX_ERROR_CHARS = 2_000;
const DEFAULT_LIMITS = { maxTurns: 30, maxTokens: 200_000, maxCostUsd: 1, maxToolOutputChars: 20_000 };

const NUDGE = {
  text: "Your reply did not call a tool, so nothing happened. Call one of the tools to continue, or call `finish` with a summary if the task is done or cannot be done.",
  cut: "Your reply was cut off at the output-token limit before it called a tool. Make smaller steps: call one tool at a time with shorter input, or call `finish`.",
  malformed: "The provider could not read the tool call in your reply. Call the tool again with arguments that are one valid JSON object, or call `finish`.",
};

/** What the loop needs from its agent: the spec, the runtime, the client and the agent's request policies. */
interface ToolLoopDeps {
  spec: AgentSpec;
  runtime: AgentRuntime;
  /** null: the provider has no API mode (Copilot), or a scripted agent without a scripted tool client. */
  client: ToolChatClient | null;
  /** Runs one request through the agent's breaker, concurrency limit, retries and per-attempt timeout. */
  guarded<R>(timeoutMs: number, attempt: (signal: AbortSignal) => Promise<R>): Promise<R>;
  /** The agent's classification of a failed request (the same as for structured calls). */
  failure(error: unknown, timeoutMs: number): AgentError;
}

type Prepared =
  | { ok: true; specs: ToolSpec[]; byName: Map<string, AgentTool>; finish: { combined: z.ZodObject; callers: z.ZodObject | undefined } }
  | { ok: false; message: string };

/** Checks the caller's tools and builds each one's JSON Schema, plus the `finish` tool. */
function prepare(task: ToolTask<object>): Prepared {
  const byName = new Map<string, AgentTool>();
  const specs: ToolSpec[] = [];
  for (const tool of task.tools) {
    if (!TOOL_NAME.test(tool.name)) return { ok: false, message: `tool name "${tool.name}" is not usable: letters, digits, _ and -, at most 64, not starting with a digit or -` };
    if (tool.name === FINISH) return { ok: false, message: `"${FINISH}" is reserved for the tool that ends the loop; pass its fields as \`finish\`` };
    if (byName.has(tool.name)) return { ok: false, message: `two tools are named "${tool.name}"` };
    const parameters = objectSchema(tool.input);
    if (typeof parameters === "string") return { ok: false, message: `the input schema of tool "${tool.name}" is not usable: ${parameters}` };
    byName.set(tool.name, tool);
    specs.push({ name: tool.name, description: tool.description, parameters });
  }
  if (task.finish !== undefined && !(task.finish instanceof z.ZodObject)) return { ok: false, message: "`finish` must be a z.object(...)" };
  const finish = z.object({ summary: z.string().min(1).describe("What was done and why, in a few sentences; or why the task cannot be done.") }).extend(task.finish?.shape ?? {});
  const parameters = objectSchema(finish);
  if (typeof parameters === "string") return { ok: false, message: `the finish schema is not usable: ${parameters}` };
  specs.push({ name: FINISH, description: task.finishDescription ?? "Call this once, when the task is done or cannot be done. It ends the task; nothing after it is run.", parameters });
  return { ok: true, specs, byName, finish: { combined: finish, callers: task.finish } };
}

/** The JSON Schema a provider shows the model (the input side: defaults are optional), or why there is none. */
function objectSchema(schema: z.ZodType): Record<string, unknown> | string {
  let json: Record<string, unknown>;
  try {
    json = z.toJSONSchema(schema, { io: "input" });
  } catch (error) {
    return errorMessage(error);
  }
  const { $schema: _drop, ...rest } = json;
  return rest.type === "object" ? rest : "it must be a z.object(...)";
}

function bounded(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}\n[cut: ${text.length - max} more characters not shown; ask for a smaller part]`;
}

/** Rough size of the next request, for the budgets' worst case (the same estimate as structured calls). */
function estimateInput(system: string, specs: ToolSpec[], conversation: ToolTurn[]): number {
  const parts = [system, JSON.stringify(specs)];
  for (const turn of conversation) {
    if (turn.role === "user") parts.push(turn.text);
    else if (turn.role === "assistant") parts.push(turn.text, JSON.stringify(turn.toolCalls.map((c) => [c.name, c.input])));
    else parts.push(...turn.results.map((r) => r.content));
  }
  return estimateTokens(parts.join("\n"));
}

const PROVIDER_KINDS = new Set<string>(["refused", "timeout", "rate-limited", "provider-error", "circuit-open", "no-key", "disabled"]);

export async function runToolLoop<T extends object>(deps: ToolLoopDeps, task: ToolTask<T>): Promise<ToolLoopResult<T>> {
  const { spec, runtime } = deps;
  const { logger, redact, budgets, prices } = runtime.opts;
  const limits: ToolLimits = {
    maxTurns: task.limits?.maxTurns ?? DEFAULT_LIMITS.maxTurns,
    maxTokens: task.limits?.maxTokens ?? DEFAULT_LIMITS.maxTokens,
    maxCostUsd: task.limits?.maxCostUsd ?? DEFAULT_LIMITS.maxCostUsd,
    maxOutputTokensPerTurn: Math.min(task.limits?.maxOutputTokensPerTurn ?? spec.maxOutputTokens, budgets.perCall.maxOutputTokens),
    timeoutMs: task.limits?.timeoutMs ?? spec.timeoutMs,
    maxToolOutputChars: task.limits?.maxToolOutputChars ?? DEFAULT_LIMITS.maxToolOutputChars,
  };
  const usage: Usage = { inputTokens: 0, outputTokens: 0, latencyMs: 0, model: spec.model, costUsd: 0, estimated: false };
  const summary: ToolLoopSummary = { turns: 0, toolCalls: {}, toolErrors: 0, nudges: 0, usage, stop: "finished" };
  const label = `${spec.name} tool loop "${task.task}"`;
  // Names come from the model: counted in a Map, published as own properties ("__proto__" included).
  const counts = new Map<string, number>();
  /** A model-chosen name, short enough for a log line. */
  const shown = (name: string) => name.slice(0, 64);

  const end = (error: ToolLoopError): ToolLoopResult<T> => {
    summary.stop = error.kind === "limit-reached" ? error.limit : error.kind;
    const redacted = { ...error, message: redact(error.message) };
    logger.info(redact(`agents: ${label} stopped (${summary.stop}) after ${summary.turns} turns: ${redacted.message}`));
    return { ok: false, error: redacted, summary };
  };
  const limit = (which: ToolLimitName, message: string) => end({ kind: "limit-reached", limit: which, message });

  if (deps.client === null) {
    const message =
      spec.provider === "copilot"
        ? `${spec.name}: tool use is not supported in API mode for provider copilot (use CLI worker mode: roster.workers)`
        : `${spec.name}: provider ${spec.provider} has no tool client here (a scripted agent needs CreateAgentsOptions.scriptedTools)`;
    return end({ kind: "unsupported", message });
  }
  const client = deps.client;
  const prepared = prepare(task);
  if (!prepared.ok) return end({ kind: "invalid-request", message: `${spec.name}: ${prepared.message}` });
  const { specs, byName, finish } = prepared;

  const boundary = runtime.opts.boundary();
  const system = systemPrompt(spec.name, boundary, "tool-user");
  const conversation: ToolTurn[] = [{ role: "user", text: userPrompt(task.task, task.instructions, task.data, boundary) }];
  const maxOut = limits.maxOutputTokensPerTurn;
  const price = priceFor(prices, spec.model);
  const toolError = (call: ToolCall, message: string): ToolResult => {
    summary.toolErrors += 1;
    logger.debug(redact(`agents: ${label} tool error from ${shown(call.name)}: ${message.slice(0, 300)}`));
    return { callId: call.id, name: call.name, content: message, isError: true };
  };

  /** Validates a call, runs its handler, and turns any outcome into a result for the model. */
  async function answer(call: ToolCall): Promise<ToolResult> {
    if (call.malformed !== undefined) {
      return toolError(call, `The arguments of ${call.name} are not valid JSON (${call.malformed.slice(0, 200)}). Call it again with one JSON object.`);
    }
    const tool = byName.get(call.name);
    if (!tool) return toolError(call, `There is no tool named "${shown(call.name)}". The tools are: ${[...byName.keys(), FINISH].join(", ")}.`);
    const input = tool.input.safeParse(call.input ?? {});
    if (!input.success) return toolError(call, `Invalid input for ${tool.name}; nothing was done:\n${bounded(z.prettifyError(input.error), MAX_ERROR_CHARS)}`);
    let output: string;
    try {
      output = String(await tool.handler(input.data));
    } catch (error) {
      // Handler messages may quote repository text: they go back as data, redacted.
      const message = bounded(redact(errorMessage(error)), MAX_ERROR_CHARS);
      if (!(error instanceof ToolError)) logger.warn(redact(`agents: ${label}: tool ${tool.name} failed unexpectedly: ${message}`));
      const what = error instanceof ToolError ? `${tool.name} failed` : `${tool.name} failed unexpectedly`;
      return toolError(call, `${what}:\n${renderBlock({ label: `${tool.name} error`, content: message }, boundary)}`);
    }
    const content = renderBlock({ label: `${tool.name} result`, content: bounded(output, limits.maxToolOutputChars) }, boundary);
    return { callId: call.id, name: call.name, content, isError: false };
  }

  let nudged = false;
  for (;;) {
    if (summary.turns >= limits.maxTurns) return limit("max-turns", `${label} used its ${limits.maxTurns} turns without calling finish`);
    const inputTokens = estimateInput(system, specs, conversation);
    const worstTokens = usage.inputTokens + usage.outputTokens + inputTokens + maxOut;
    if (worstTokens > limits.maxTokens) {
      return limit("max-tokens", `${label} would reach ${worstTokens} tokens with its next turn (~${inputTokens} in, up to ${maxOut} out), over its limit of ${limits.maxTokens}`);
    }
    const worstCost = usage.costUsd + costUsd(price, inputTokens, maxOut);
    if (worstCost > limits.maxCostUsd) {
      return limit("max-cost", `${label} would cost up to $${worstCost.toFixed(4)} with its next turn, over its limit of $${limits.maxCostUsd.toFixed(2)}`);
    }
    const admitted = await runtime.admit(spec, inputTokens, maxOut, price);
    if (!admitted.ok) return limit("budget", `${spec.name}: ${admitted.message}`);

    const started = performance.now();
    let response: ToolChatResponse;
    try {
      const request = { model: spec.model, system, conversation: [...conversation], tools: specs, maxOutputTokens: maxOut };
      response = await deps.guarded(limits.timeoutMs, (signal) => client.send({ ...request, signal }));
    } catch (error) {
      usage.latencyMs += performance.now() - started;
      const failed = deps.failure(error, limits.timeoutMs);
      const kind = PROVIDER_KINDS.has(failed.kind) ? (failed.kind as Exclude<ToolLoopError["kind"], "limit-reached">) : "provider-error";
      return end({ kind, message: failed.message });
    }
    usage.latencyMs += performance.now() - started;
    const cost = costUsd(priceFor(prices, response.model), response.usage.inputTokens, response.usage.outputTokens);
    usage.inputTokens += response.usage.inputTokens;
    usage.outputTokens += response.usage.outputTokens;
    usage.costUsd += cost;
    usage.model = response.model;
    usage.estimated ||= response.usage.estimated;
    await runtime.record(spec.name, response.usage.inputTokens + response.usage.outputTokens, cost);
    summary.turns += 1;
    const calls = response.toolCalls;
    logger.debug(redact(`agents: ${label} turn ${summary.turns} (${response.stop}): ${calls.map((c) => shown(c.name)).join(", ") || "no tool call"}`));

    if (response.stop === "refusal") return end({ kind: "refused", message: `${spec.name} declined: ${response.refusal ?? "the model refused"}` });

    if (calls.length === 0) {
      if (nudged) return end({ kind: "no-finish", message: `${label} answered twice in a row without calling a tool; the task was not finished` });
      nudged = true;
      summary.nudges += 1;
      // A text-only turn is replayed from its text: an empty one would be rejected by some providers.
      conversation.push({ role: "assistant", text: response.text || "(no reply)", toolCalls: [] });
      conversation.push({ role: "user", text: response.stop === "max-tokens" ? NUDGE.cut : response.stop === "malformed-call" ? NUDGE.malformed : NUDGE.text });
      continue;
    }
    nudged = false;
    conversation.push({ role: "assistant", text: response.text, toolCalls: calls, native: response.native });

    // Calls keep the order the model wrote them in: a call that may change something waits for
    // those before it; consecutive read-only calls run at once.
    const results: ToolResult[] = [];
    let reads: Array<Promise<ToolResult>> = [];
    const flushReads = async () => {
      results.push(...(await Promise.all(reads)));
      reads = [];
    };
    for (const call of calls) {
      counts.set(call.name, (counts.get(call.name) ?? 0) + 1);
      summary.toolCalls = Object.fromEntries(counts);
      if (call.name !== FINISH && byName.get(call.name)?.readOnly === true && call.malformed === undefined) {
        reads.push(answer(call));
        continue;
      }
      await flushReads();
      if (call.name !== FINISH) {
        results.push(await answer(call));
        continue;
      }
      const done = finishValue<T>(finish, call);
      if (done.ok) {
        logger.info(redact(`agents: ${label} finished after ${summary.turns} turns, ${usage.inputTokens + usage.outputTokens} tokens, ~$${usage.costUsd.toFixed(4)}`));
        // The finish fields are the model's words: redacted before they leave the agents layer.
        return { ok: true, value: redactDeep(done.value, redact), summary };
      }
      results.push(toolError(call, done.message));
    }
    await flushReads();
    conversation.push({ role: "tool-results", results });
  }
}

/**
 * `{ summary, ...the caller's fields }` from a finish call, checked against both schemas: the
 * combined one the model was shown, then the caller's own (its refinements and strictness), which
 * gets the input without `summary` unless it declares one.
 */
function finishValue<T extends object>(
  finish: { combined: z.ZodObject; callers: z.ZodObject | undefined },
  call: ToolCall,
): { ok: true; value: T & { summary: string } } | { ok: false; message: string } {
  const invalid = (error: z.ZodError) => ({ ok: false as const, message: `Invalid input for finish; the task is not finished yet:\n${bounded(z.prettifyError(error), MAX_ERROR_CHARS)}` });
  if (call.malformed !== undefined) return { ok: false, message: `The arguments of finish are not valid JSON (${call.malformed.slice(0, 200)}). Call it again with one JSON object.` };
  const base = finish.combined.safeParse(call.input ?? {});
  if (!base.success) return invalid(base.error);
  const { summary } = base.data as { summary: string };
  if (finish.callers === undefined) return { ok: true, value: { summary } as T & { summary: string } };
  // The combined object schema accepted the input, so it is an object.
  const { summary: _summary, ...fields } = call.input as Record<string, unknown>;
  const own = finish.callers.safeParse("summary" in finish.callers.shape ? call.input : fields);
  return own.success ? { ok: true, value: { ...(own.data as T), summary } } : invalid(own.error);
}
