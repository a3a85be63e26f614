/** What every provider module implements: one request in, one answer (or a ProviderFailure) out. */
import type { z } from "zod";
import type { AgentCall } from "./types.js";

export interface ProviderMessage {
  role: "user" | "assistant";
  content: string;
}

export interface ProviderRequest {
  model: string;
  system: string;
  messages: ProviderMessage[];
  schema: z.ZodType<unknown>;
  /** A short identifier for the schema (`^[a-zA-Z0-9_-]{1,64}$`), derived from the task. */
  schemaName: string;
  maxOutputTokens: number;
  signal: AbortSignal;
  /** The original call; only the offline scripted provider reads it. */
  call: AgentCall<unknown>;
}

export interface ProviderResponse {
  /** The answer's text, '' when there is none. */
  text: string;
  /** Set when the model refused or a safety filter blocked the answer. */
  refusal: string | null;
  /** The answer stopped at the output-token limit. */
  truncated: boolean;
  inputTokens: number;
  outputTokens: number;
  /** Tokens were estimated locally (the provider reports none). */
  estimated: boolean;
  /** The model that answered, as the provider names it. */
  model: string;
}

export interface ProviderClient {
  /** True when the provider enforces the JSON schema itself; otherwise the schema goes into the prompt. */
  readonly nativeSchema: boolean;
  /** Throws a ProviderFailure on a failed request; refusals and truncation are answers, not throws. */
  complete(request: ProviderRequest): Promise<ProviderResponse>;
}

/** A function the model may call, as every provider is shown it. */
export interface ToolSpec {
  name: string;
  description: string;
  /** JSON Schema of an object (`type: "object"`), without `$schema`. */
  parameters: Record<string, unknown>;
}

/** A call the model asked for. */
export interface ToolCall {
  /** The provider's id for the call, or one the client made up when the provider gives none (Gemini may not). */
  id: string;
  name: string;
  /** The arguments as JSON: not validated yet. */
  input: unknown;
  /** Set when the provider's argument text was not valid JSON (OpenAI sends a string); `input` is then undefined. */
  malformed?: string;
}

export interface ToolResult {
  callId: string;
  name: string;
  content: string;
  isError: boolean;
}

/**
 * The conversation of a tool loop, provider-neutral. An assistant turn keeps `native`, what its
 * client needs to send that turn back exactly (Anthropic's content blocks with any thinking,
 * Gemini's parts with their thought signatures); a client builds the turn from `text` and
 * `toolCalls` when `native` is absent (a scripted client's turns).
 */
export type ToolTurn =
  | { role: "user"; text: string }
  | { role: "assistant"; text: string; toolCalls: ToolCall[]; native?: unknown }
  /** The answers to the previous assistant turn's calls, in the order of the calls. */
  | { role: "tool-results"; results: ToolResult[] };

export interface ToolChatRequest {
  model: string;
  system: string;
  conversation: ToolTurn[];
  tools: ToolSpec[];
  maxOutputTokens: number;
  signal: AbortSignal;
}

export interface ToolChatResponse {
  /** The answer's text besides the calls, '' when there is none. */
  text: string;
  /** In the order the model wrote them; several in one turn when the provider allows parallel calls. */
  toolCalls: ToolCall[];
  /** What the client needs to replay this turn; goes into the assistant turn unchanged. */
  native?: unknown;
  /**
   * Why the answer ended: `tool-use` (calls to answer), `end` (the model stopped), `max-tokens`
   * (cut at the output limit), `refusal` (refused or blocked: see `refusal`), `malformed-call` (the
   * provider could not parse a call the model tried to make).
   */
  stop: "tool-use" | "end" | "max-tokens" | "refusal" | "malformed-call";
  refusal: string | null;
  usage: { inputTokens: number; outputTokens: number; estimated: boolean };
  /** The model that answered, as the provider names it. */
  model: string;
}

/** What each provider implements for API mode: one turn of native tool calling. */
export interface ToolChatClient {
  /** Throws a ProviderFailure on a failed request; refusals and truncation are answers, not throws. */
  send(request: ToolChatRequest): Promise<ToolChatResponse>;
}
