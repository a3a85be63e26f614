/**
 * Anthropic Claude through `@anthropic-ai/sdk`. Structured output is the SDK's `zodOutputFormat`
 * sent as `output_config.format` (the server constrains the answer to the schema). As for OpenAI,
 * the text is validated by our parser instead of `messages.parse()`, which throws on an invalid
 * answer and drops the usage we must count.
 *
 * Tool use (API mode): Messages `tools` (`input_schema`), answers with `tool_use` blocks and
 * `stop_reason: "tool_use"`; the results go back in one user message of `tool_result` blocks
 * (`is_error` for errors), in the order of the calls. The assistant turn is sent back as it came
 * (text, tool_use and any thinking blocks, unchanged and in order).
 */
import Anthropic, { APIConnectionTimeoutError, APIError } from "@anthropic-ai/sdk";
import { zodOutputFormat } from "@anthropic-ai/sdk/helpers/zod";
import type { Clock } from "../../domain/clock.js";
import { ProviderFailure, errorMessage, fromSdkError } from "../failure.js";
import type { ProviderClient, ProviderRequest, ProviderResponse, ToolChatClient, ToolChatRequest, ToolChatResponse, ToolTurn } from "../provider.js";

export const ANTHROPIC_BASE_URL = "https://api.anthropic.com";

interface AnthropicOptions {
  apiKey: string;
  baseURL: string;
  clock: Clock;
  fetch?: typeof fetch;
}

function sdk(opts: AnthropicOptions): Anthropic {
  return new Anthropic({
    apiKey: opts.apiKey,
    baseURL: opts.baseURL,
    webhookKey: null,
    maxRetries: 0,
    timeout: 24 * 3600 * 1000,
    logLevel: "off",
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
}

/** Counted the same way for structured calls and tool turns: cache writes and reads are input too. */
function inputTokens(usage: Anthropic.Usage): number {
  return usage.input_tokens + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0);
}

export function createAnthropicClient(opts: AnthropicOptions): ProviderClient {
  const client = sdk(opts);

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
          inputTokens: inputTokens(usage),
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

/** Blocks of an assistant turn that go back to the API as they came; server-tool blocks never occur (no server tools are offered). */
function replayable(block: Anthropic.ContentBlock): Anthropic.ContentBlockParam | null {
  switch (block.type) {
    case "text":
      return { type: "text", text: block.text };
    case "tool_use":
      return { type: "tool_use", id: block.id, name: block.name, input: block.input };
    case "thinking":
      return { type: "thinking", thinking: block.thinking, signature: block.signature };
    case "redacted_thinking":
      return { type: "redacted_thinking", data: block.data };
    default:
      return null;
  }
}

function toMessages(conversation: ToolTurn[]): Anthropic.MessageParam[] {
  return conversation.map((turn): Anthropic.MessageParam => {
    switch (turn.role) {
      case "user":
        return { role: "user", content: turn.text };
      case "assistant": {
        // `native` is what this client returned for the turn: the replayable blocks.
        const blocks = (turn.native as Anthropic.ContentBlockParam[] | undefined) ?? [
          ...(turn.text ? [{ type: "text" as const, text: turn.text }] : []),
          ...turn.toolCalls.map((call) => ({ type: "tool_use" as const, id: call.id, name: call.name, input: call.input ?? {} })),
        ];
        return { role: "assistant", content: blocks };
      }
      case "tool-results":
        return {
          role: "user",
          content: turn.results.map((result) => ({ type: "tool_result" as const, tool_use_id: result.callId, content: result.content, ...(result.isError ? { is_error: true } : {}) })),
        };
    }
  });
}

export function createAnthropicToolClient(opts: AnthropicOptions): ToolChatClient {
  const client = sdk(opts);
  return {
    async send(req: ToolChatRequest): Promise<ToolChatResponse> {
      let message: Anthropic.Message;
      try {
        message = await client.messages.create(
          {
            model: req.model,
            max_tokens: req.maxOutputTokens,
            system: req.system,
            messages: toMessages(req.conversation),
            tools: req.tools.map((tool) => ({ name: tool.name, description: tool.description, input_schema: { ...tool.parameters, type: "object" as const } })),
          },
          { signal: req.signal },
        );
      } catch (error) {
        throw fromSdkError(error, opts.clock.now(), { APIError, APIConnectionTimeoutError });
      }
      const toolCalls = message.content
        .filter((block): block is Anthropic.ToolUseBlock => block.type === "tool_use")
        .map((block) => ({ id: block.id, name: block.name, input: block.input }));
      const stop = message.stop_reason;
      return {
        text: message.content
          .filter((block): block is Anthropic.TextBlock => block.type === "text")
          .map((block) => block.text)
          .join(""),
        toolCalls,
        native: message.content.map(replayable).filter((block) => block !== null),
        stop:
          stop === "refusal"
            ? "refusal"
            : stop === "max_tokens" || stop === "model_context_window_exceeded"
              ? "max-tokens"
              : toolCalls.length > 0
                ? "tool-use"
                : "end",
        refusal: stop === "refusal" ? `the model refused${message.stop_details?.category ? ` (${message.stop_details.category})` : ""}` : null,
        usage: { inputTokens: inputTokens(message.usage), outputTokens: message.usage.output_tokens, estimated: false },
        model: message.model || req.model,
      };
    },
  };
}
