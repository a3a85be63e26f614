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
