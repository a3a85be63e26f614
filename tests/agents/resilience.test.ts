/** Circuit breaker, per-provider concurrency limit and budgets, seen through real agent calls. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createHealthBook, InMemoryUsageStore } from "../../src/agents/index.js";
import { fixedClock } from "../../tools/fixed-clock.js";
import { budgets, config, goodReview, reviewCall, roster } from "./helpers.js";

const OPENAI = "https://api.openai.com";
const env = { OPENAI_API_KEY: "sk-proj-test-0123456789abcdef" };
const completion = (content: string) => ({
  id: "chatcmpl-1",
  object: "chat.completion",
  created: 1_763_719_200,
  model: "gpt-5.4-mini",
  choices: [{ index: 0, message: { role: "assistant", content, refusal: null }, logprobs: null, finish_reason: "stop" }],
  usage: { prompt_tokens: 812, completion_tokens: 41, total_tokens: 853 },
});
const serverError = { error: { message: "The server had an error", type: "server_error", param: null, code: null } };

describe("circuit breaker", () => {
  it("marks an agent degraded after repeated failures, skips it without a request, and recovers after the cool-down", async () => {
    const r = roster({ config: config({ chatgpt: { enabled: true, maxRetries: 0 } }, { breakerThreshold: 2, breakerCooldownMs: 60 }), env });
    const agent = r.get("chatgpt")!;
    nock(OPENAI).post("/v1/chat/completions").times(2).reply(500, serverError);
    expect(await agent.call(reviewCall())).toMatchObject({ ok: false, error: { kind: "provider-error" } });
    expect(agent.health().degraded).toBe(false);
    expect(await agent.call(reviewCall())).toMatchObject({ ok: false, error: { kind: "provider-error" } });
    expect(agent.health()).toMatchObject({ degraded: true, breaker: "open", calls: 2, failures: 2, successRate: 0 });

    const unused = nock(OPENAI).post("/v1/chat/completions").reply(200, completion(JSON.stringify(goodReview)));
    expect(await agent.call(reviewCall())).toMatchObject({ ok: false, error: { kind: "circuit-open", message: expect.stringContaining("skipped until") } });
    expect(unused.isDone()).toBe(false);

    await new Promise((resolve) => setTimeout(resolve, 70));
    expect(agent.health()).toMatchObject({ degraded: false, breaker: "half-open" });
    expect(await agent.call(reviewCall())).toMatchObject({ ok: true });
    expect(unused.isDone()).toBe(true);
    expect(agent.health()).toMatchObject({ degraded: false, breaker: "closed", calls: 4, successes: 1 });
  });

  it("keeps an agent degraded across rosters that share a health book (the app builds agents per event)", async () => {
    const health = createHealthBook();
    const settings = config({ chatgpt: { enabled: true, maxRetries: 0 } }, { breakerThreshold: 2, breakerCooldownMs: 60_000 });
    const first = roster({ config: settings, env, health }).get("chatgpt")!;
    nock(OPENAI).post("/v1/chat/completions").times(2).reply(500, serverError);
    await first.call(reviewCall());
    await first.call(reviewCall());
    const next = roster({ config: settings, env, health }).get("chatgpt")!;
    expect(next.health()).toMatchObject({ degraded: true, failures: 2 });
    expect(await next.call(reviewCall())).toMatchObject({ ok: false, error: { kind: "circuit-open" } });
    const separate = roster({ config: settings, env }).get("chatgpt")!;
    expect(separate.health()).toMatchObject({ degraded: false, calls: 0 });
  });

  it("does not count a caller's unusable schema as an outage, and sends nothing", async () => {
    const r = roster({ config: config({ chatgpt: { enabled: true } }, { breakerThreshold: 1 }), env });
    const unused = nock(OPENAI).post("/v1/chat/completions").reply(200, completion("{}"));
    const optional = z.object({ note: z.string().optional() }); // strict structured output needs .nullable()
    const call = { task: "note", instructions: "Note.", data: [], schema: optional };
    expect(await r.get("chatgpt")!.call(call)).toMatchObject({ ok: false, error: { kind: "provider-error", message: expect.stringContaining("schema not usable") } });
    expect(await r.get("chatgpt")!.call(call)).toMatchObject({ ok: false, error: { kind: "provider-error" } });
    expect(r.get("chatgpt")!.health().degraded).toBe(false);
    expect(unused.isDone()).toBe(false);
  });

  it("does not count refusals or invalid answers as outages", async () => {
    const r = roster({ config: config({ chatgpt: { enabled: true, maxRetries: 0 } }, { breakerThreshold: 1 }), env });
    nock(OPENAI).post("/v1/chat/completions").times(3).reply(200, completion("not json"));
    expect(await r.get("chatgpt")!.call(reviewCall())).toMatchObject({ ok: false, error: { kind: "invalid-output" } });
    expect(r.get("chatgpt")!.health().degraded).toBe(false);
  });
});

describe("concurrency limit per provider", () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  async function maxInFlight(concurrencyPerProvider: number): Promise<number> {
    let active = 0;
    let peak = 0;
    server = createServer((req, res) => {
      active += 1;
      peak = Math.max(peak, active);
      req.resume();
      setTimeout(() => {
        active -= 1;
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(completion(JSON.stringify(goodReview))));
      }, 50);
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    const agent = { provider: "openai-compatible", baseUrl, model: "llama3.3" };
    const r = roster({ config: config({ custom: { local1: agent, local2: agent } }, { concurrencyPerProvider }) });
    const results = await Promise.all([...r.agents, ...r.agents].map((a) => a.call(reviewCall())));
    expect(results.every((x) => x.ok)).toBe(true);
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    return peak;
  }

  it("keeps calls to one endpoint under the limit, across agents", async () => {
    expect(await maxInFlight(1)).toBe(1);
    expect(await maxInFlight(4)).toBeGreaterThan(1); // the limit, not the test, serialised them
  });
});

describe("budgets", () => {
  it("stops calls once the run's token budget would be passed, with a clear message and no request", async () => {
    nock(OPENAI).post("/v1/chat/completions").times(2).reply(200, completion(JSON.stringify(goodReview)));
    const unused = nock(OPENAI).post("/v1/chat/completions").reply(200, completion(JSON.stringify(goodReview)));
    const r = roster({ config: config({ chatgpt: { enabled: true } }), env, budgets: budgets({ perRun: { maxTokens: 853 * 2 + 10 } }) });
    const call = { ...reviewCall(), maxOutputTokens: 1 };
    expect((await r.get("chatgpt")!.call(call)).ok).toBe(true);
    expect((await r.get("chatgpt")!.call(call)).ok).toBe(true);
    const third = await r.get("chatgpt")!.call(call);
    expect(third).toMatchObject({ ok: false, error: { kind: "budget-exceeded", message: expect.stringContaining("budgets.perRun.maxTokens") }, attempts: 0 });
    expect(unused.isDone()).toBe(false);
    expect(r.usage().run.total).toMatchObject({ tokens: 1706, calls: 2 });
    expect(r.usage().run.byAgent.chatgpt?.costUsd).toBeCloseTo(2 * (812 * 0.75 + 41 * 4.5) / 1e6, 10);
  });

  it("refuses an oversized prompt before sending it", async () => {
    const r = roster({ config: config({ chatgpt: { enabled: true } }), env, budgets: budgets({ perCall: { maxInputTokens: 1000 } }) });
    const result = await r.get("chatgpt")!.call(reviewCall("x".repeat(10_000)));
    expect(result).toMatchObject({ ok: false, error: { kind: "budget-exceeded", message: expect.stringContaining("send less data") } });
  });

  it("keeps the daily budget across runs through the usage store, and starts afresh the next UTC day", async () => {
    const store = new InMemoryUsageStore();
    await store.save("2026-11-21", { tokens: 0, costUsd: 24.999, calls: 900, byAgent: {} });
    const clock = fixedClock("2026-11-21T23:59:00Z");
    const r = roster({ config: config({ chatgpt: { enabled: true } }), env, usageStore: store, clock });
    const blocked = await r.get("chatgpt")!.call(reviewCall());
    expect(blocked).toMatchObject({ ok: false, error: { kind: "budget-exceeded", message: expect.stringContaining("cost today 2026-11-21 (budgets.perDay.maxCostUsd)") } });

    clock.advance(2 * 60_000);
    nock(OPENAI).post("/v1/chat/completions").reply(200, completion(JSON.stringify(goodReview)));
    expect((await r.get("chatgpt")!.call(reviewCall())).ok).toBe(true);
    expect(await store.load("2026-11-22")).toMatchObject({ tokens: 853, calls: 1, byAgent: { chatgpt: { tokens: 853, calls: 1 } } });
    expect((await store.load("2026-11-21")).calls).toBe(900);
  });

  it("applies an agent's own daily cap", async () => {
    const store = new InMemoryUsageStore();
    await store.save("2026-11-21", { tokens: 10, costUsd: 0.5, calls: 1, byAgent: { chatgpt: { tokens: 10, costUsd: 0.5, calls: 1 } } });
    const r = roster({ config: config({ chatgpt: { enabled: true, budget: { maxCostUsdPerDay: 0.5 } } }), env, usageStore: store });
    expect(await r.get("chatgpt")!.call(reviewCall())).toMatchObject({ ok: false, error: { kind: "budget-exceeded", message: expect.stringContaining("agent chatgpt cost today") } });
  });
});
