/**
 * OpenAI, xAI Grok and a generic OpenAI-compatible server, over HTTP with nock, so the official
 * `openai` SDK builds the requests and parses the responses itself.
 */
import nock from "nock";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { config, goodReview, recordingLogger, reviewCall, roster } from "./helpers.js";

interface Case {
  title: string;
  agent: string;
  origin: string;
  path: string;
  agents: Record<string, unknown>;
  env: Record<string, string>;
  key: string | null;
  tokenParam: "max_completion_tokens" | "max_tokens";
}

const cases: Case[] = [
  {
    title: "OpenAI (chatgpt)",
    agent: "chatgpt",
    origin: "https://api.openai.com",
    path: "/v1/chat/completions",
    agents: { chatgpt: { enabled: true } },
    env: { OPENAI_API_KEY: "sk-proj-test-0123456789abcdef" },
    key: "sk-proj-test-0123456789abcdef",
    tokenParam: "max_completion_tokens",
  },
  {
    title: "xAI (grok)",
    agent: "grok",
    origin: "https://api.x.ai",
    path: "/v1/chat/completions",
    agents: { grok: { enabled: true } },
    env: { XAI_API_KEY: "xai-test-0123456789abcdef" },
    key: "xai-test-0123456789abcdef",
    tokenParam: "max_completion_tokens",
  },
  {
    title: "OpenAI-compatible (a local Ollama)",
    agent: "llama",
    origin: "http://ollama.internal:11434",
    path: "/v1/chat/completions",
    agents: { custom: { llama: { provider: "openai-compatible", baseUrl: "http://ollama.internal:11434/v1", model: "llama3.3" } } },
    env: {},
    key: null,
    tokenParam: "max_tokens",
  },
];

/** A chat completion in the real API's shape. */
function completion(content: string | null, extra: { refusal?: string; finish?: string; model?: string } = {}) {
  return {
    id: "chatcmpl-BX7v2uQ1xYz",
    object: "chat.completion",
    created: 1_763_719_200,
    model: extra.model ?? "gpt-5.4-mini-2026-03-17",
    choices: [
      {
        index: 0,
        message: { role: "assistant", content, refusal: extra.refusal ?? null, annotations: [] },
        logprobs: null,
        finish_reason: extra.finish ?? "stop",
      },
    ],
    usage: {
      prompt_tokens: 812,
      completion_tokens: 41,
      total_tokens: 853,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    },
    service_tier: "default",
    system_fingerprint: "fp_3f58d112f7",
  };
}

const apiError = (message: string, type: string, code: string | null) => ({ error: { message, type, param: null, code } });

describe.each(cases)("$title", (c) => {
  const make = (resilience: Record<string, unknown> = {}, logger = recordingLogger()) =>
    ({ logger, r: roster({ config: config(c.agents, resilience), env: c.env, logger }) });

  it("sends a strict JSON-schema request and returns the validated answer with usage", async () => {
    let body: Record<string, unknown> = {};
    let auth: string | undefined;
    nock(c.origin)
      .post(c.path, (b: Record<string, unknown>) => ((body = b), true))
      .reply(function () {
        auth = this.req.headers.authorization;
        return [200, completion(JSON.stringify(goodReview))];
      });
    const { r } = make();
    const result = await r.get(c.agent)!.call(reviewCall());
    expect(result).toMatchObject({ ok: true, value: goodReview, attempts: 1 });
    if (!result.ok) return;
    expect(result.usage).toMatchObject({ inputTokens: 812, outputTokens: 41, model: "gpt-5.4-mini-2026-03-17", estimated: false });
    expect(result.usage.costUsd).toBeGreaterThan(0);
    const format = body.response_format as { type: string; json_schema: { strict: boolean; name: string; schema: { required: string[] } } };
    expect(format.type).toBe("json_schema");
    expect(format.json_schema).toMatchObject({ strict: true, name: "review" });
    expect(format.json_schema.schema.required).toEqual(["verdict", "summary", "confidence"]);
    expect(body[c.tokenParam]).toBe(2048);
    const messages = body.messages as Array<{ role: string; content: string }>;
    expect(messages[0]?.role).toBe("system");
    expect(messages[1]?.content).toContain("Please fix the crash");
    if (c.key) expect(auth).toBe(`Bearer ${c.key}`);
  });

  it("waits as long as retry-after asks on 429, then succeeds", async () => {
    nock(c.origin)
      .post(c.path)
      .reply(429, apiError("Rate limit reached for requests", "requests", "rate_limit_exceeded"), { "retry-after-ms": "30" })
      .post(c.path)
      .reply(200, completion(JSON.stringify(goodReview)));
    const { r, logger } = make();
    const result = await r.get(c.agent)!.call(reviewCall());
    expect(result.ok).toBe(true);
    expect(logger.lines.some((l) => /retry 1 in 30ms/.test(l))).toBe(true);
  });

  it("gives up on 429 when retry-after is longer than allowed, without waiting", async () => {
    nock(c.origin)
      .post(c.path)
      .reply(429, apiError("Rate limit reached for requests", "requests", "rate_limit_exceeded"), { "retry-after": "3600" });
    const { r } = make();
    const result = await r.get(c.agent)!.call(reviewCall());
    expect(result).toMatchObject({ ok: false, error: { kind: "rate-limited" } });
    if (!result.ok) expect(result.error.message).toContain("asked to wait 3600s");
  });

  it("retries a 500 and reports a provider error when it persists", async () => {
    const scope = nock(c.origin).post(c.path).times(3).reply(500, apiError("The server had an error while processing your request.", "server_error", null));
    const { r } = make();
    const result = await r.get(c.agent)!.call(reviewCall());
    expect(result).toMatchObject({ ok: false, error: { kind: "provider-error" } });
    expect(scope.isDone()).toBe(true); // 1 try + 2 retries
  });

  it("times out a slow answer", async () => {
    nock(c.origin).post(c.path).times(3).delay(500).reply(200, completion(JSON.stringify(goodReview)));
    const { r } = make();
    const result = await r.get(c.agent)!.call({ ...reviewCall(), timeoutMs: 40 });
    expect(result).toMatchObject({ ok: false, error: { kind: "timeout" } });
  });

  it("shows the model its malformed JSON once, and accepts the corrected answer", async () => {
    const bodies: Array<{ messages: Array<{ role: string; content: string }> }> = [];
    nock(c.origin)
      .post(c.path, (b: (typeof bodies)[number]) => (bodies.push(b), true))
      .reply(200, completion('{"verdict": "approve", "summary": "ok"'))
      .post(c.path, (b: (typeof bodies)[number]) => (bodies.push(b), true))
      .reply(200, completion(JSON.stringify(goodReview)));
    const { r } = make();
    const result = await r.get(c.agent)!.call(reviewCall());
    expect(result).toMatchObject({ ok: true, attempts: 2, value: goodReview });
    if (result.ok) expect(result.usage.inputTokens).toBe(1624); // both answers are counted
    const repair = bodies[1]!.messages;
    expect(repair.at(-2)).toMatchObject({ role: "assistant", content: '{"verdict": "approve", "summary": "ok"' });
    expect(repair.at(-1)?.content).toMatch(/not valid JSON/);
  });

  it("catches a schema-valid but wrong answer through the zod refinement, and abstains when it stays wrong", async () => {
    const ballot = ["option-a", "option-b"];
    const voteSchema = z.object({ choice: z.string().refine((v) => ballot.includes(v), "choice must be one of the ballot options: option-a, option-b") });
    const bodies: Array<{ messages: Array<{ content: string }> }> = [];
    nock(c.origin)
      .post(c.path, (b: (typeof bodies)[number]) => (bodies.push(b), true))
      .times(2)
      .reply(200, completion(JSON.stringify({ choice: "option-z" })));
    const { r } = make();
    const result = await r.get(c.agent)!.call({ task: "vote", instructions: "Vote.", data: [], schema: voteSchema });
    expect(result).toMatchObject({ ok: false, error: { kind: "invalid-output" }, attempts: 2 });
    expect(bodies[1]!.messages.at(-1)?.content).toContain("choice must be one of the ballot options");
  });

  it("reports a refusal as refused, without a repair turn", async () => {
    const scope = nock(c.origin).post(c.path).reply(200, completion(null, { refusal: "I'm sorry, I can't help with that request." }));
    const { r } = make();
    const result = await r.get(c.agent)!.call(reviewCall());
    expect(result).toMatchObject({ ok: false, error: { kind: "refused" }, attempts: 1 });
    if (!result.ok) expect(result.error.message).toContain("can't help");
    expect(scope.isDone()).toBe(true);
  });

  it("treats a content-filter stop as a refusal", async () => {
    nock(c.origin).post(c.path).reply(200, completion(null, { finish: "content_filter" }));
    const { r } = make();
    expect(await r.get(c.agent)!.call(reviewCall())).toMatchObject({ ok: false, error: { kind: "refused" } });
  });

  if (c.key) {
    const key = c.key;
    it("is off, not an error, without its key, and sends nothing", async () => {
      const scope = nock(c.origin).post(c.path).reply(200, completion(JSON.stringify(goodReview)));
      const r = roster({ config: config(c.agents), env: {} });
      expect(r.agents.map((a) => a.name)).not.toContain(c.agent);
      expect(r.disabled).toContainEqual(expect.objectContaining({ name: c.agent, reason: "no-key" }));
      expect(await r.get(c.agent)!.call(reviewCall())).toMatchObject({ ok: false, error: { kind: "no-key" } });
      expect(scope.isDone()).toBe(false);
    });

    it("never shows the key in an error, even when the provider echoes it", async () => {
      nock(c.origin)
        .post(c.path)
        .reply(401, apiError(`Incorrect API key provided: ${key}. You can find your API key in your dashboard.`, "invalid_request_error", "invalid_api_key"));
      const { r, logger } = make();
      const result = await r.get(c.agent)!.call(reviewCall());
      expect(result).toMatchObject({ ok: false, error: { kind: "provider-error" } });
      if (!result.ok) {
        expect(result.error.message).toContain("rejected the key (401)");
        expect(result.error.message).not.toContain(key);
      }
      expect(logger.lines.join("\n")).not.toContain(key);
    });
  }
});
