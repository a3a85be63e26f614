/**
 * OpenAI, xAI Grok and any OpenAI-compatible endpoint (Ollama, vLLM, Azure, a proxy) through the
 * official `openai` SDK's Chat Completions API, which all of them speak. Structured output uses
 * the SDK's `zodResponseFormat` (strict JSON Schema, enforced by the server). The answer is
 * validated by our own parser rather than `.parse()`, because `.parse()` throws on an invalid
 * answer and loses its token usage, which budgets must count.
 */
import OpenAI, { APIConnectionTimeoutError, APIError } from "openai";
import { zodResponseFormat } from "openai/helpers/zod";
import type { Clock } from "../../domain/clock.js";
import { ProviderFailure, errorMessage, fromSdkError } from "../failure.js";
import type { ProviderClient, ProviderRequest, ProviderResponse } from "../provider.js";

export const OPENAI_BASE_URL = "https://api.openai.com/v1";
export const XAI_BASE_URL = "https://api.x.ai/v1";

interface OpenAIChatOptions {
  apiKey: string;
  baseURL: string;
  clock: Clock;
  /** OpenAI and xAI take `max_completion_tokens`; many compatible servers still only know `max_tokens`. */
  tokenParam: "max_completion_tokens" | "max_tokens";
  fetch?: typeof fetch;
}

export function createOpenAIChatClient(opts: OpenAIChatOptions): ProviderClient {
  const client = new OpenAI({
    apiKey: opts.apiKey,
    baseURL: opts.baseURL,
    // Explicit nulls keep the SDK from reading OPENAI_* variables behind our back.
    adminAPIKey: null,
    organization: null,
    project: null,
    webhookSecret: null,
    maxRetries: 0, // one retry policy: ours
    timeout: 24 * 3600 * 1000, // our per-attempt timeout aborts first
    logLevel: "off",
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });

  return {
    nativeSchema: true,
    async complete(req: ProviderRequest): Promise<ProviderResponse> {
      let format;
      try {
        format = zodResponseFormat(req.schema, req.schemaName);
      } catch (error) {
        throw new ProviderFailure("provider-error", `schema not usable for strict structured output: ${errorMessage(error)}`, false, undefined, false);
      }
      try {
        const completion = await client.chat.completions.create(
          {
            model: req.model,
            messages: [{ role: "system", content: req.system }, ...req.messages],
            response_format: format,
            [opts.tokenParam]: req.maxOutputTokens,
          },
          { signal: req.signal },
        );
        const choice = completion.choices[0];
        const message = choice?.message;
        const filtered = choice?.finish_reason === "content_filter";
        return {
          text: message?.content ?? "",
          refusal: message?.refusal ?? (filtered ? "the provider's content filter blocked the answer" : null),
          truncated: choice?.finish_reason === "length",
          inputTokens: completion.usage?.prompt_tokens ?? 0,
          outputTokens: completion.usage?.completion_tokens ?? 0,
          estimated: completion.usage === undefined,
          model: completion.model || req.model,
        };
      } catch (error) {
        throw fromSdkError(error, opts.clock.now(), { APIError, APIConnectionTimeoutError });
      }
    },
  };
}
