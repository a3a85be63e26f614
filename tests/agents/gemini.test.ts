/** Google Gemini over HTTP with nock: `@google/genai` builds and parses every request. */
import nock from "nock";
import { describe, expect, it } from "vitest";
import { config, goodReview, recordingLogger, reviewCall, roster } from "./helpers.js";

const ORIGIN = "https://generativelanguage.googleapis.com";
const PATH = "/v1beta/models/gemini-3.5-flash:generateContent";
const KEY = "AIzaSyTest0123456789abcdefghijklmnopq";
const env = { GEMINI_API_KEY: KEY };

/** A generateContent response in the real shape. */
function generated(text: string, finishReason = "STOP") {
  return {
    candidates: [{ content: { parts: [{ text }], role: "model" }, finishReason, index: 0 }],
    usageMetadata: {
      promptTokenCount: 640,
      candidatesTokenCount: 37,
      thoughtsTokenCount: 120,
      totalTokenCount: 797,
      promptTokensDetails: [{ modality: "TEXT", tokenCount: 640 }],
    },
    modelVersion: "gemini-3.5-flash",
    responseId: "mZ0faPWlOpbDz7IP9ZiKqQs",
  };
}

const googleError = (code: number, status: string, message: string, details: unknown[] = []) => ({ error: { code, message, status, details } });

function make(resilience: Record<string, unknown> = {}) {
  const logger = recordingLogger();
  return { logger, gemini: roster({ config: config({ gemini: { enabled: true } }, resilience), env, logger }).get("gemini")! };
}

describe("Gemini (gemini)", () => {
  it("asks for JSON with responseJsonSchema and counts thinking tokens as output", async () => {
    let body: Record<string, unknown> = {};
    let apiKey: unknown;
    nock(ORIGIN)
      .post(PATH, (b: Record<string, unknown>) => ((body = b), true))
      .reply(function () {
        apiKey = this.req.headers["x-goog-api-key"];
        return [200, generated(JSON.stringify(goodReview))];
      });
    const result = await make().gemini.call(reviewCall());
    expect(result).toMatchObject({ ok: true, value: goodReview });
    if (result.ok) expect(result.usage).toMatchObject({ inputTokens: 640, outputTokens: 157, model: "gemini-3.5-flash" });
    expect(apiKey).toBe(KEY);
    const generationConfig = body.generationConfig as Record<string, unknown>;
    expect(generationConfig.responseMimeType).toBe("application/json");
    expect(generationConfig.responseJsonSchema).toMatchObject({ type: "object", required: ["verdict", "summary", "confidence"] });
    expect(generationConfig.responseJsonSchema).not.toHaveProperty("$schema");
    expect(generationConfig.maxOutputTokens).toBe(2048);
    expect(JSON.stringify(body.systemInstruction)).toContain("untrusted DATA");
  });

  it("honours Google's RetryInfo delay on 429 RESOURCE_EXHAUSTED", async () => {
    nock(ORIGIN)
      .post(PATH)
      .reply(
        429,
        googleError(429, "RESOURCE_EXHAUSTED", "You exceeded your current quota.", [
          { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "0.030s" },
        ]),
      )
      .post(PATH)
      .reply(200, generated(JSON.stringify(goodReview)));
    const { gemini, logger } = make();
    expect((await gemini.call(reviewCall())).ok).toBe(true);
    expect(logger.lines.some((l) => /retry 1 in 30ms/.test(l))).toBe(true);
  });

  it("retries 503 and reports a persistent 500", async () => {
    nock(ORIGIN).post(PATH).reply(503, googleError(503, "UNAVAILABLE", "The model is overloaded.")).post(PATH).reply(200, generated(JSON.stringify(goodReview)));
    expect((await make().gemini.call(reviewCall())).ok).toBe(true);
    const scope = nock(ORIGIN).post(PATH).times(3).reply(500, googleError(500, "INTERNAL", "An internal error has occurred."));
    expect(await make().gemini.call(reviewCall())).toMatchObject({ ok: false, error: { kind: "provider-error" } });
    expect(scope.isDone()).toBe(true);
  });

  it("times out", async () => {
    nock(ORIGIN).post(PATH).times(3).delay(500).reply(200, generated(JSON.stringify(goodReview)));
    expect(await make().gemini.call({ ...reviewCall(), timeoutMs: 40 })).toMatchObject({ ok: false, error: { kind: "timeout" } });
  });

  it("repairs malformed JSON, sending the bad answer back as the model's turn", async () => {
    const bodies: Array<{ contents: Array<{ role: string }> }> = [];
    nock(ORIGIN)
      .post(PATH, (b: (typeof bodies)[number]) => (bodies.push(b), true))
      .reply(200, generated("{verdict: approve}"))
      .post(PATH, (b: (typeof bodies)[number]) => (bodies.push(b), true))
      .reply(200, generated(JSON.stringify(goodReview)));
    expect(await make().gemini.call(reviewCall())).toMatchObject({ ok: true, attempts: 2 });
    expect(bodies[1]!.contents.map((c) => c.role)).toEqual(["user", "model", "user"]);
  });

  it("returns invalid-output for an enum value outside the schema, twice", async () => {
    nock(ORIGIN).post(PATH).times(2).reply(200, generated(JSON.stringify({ ...goodReview, verdict: "merge-now" })));
    expect(await make().gemini.call(reviewCall())).toMatchObject({ ok: false, error: { kind: "invalid-output" } });
  });

  it("reports a blocked prompt (promptFeedback.blockReason) as refused", async () => {
    nock(ORIGIN)
      .post(PATH)
      .reply(200, {
        promptFeedback: { blockReason: "PROHIBITED_CONTENT" },
        usageMetadata: { promptTokenCount: 640, totalTokenCount: 640 },
        modelVersion: "gemini-3.5-flash",
      });
    const result = await make().gemini.call(reviewCall());
    expect(result).toMatchObject({ ok: false, error: { kind: "refused", message: expect.stringContaining("PROHIBITED_CONTENT") } });
  });

  it("reports a SAFETY finish as refused", async () => {
    nock(ORIGIN)
      .post(PATH)
      .reply(200, { candidates: [{ finishReason: "SAFETY", index: 0 }], usageMetadata: { promptTokenCount: 640, totalTokenCount: 640 }, modelVersion: "gemini-3.5-flash" });
    expect(await make().gemini.call(reviewCall())).toMatchObject({ ok: false, error: { kind: "refused" } });
  });

  it("takes GOOGLE_API_KEY when GEMINI_API_KEY is absent, and is off with neither", async () => {
    nock(ORIGIN).post(PATH).matchHeader("x-goog-api-key", KEY).reply(200, generated(JSON.stringify(goodReview)));
    const withGoogle = roster({ config: config({ gemini: { enabled: true } }), env: { GOOGLE_API_KEY: KEY } });
    expect((await withGoogle.get("gemini")!.call(reviewCall())).ok).toBe(true);

    const none = roster({ config: config({ gemini: { enabled: true } }), env: {} });
    expect(none.disabled).toContainEqual(expect.objectContaining({ name: "gemini", reason: "no-key", message: expect.stringContaining("GEMINI_API_KEY or GOOGLE_API_KEY") }));
  });

  it("keeps the key out of a 400 'API key not valid' error", async () => {
    nock(ORIGIN)
      .post(PATH)
      .reply(400, googleError(400, "INVALID_ARGUMENT", `API key not valid. Please pass a valid API key. (${KEY})`));
    const result = await make().gemini.call(reviewCall());
    expect(result).toMatchObject({ ok: false, error: { kind: "provider-error" } });
    if (!result.ok) expect(result.error.message).not.toContain(KEY);
  });
});
