/**
 * Anthropic Claude through `@anthropic-ai/sdk`. Structured output is the SDK's `zodOutputFormat`
 * sent as `output_config.format` (the server constrains the answer to the schema). As for OpenAI,
 * the text is validated by our parser instead of `messages.parse()`, which throws on an invalid
 * answer and drops the usage we must count.
 */
import Anthropic, { APIConnectionTimeoutError, APIError } from "@anthropic-ai/sdk";
import { zodOutputFormat } from "@anthropic-ai/sdk/helpers/zod";
import type { Clock } from "../../domain/clock.js";
import { ProviderFailure, errorMessage, fromSdkError } from "../failure.js";
import type { ProviderClient, ProviderRequest, ProviderResponse } from "../provider.js";

export const ANTHROPIC_BASE_URL = "https://api.anthropic.com";

interface AnthropicOptions {
  apiKey: string;
  baseURL: string;
  clock: Clock;
  fetch?: typeof fetch;
}

export function createAnthropicClient(opts: AnthropicOptions): ProviderClient {
  const client = new Anthropic({
    apiKey: opts.apiKey,
    baseURL: opts.baseURL,
    webhookKey: null,
    maxRetries: 0,
    timeout: 24 * 3600 * 1000,
    logLevel: "off",
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });

  return {
    nativeSchema: true,
    async complete(req: ProviderRequest): Promise<ProviderResponse> {
      let format;
      try {
        format = zodOutputFormat(req.schema);
      } catch (error) {
        throw new ProviderFailure("provider-error", `schema not usable for structured output: ${errorMessage(error)}`, false, undefined, false);
      }
      try {
        const message = await client.messages.create(
          {
            model: req.model,
            max_tokens: req.maxOutputTokens,
            system: req.system,
            messages: req.messages,
            // A plain JSON-schema format: the SDK would otherwise try to parse (and throw) itself.
            output_config: { format: { type: format.type, schema: format.schema } },
          },
          { signal: req.signal },
        );
        const text = message.content
          .filter((block): block is Anthropic.TextBlock => block.type === "text")
          .map((block) => block.text)
          .join("");
        const usage = message.usage;
        return {
          text,
          refusal: message.stop_reason === "refusal" ? `the model refused${message.stop_details?.category ? ` (${message.stop_details.category})` : ""}` : null,
          truncated: message.stop_reason === "max_tokens" || message.stop_reason === "model_context_window_exceeded",
          inputTokens: usage.input_tokens + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0),
          outputTokens: usage.output_tokens,
          estimated: false,
          model: message.model || req.model,
        };
      } catch (error) {
        throw fromSdkError(error, opts.clock.now(), { APIError, APIConnectionTimeoutError });
      }
    },
  };
}
