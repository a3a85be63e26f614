/** Anthropic Claude over HTTP with nock: the official SDK builds and parses every request. */
import nock from "nock";
import { describe, expect, it } from "vitest";
import { config, goodReview, recordingLogger, reviewCall, roster } from "./helpers.js";

const ORIGIN = "https://api.anthropic.com";
const PATH = "/v1/messages";
const KEY = "sk-ant-api03-test-0123456789abcdef";
const env = { ANTHROPIC_API_KEY: KEY };

/** A Messages API response in the real shape. */
function message(text: string | null, stop: string = "end_turn", stopDetails: unknown = null) {
  return {
    id: "msg_01XFDUDYJgAACzvnptvVoYEL",
    type: "message",
    role: "assistant",
    model: "claude-sonnet-5",
    content: text === null ? [] : [{ type: "text", text }],
    stop_reason: stop,
    stop_sequence: null,
    stop_details: stopDetails,
    usage: {
      input_tokens: 1_204,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 100,
      output_tokens: 58,
      service_tier: "standard",
    },
  };
}

const apiError = (type: string, msg: string) => ({ type: "error", error: { type, message: msg }, request_id: "req_011CSHoEeqs5C35K2UUqR7Fy" });

function make(resilience: Record<string, unknown> = {}) {
  const logger = recordingLogger();
  return { logger, claude: roster({ config: config({ claude: { enabled: true } }, resilience), env, logger }).get("claude")! };
}

describe("Anthropic (claude)", () => {
  it("sends output_config.format with the schema and returns the validated answer with usage", async () => {
    let body: Record<string, unknown> = {};
    let headers: Record<string, unknown> = {};
    nock(ORIGIN)
      .post(PATH, (b: Record<string, unknown>) => ((body = b), true))
      .reply(function () {
        headers = this.req.headers;
        return [200, message(JSON.stringify(goodReview))];
      });
    const result = await make().claude.call(reviewCall());
    expect(result).toMatchObject({ ok: true, value: goodReview });
    if (result.ok) expect(result.usage).toMatchObject({ inputTokens: 1_304, outputTokens: 58, model: "claude-sonnet-5", estimated: false });
    expect(body).toMatchObject({ model: "claude-sonnet-5", max_tokens: 2048, output_config: { format: { type: "json_schema" } } });
    expect((body.output_config as { format: { schema: { required: string[] } } }).format.schema.required).toEqual(["verdict", "summary", "confidence"]);
    expect(body.system).toContain("untrusted DATA");
    expect(body).not.toHaveProperty("temperature"); // rejected by the 2026-10-21 API version
    expect(headers["anthropic-version"]).toBe("2026-10-21");
    expect(headers.authorization).toBe(`Bearer ${KEY}`);
    expect(headers["x-stainless-retry-count"]).toBe("0");
  });

  it("honours retry-after on 429", async () => {
    nock(ORIGIN)
      .post(PATH)
      .reply(429, apiError("rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit"), { "retry-after": "0.025" })
      .post(PATH)
      .reply(200, message(JSON.stringify(goodReview)));
    const { claude, logger } = make();
    expect((await claude.call(reviewCall())).ok).toBe(true);
    expect(logger.lines.some((l) => /retry 1 in 25ms/.test(l))).toBe(true);
  });

  it("retries 529 overloaded like a server error", async () => {
    nock(ORIGIN).post(PATH).reply(529, apiError("overloaded_error", "Overloaded")).post(PATH).reply(200, message(JSON.stringify(goodReview)));
    expect((await make().claude.call(reviewCall())).ok).toBe(true);
  });

  it("reports a persistent 500 as a provider error", async () => {
    const scope = nock(ORIGIN).post(PATH).times(3).reply(500, apiError("api_error", "Internal server error"));
    expect(await make().claude.call(reviewCall())).toMatchObject({ ok: false, error: { kind: "provider-error" } });
    expect(scope.isDone()).toBe(true);
  });

  it("times out", async () => {
    nock(ORIGIN).post(PATH).times(3).delay(500).reply(200, message(JSON.stringify(goodReview)));
    expect(await make().claude.call({ ...reviewCall(), timeoutMs: 40 })).toMatchObject({ ok: false, error: { kind: "timeout" } });
  });

  it("repairs malformed JSON with one more turn that quotes the error", async () => {
    const bodies: Array<{ messages: Array<{ role: string; content: string }> }> = [];
    nock(ORIGIN)
      .post(PATH, (b: (typeof bodies)[number]) => (bodies.push(b), true))
      .reply(200, message("Sure! Here is my review: verdict approve"))
      .post(PATH, (b: (typeof bodies)[number]) => (bodies.push(b), true))
      .reply(200, message(JSON.stringify(goodReview)));
    const result = await make().claude.call(reviewCall());
    expect(result).toMatchObject({ ok: true, attempts: 2 });
    expect(bodies[1]!.messages.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
  });

  it("returns invalid-output when a schema-valid JSON value breaks the zod rules twice", async () => {
    const wrong = { ...goodReview, confidence: 7 }; // JSON Schema says number; zod says at most 1
    nock(ORIGIN).post(PATH).times(2).reply(200, message(JSON.stringify(wrong)));
    const result = await make().claude.call(reviewCall());
    expect(result).toMatchObject({ ok: false, error: { kind: "invalid-output" }, attempts: 2 });
    if (!result.ok) {
      expect(result.error.message).toContain("confidence");
      expect(result.usage?.outputTokens).toBe(116);
    }
  });

  it("reports stop_reason refusal as refused", async () => {
    nock(ORIGIN).post(PATH).reply(200, message(null, "refusal", { type: "refusal", category: "cyber", explanation: null }));
    const result = await make().claude.call(reviewCall());
    expect(result).toMatchObject({ ok: false, error: { kind: "refused" } });
    if (!result.ok) expect(result.error.message).toContain("cyber");
  });

  it("reports an answer cut at max_tokens as invalid output, without a repair turn", async () => {
    const scope = nock(ORIGIN).post(PATH).reply(200, message('{"verdict":"comment","summ', "max_tokens"));
    expect(await make().claude.call(reviewCall())).toMatchObject({ ok: false, error: { kind: "invalid-output" }, attempts: 1 });
    expect(scope.isDone()).toBe(true);
  });

  it("is off without ANTHROPIC_API_KEY", async () => {
    const scope = nock(ORIGIN).post(PATH).reply(200, message(JSON.stringify(goodReview)));
    const r = roster({ config: config({ claude: { enabled: true } }), env: { OPENAI_API_KEY: "sk-other-0123456789" } });
    expect(r.agents).toHaveLength(0);
    expect(r.disabled).toContainEqual(expect.objectContaining({ name: "claude", reason: "no-key", message: expect.stringContaining("ANTHROPIC_API_KEY") }));
    expect(await r.get("claude")!.call(reviewCall())).toMatchObject({ ok: false, error: { kind: "no-key" } });
    expect(scope.isDone()).toBe(false);
  });

  it("uses a configured base URL (a company proxy)", async () => {
    const scope = nock("https://llm-proxy.example.com").post("/anthropic/v1/messages").reply(200, message(JSON.stringify(goodReview)));
    const r = roster({ config: config({ claude: { enabled: true, baseUrl: "https://llm-proxy.example.com/anthropic" } }), env });
    expect((await r.get("claude")!.call(reviewCall())).ok).toBe(true);
    expect(scope.isDone()).toBe(true);
  });
});
