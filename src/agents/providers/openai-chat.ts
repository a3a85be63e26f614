/**
 * OpenAI, xAI Grok and any OpenAI-compatible endpoint (Ollama, vLLM, Azure, a proxy) through the
 * official `openai` SDK's Chat Completions API, which all of them speak. Structured output uses
 * the SDK's `zodResponseFormat` (strict JSON Schema, enforced by the server). The answer is
 * validated by our own parser rather than `.parse()`, because `.parse()` throws on an invalid
 * answer and loses its token usage, which budgets must count.
 *
 * Tool use (API mode): Chat Completions `tools` (`type: "function"`), answers with
 * `message.tool_calls` and `finish_reason: "tool_calls"`; `function.arguments` is a JSON *string*
 * the model wrote (it may be invalid: that is reported to the model). Results go back as one
 * `role: "tool"` message per call (`tool_call_id`), in the order of the calls; the API has no
 * error flag, so an error's text says so. `strict` and `parallel_tool_calls` are not sent (the
 * defaults: zod validates, and compatible servers may not know them).
 */
import OpenAI, { APIConnectionTimeoutError, APIError } from "openai";
import { zodResponseFormat } from "openai/helpers/zod";
import type { Clock } from "../../domain/clock.js";
import { ProviderFailure, errorMessage, fromSdkError } from "../failure.js";
import type { ProviderClient, ProviderRequest, ProviderResponse, ToolCall, ToolChatClient, ToolChatRequest, ToolChatResponse, ToolTurn } from "../provider.js";

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

function sdk(opts: OpenAIChatOptions): OpenAI {
  return new OpenAI({
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
}

export function createOpenAIChatClient(opts: OpenAIChatOptions): ProviderClient {
  const client = sdk(opts);
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

type ChatMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam;
type AssistantMessage = OpenAI.Chat.Completions.ChatCompletionAssistantMessageParam;

function toMessages(system: string, conversation: ToolTurn[]): ChatMessage[] {
  const messages: ChatMessage[] = [{ role: "system", content: system }];
  for (const turn of conversation) {
    if (turn.role === "user") messages.push({ role: "user", content: turn.text });
    else if (turn.role === "assistant") {
      // `native` is the assistant message this client built, with the model's argument strings as written.
      const native = turn.native as AssistantMessage | undefined;
      messages.push(
        native ?? {
          role: "assistant",
          content: turn.text || null,
          ...(turn.toolCalls.length > 0
            ? { tool_calls: turn.toolCalls.map((call) => ({ id: call.id, type: "function" as const, function: { name: call.name, arguments: JSON.stringify(call.input ?? {}) } })) }
            : {}),
        },
      );
    } else {
      for (const result of turn.results) {
        messages.push({ role: "tool", tool_call_id: result.callId, content: result.isError ? `Error: ${result.content}` : result.content });
      }
    }
  }
  return messages;
}

/** `arguments` is text the model wrote; '' is taken as no arguments. */
function parseArguments(text: string): Pick<ToolCall, "input" | "malformed"> {
  if (text.trim() === "") return { input: {} };
  try {
    return { input: JSON.parse(text) as unknown };
  } catch (error) {
    return { input: undefined, malformed: errorMessage(error) };
  }
}

export function createOpenAIChatToolClient(opts: OpenAIChatOptions): ToolChatClient {
  const client = sdk(opts);
  return {
    async send(req: ToolChatRequest): Promise<ToolChatResponse> {
      let completion: OpenAI.Chat.Completions.ChatCompletion;
      try {
        completion = await client.chat.completions.create(
          {
            model: req.model,
            messages: toMessages(req.system, req.conversation),
            tools: req.tools.map((tool) => ({ type: "function" as const, function: { name: tool.name, description: tool.description, parameters: tool.parameters } })),
            [opts.tokenParam]: req.maxOutputTokens,
          },
          { signal: req.signal },
        );
      } catch (error) {
        throw fromSdkError(error, opts.clock.now(), { APIError, APIConnectionTimeoutError });
      }
      const choice = completion.choices[0];
      const message = choice?.message;
      // Only function tools are offered, so only function calls can come back.
      const calls = (message?.tool_calls ?? []).filter((call) => call.type === "function");
      const toolCalls = calls.map((call) => ({ id: call.id, name: call.function.name, ...parseArguments(call.function.arguments) }));
      const text = message?.content ?? "";
      const refusal = message?.refusal ?? (choice?.finish_reason === "content_filter" ? "the provider's content filter blocked the answer" : null);
      const native: AssistantMessage = {
        role: "assistant",
        content: text || null,
        ...(calls.length > 0 ? { tool_calls: calls.map((call) => ({ id: call.id, type: "function" as const, function: { name: call.function.name, arguments: call.function.arguments } })) } : {}),
      };
      return {
        text,
        toolCalls,
        native,
        stop: refusal !== null ? "refusal" : choice?.finish_reason === "length" ? "max-tokens" : toolCalls.length > 0 ? "tool-use" : "end",
        refusal,
        usage: { inputTokens: completion.usage?.prompt_tokens ?? 0, outputTokens: completion.usage?.completion_tokens ?? 0, estimated: completion.usage === undefined },
        model: completion.model || req.model,
      };
    },
  };
}
