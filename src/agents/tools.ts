/**
 * Tool use in API mode: what a caller hands an agent (tools with zod input schemas, a task, limits)
 * and what comes back (the `finish` tool's input, or a typed failure, with a summary either way).
 * The loop itself is in tool-loop.ts; each provider's wire format is in providers/.
 */
import type { z } from "zod";
import type { DataBlock, Usage } from "./types.js";

/**
 * The error a tool handler throws when it cannot do what the model asked ("no such file", "the
 * search text occurs twice"). The model sees the message as a tool error and may try again;
 * any other exception is reported to the model as an unexpected failure of the tool.
 */
export class ToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ToolError";
  }
}

/**
 * A function the model may call. `input` is validated (and its defaults applied) before the
 * handler runs, so the handler only ever sees a valid value; its JSON Schema (`z.toJSONSchema`,
 * input side) is what the provider shows the model. The handler returns text for the model, or
 * throws a `ToolError`.
 */
export interface AgentTool<I = unknown> {
  /** `^[a-zA-Z_][a-zA-Z0-9_-]{0,63}$` (what every provider accepts); `finish` is reserved. */
  readonly name: string;
  readonly description: string;
  /**
   * The handler only reads: consecutive read-only calls of one turn run at once (a model that asks
   * for three files waits for one round trip, not three). Calls that change anything run alone, in
   * the order the model wrote them.
   */
  readonly readOnly?: boolean;
  /** A `z.object(...)`: providers take an object schema for a function's arguments. */
  readonly input: z.ZodType<I>;
  handler(input: I): Promise<string>;
}

/** Infers the handler's input type from the schema. */
export function defineTool<I>(tool: AgentTool<I>): AgentTool<I> {
  return tool;
}

export interface ToolLimits {
  /** Most model turns (requests answered), counting the nudge and any turn spent on invalid calls. */
  maxTurns: number;
  /** Most input + output tokens over the whole loop (every turn re-sends the conversation). */
  maxTokens: number;
  /** Most estimated USD over the whole loop. */
  maxCostUsd: number;
  /** Most tokens the model may write per turn (also capped by `budgets.perCall.maxOutputTokens`). */
  maxOutputTokensPerTurn: number;
  /** Time limit of one request attempt, as for structured calls. */
  timeoutMs: number;
  /** A tool result longer than this many characters is cut, with a note saying so. */
  maxToolOutputChars: number;
}

export interface ToolTask<T extends object = object> {
  /** What is asked, e.g. "implement"; used in logs and the first line of the prompt. */
  task: string;
  /** Trusted instructions written by Orkestra's own code, never by a user. */
  instructions: string;
  /** Untrusted material; it reaches the model only inside delimited, escaped data blocks. */
  data: DataBlock[];
  tools: AgentTool[];
  /**
   * A `z.object(...)` of the fields the `finish` tool asks for besides `summary`; the result's
   * value is `{ summary, ...those fields }`. Refinements are checked and shown to the model.
   */
  finish?: z.ZodType<T>;
  /** What `finish` means for this task; a generic description when absent. */
  finishDescription?: string;
  /** Defaults: 30 turns, 200 000 tokens, $1, the agent's output-token and time limits, 20 000 characters. */
  limits?: Partial<ToolLimits>;
}

/** One of the loop's own limits, or the runtime's budgets (run, day, agent, per-call prompt size). */
export type ToolLimitName = "max-turns" | "max-tokens" | "max-cost" | "budget";

export type ToolLoopError =
  | { kind: "limit-reached"; limit: ToolLimitName; message: string }
  | {
      /**
       * `no-finish`: the model answered without a tool call after the nudge; `unsupported`: the
       * provider has no API mode (Copilot); `invalid-request`: the caller's tools or schema are
       * unusable; the rest are the provider failures of structured calls.
       */
      kind: "no-finish" | "unsupported" | "invalid-request" | "refused" | "timeout" | "rate-limited" | "provider-error" | "circuit-open" | "no-key" | "disabled";
      message: string;
    };

export interface ToolLoopSummary {
  /** Model turns: requests that got an answer. */
  turns: number;
  /** Calls the model made, by tool name (`finish` included), valid or not. */
  toolCalls: Record<string, number>;
  /** Calls answered with an error: invalid input, unknown tool, handler failure. */
  toolErrors: number;
  /** Text-only answers that were answered with "call a tool or finish". */
  nudges: number;
  /** Tokens, latency and estimated cost summed over the turns. */
  usage: Usage;
  /** `finished`, the limit that stopped the loop, or the failure's kind. */
  stop: "finished" | ToolLimitName | Exclude<ToolLoopError["kind"], "limit-reached">;
}

/** Never thrown: every outcome is a value. Messages and every string of `value` are already redacted. */
export type ToolLoopResult<T extends object = object> =
  | { ok: true; value: T & { summary: string }; summary: ToolLoopSummary }
  | { ok: false; error: ToolLoopError; summary: ToolLoopSummary };
