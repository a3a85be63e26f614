/**
 * Google Gemini through `@google/genai` (the maintained SDK; `@google/generative-ai` is retired).
 * Structured output: `responseMimeType: "application/json"` with `responseJsonSchema`.
 */
import { ApiError, FinishReason, GoogleGenAI, type GenerateContentResponse } from "@google/genai";
import { z } from "zod";
import { ProviderFailure, errorMessage, httpFailure, retryAfterFromGoogleBody } from "../failure.js";
import type { ProviderClient, ProviderRequest, ProviderResponse } from "../provider.js";

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

export function createGeminiClient(opts: GeminiOptions): ProviderClient {
  const ai = new GoogleGenAI({
    apiKey: opts.apiKey,
    vertexai: false, // never switch to Vertex because GOOGLE_GENAI_USE_VERTEXAI happens to be set
    // No retryOptions: the SDK then makes exactly one attempt and our policy retries.
    httpOptions: { baseUrl: opts.baseURL, ...(opts.fetch ? { fetch: opts.fetch } : {}) },
  });

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
      const blockReason = response.promptFeedback?.blockReason;
      const text = (candidate?.content?.parts ?? [])
        .filter((part) => !part.thought && typeof part.text === "string")
        .map((part) => part.text)
        .join("");
      const usage = response.usageMetadata;
      return {
        text,
        refusal: blockReason
          ? `the prompt was blocked (${blockReason})`
          : finish && BLOCKING_FINISH.has(finish)
            ? `the answer was blocked (${finish})`
            : null,
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

function toFailure(error: unknown): ProviderFailure {
  if (error instanceof ProviderFailure) return error;
  if (error instanceof ApiError) return httpFailure(error.status, error.message, retryAfterFromGoogleBody(error.message));
  // fetch rejects with a TypeError when the endpoint cannot be reached.
  if (error instanceof TypeError) return httpFailure(undefined, errorMessage(error), undefined);
  return new ProviderFailure("provider-error", `unexpected error: ${errorMessage(error)}`, false);
}
