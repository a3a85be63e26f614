/**
 * Google Gemini through `@google/genai` (the maintained SDK; `@google/generative-ai` is retired).
 * Structured output: `responseMimeType: "application/json"` with `responseJsonSchema`.
 *
 * Tool use (API mode): `tools: [{ functionDeclarations }]` with `parametersJsonSchema`; calls come
 * as `functionCall` parts (`args` is an object; `id` may be absent). The model's turn goes back
 * with all its parts unchanged (Gemini 3 rejects a function call without its `thoughtSignature`),
 * and the results as one `role: "user"` content of `functionResponse` parts, in the order of the
 * calls, each `{ output }` or `{ error }` with the call's name (and id when it had one) — the
 * shape the SDK's own automatic function calling sends.
 */
import { ApiError, FinishReason, GoogleGenAI, type Content, type GenerateContentResponse, type Part } from "@google/genai";
import { z } from "zod";
import { ProviderFailure, errorMessage, httpFailure, retryAfterFromGoogleBody } from "../failure.js";
import type { ProviderClient, ProviderRequest, ProviderResponse, ToolCall, ToolChatClient, ToolChatRequest, ToolChatResponse, ToolTurn } from "../provider.js";

export const GEMINI_BASE_URL = "https://generativelanguage.googleapis.com";

interface GeminiOptions {
  apiKey: string;
  baseURL: string;
  fetch?: typeof fetch;
}

const BLOCKING_FINISH: ReadonlySet<string> = new Set([
  FinishReason.SAFETY,
  FinishReason.RECITATION,
  FinishReason.BLOCKLIST,
  FinishReason.PROHIBITED_CONTENT,
  FinishReason.SPII,
  FinishReason.IMAGE_SAFETY,
]);

function sdk(opts: GeminiOptions): GoogleGenAI {
  return new GoogleGenAI({
    apiKey: opts.apiKey,
    vertexai: false, // never switch to Vertex because GOOGLE_GENAI_USE_VERTEXAI happens to be set
    // No retryOptions: the SDK then makes exactly one attempt and our policy retries.
    httpOptions: { baseUrl: opts.baseURL, ...(opts.fetch ? { fetch: opts.fetch } : {}) },
  });
}

/** Why an answer was withheld (a blocked prompt or a safety finish), or null. */
function blocked(response: GenerateContentResponse): string | null {
  const finish = response.candidates?.[0]?.finishReason;
  const blockReason = response.promptFeedback?.blockReason;
  if (blockReason) return `the prompt was blocked (${blockReason})`;
  return finish && BLOCKING_FINISH.has(finish) ? `the answer was blocked (${finish})` : null;
}

/** The answer's own text: thought summaries are not part of it. */
function answerText(parts: Part[]): string {
  return parts
    .filter((part) => !part.thought && typeof part.text === "string")
    .map((part) => part.text)
    .join("");
}

export function createGeminiClient(opts: GeminiOptions): ProviderClient {
  const ai = sdk(opts);

  return {
    nativeSchema: true,
    async complete(req: ProviderRequest): Promise<ProviderResponse> {
      const { $schema: _drop, ...jsonSchema } = z.toJSONSchema(req.schema) as Record<string, unknown>;
      let response: GenerateContentResponse;
      try {
        response = await ai.models.generateContent({
          model: req.model,
          contents: req.messages.map((m) => ({ role: m.role === "assistant" ? "model" : "user", parts: [{ text: m.content }] })),
          config: {
            systemInstruction: req.system,
            responseMimeType: "application/json",
            responseJsonSchema: jsonSchema,
            maxOutputTokens: req.maxOutputTokens,
            abortSignal: req.signal,
          },
        });
      } catch (error) {
        throw toFailure(error);
      }
      const candidate = response.candidates?.[0];
      const finish = candidate?.finishReason;
      const usage = response.usageMetadata;
      return {
        text: answerText(candidate?.content?.parts ?? []),
        refusal: blocked(response),
        truncated: finish === FinishReason.MAX_TOKENS,
        inputTokens: usage?.promptTokenCount ?? 0,
        // Thinking tokens are billed as output.
        outputTokens: (usage?.candidatesTokenCount ?? 0) + (usage?.thoughtsTokenCount ?? 0),
        estimated: usage === undefined,
        model: response.modelVersion ?? req.model,
      };
    },
  };
}

function toContents(conversation: ToolTurn[]): Content[] {
  const contents: Content[] = [];
  // Call ids the provider gave, by the id the loop knows them by (made up when Gemini sent none).
  const providerIds = new Map<string, string | undefined>();
  for (const turn of conversation) {
    if (turn.role === "user") contents.push({ role: "user", parts: [{ text: turn.text }] });
    else if (turn.role === "assistant") {
      // `native` is the candidate's parts as they came, thought signatures included.
      const parts: Part[] = (turn.native as Part[] | undefined) ?? [
        ...(turn.text ? [{ text: turn.text }] : []),
        ...turn.toolCalls.map((call) => ({ functionCall: { name: call.name, args: (call.input ?? {}) as Record<string, unknown> } })),
      ];
      const given = parts.filter((part) => part.functionCall).map((part) => part.functionCall?.id);
      turn.toolCalls.forEach((call, i) => providerIds.set(call.id, given[i]));
      contents.push({ role: "model", parts });
    } else {
      contents.push({
        role: "user",
        parts: turn.results.map((result) => {
          const id = providerIds.get(result.callId);
          return { functionResponse: { ...(id ? { id } : {}), name: result.name, response: result.isError ? { error: result.content } : { output: result.content } } };
        }),
      });
    }
  }
  return contents;
}

export function createGeminiToolClient(opts: GeminiOptions): ToolChatClient {
  const ai = sdk(opts);
  let made = 0;
  return {
    async send(req: ToolChatRequest): Promise<ToolChatResponse> {
      let response: GenerateContentResponse;
      try {
        response = await ai.models.generateContent({
          model: req.model,
          contents: toContents(req.conversation),
          config: {
            systemInstruction: req.system,
            tools: [{ functionDeclarations: req.tools.map((tool) => ({ name: tool.name, description: tool.description, parametersJsonSchema: tool.parameters })) }],
            maxOutputTokens: req.maxOutputTokens,
            abortSignal: req.signal,
          },
        });
      } catch (error) {
        throw toFailure(error);
      }
      const candidate = response.candidates?.[0];
      const finish = candidate?.finishReason;
      const parts = candidate?.content?.parts ?? [];
      const toolCalls: ToolCall[] = parts.flatMap((part) =>
        part.functionCall ? [{ id: part.functionCall.id ?? `gemini-call-${(made += 1)}`, name: part.functionCall.name ?? "", input: part.functionCall.args ?? {} }] : [],
      );
      const refusal = blocked(response);
      const usage = response.usageMetadata;
      return {
        text: answerText(parts),
        toolCalls,
        native: parts,
        stop:
          refusal !== null
            ? "refusal"
            : finish === FinishReason.MAX_TOKENS
              ? "max-tokens"
              : toolCalls.length > 0
                ? "tool-use"
                : finish === FinishReason.MALFORMED_FUNCTION_CALL || finish === FinishReason.UNEXPECTED_TOOL_CALL
                  ? "malformed-call"
                  : "end",
        refusal,
        usage: {
          inputTokens: (usage?.promptTokenCount ?? 0) + (usage?.toolUsePromptTokenCount ?? 0),
          // Thinking tokens are billed as output.
          outputTokens: (usage?.candidatesTokenCount ?? 0) + (usage?.thoughtsTokenCount ?? 0),
          estimated: usage === undefined,
        },
        model: response.modelVersion ?? req.model,
      };
    },
  };
}

function toFailure(error: unknown): ProviderFailure {
  if (error instanceof ProviderFailure) return error;
  if (error instanceof ApiError) return httpFailure(error.status, error.message, retryAfterFromGoogleBody(error.message));
  // fetch rejects with a TypeError when the endpoint cannot be reached.
  if (error instanceof TypeError) return httpFailure(undefined, errorMessage(error), undefined);
  return new ProviderFailure("provider-error", `unexpected error: ${errorMessage(error)}`, false);
}
