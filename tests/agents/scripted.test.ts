/** The offline scripted provider: deterministic, labelled, and able to simulate failures. */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { registerScriptedResponder, SCRIPTED_LABEL, scriptedProvider } from "../../tools/scripted/index.js";
import { config, reviewCall, reviewSchema, roster } from "./helpers.js";

const scripted = (name: string, behaviour: Record<string, unknown> = {}) => ({ custom: { [name]: { provider: "scripted", model: "scripted", scripted: behaviour } } });

describe("scripted provider", () => {
  it("answers any schema, deterministically, labelling free text as scripted", async () => {
    const schema = z.object({
      verdict: z.enum(["approve", "request-changes", "comment"]),
      summary: z.string(),
      score: z.number().int().min(1).max(5),
      risks: z.array(z.object({ file: z.string(), severity: z.enum(["low", "high"]) })).min(2),
      followUp: z.string().nullable(),
      url: z.url(),
    });
    const call = { task: "inspect", instructions: "Inspect.", data: [{ label: "diff", content: "+ a line" }], schema };
    const first = await roster({ config: config(scripted("alpha")) }).get("alpha")!.call(call);
    const again = await roster({ config: config(scripted("alpha")) }).get("alpha")!.call(call);
    expect(first.ok).toBe(true);
    if (!first.ok || !again.ok) return;
    expect(again.value).toEqual(first.value);
    expect(first.value.summary.startsWith(SCRIPTED_LABEL)).toBe(true);
    expect(first.value.risks).toHaveLength(2);
    expect(first.value.score).toBeGreaterThanOrEqual(1);
    expect(first.usage).toMatchObject({ model: "scripted", costUsd: 0, estimated: true });
  });

  it("gives different agents (and different data) their own deterministic choices", async () => {
    const r = roster({ config: config({ custom: Object.fromEntries(["a1", "a2", "a3", "a4", "a5", "a6"].map((n) => [n, { provider: "scripted", model: "scripted" }])) }) });
    const verdicts = await Promise.all(r.agents.map(async (agent) => {
      const result = await agent.call(reviewCall());
      return result.ok ? result.value.verdict : "failed";
    }));
    expect(new Set(verdicts).size).toBeGreaterThan(1);
    expect(verdicts).not.toContain("failed");
  });

  it("uses a responder registered for the task, and a code-level responder before it", async () => {
    const unregister = registerScriptedResponder("review", () => ({ verdict: "approve", summary: `${SCRIPTED_LABEL} registered`, confidence: 1 }));
    try {
      const viaRegistry = await roster({ config: config(scripted("alpha")) }).get("alpha")!.call(reviewCall());
      expect(viaRegistry).toMatchObject({ ok: true, value: { summary: `${SCRIPTED_LABEL} registered` } });
      const viaCode = await roster({
        config: config(scripted("alpha")),
        scripted: scriptedProvider({ defaults: false, byAgent: { alpha: (_call, ctx) => ({ verdict: "comment", summary: `${SCRIPTED_LABEL} ${ctx.agent} in code`, confidence: 0.5 }) } }),
      }).get("alpha")!.call(reviewCall());
      expect(viaCode).toMatchObject({ ok: true, value: { summary: `${SCRIPTED_LABEL} alpha in code` } });
    } finally {
      unregister();
    }
    const generic = await roster({ config: config(scripted("alpha")) }).get("alpha")!.call(reviewCall());
    expect(generic).toMatchObject({ ok: true, value: { summary: `${SCRIPTED_LABEL} alpha: summary` } });
  });

  it("simulates an agent that times out", async () => {
    const r = roster({ config: config({ custom: { slow: { provider: "scripted", model: "scripted", maxRetries: 1, timeoutMs: 30, scripted: { delayMs: 10_000 } } } }) });
    const result = await r.get("slow")!.call(reviewCall());
    expect(result).toMatchObject({ ok: false, error: { kind: "timeout", message: "slow gave no answer within 30ms (2 attempts)" } });
  });

  it("simulates an outage that retries absorb", async () => {
    const r = roster({ config: config(scripted("flaky", { failures: 2 })) });
    expect(await r.get("flaky")!.call(reviewCall())).toMatchObject({ ok: true });
  });

  it("simulates invalid output: repaired after one bad answer, an abstention after two", async () => {
    const once = await roster({ config: config(scripted("sloppy", { invalidOutputs: 1 })) }).get("sloppy")!.call(reviewCall());
    expect(once).toMatchObject({ ok: true, attempts: 2 });
    const always = await roster({ config: config(scripted("broken", { invalidOutputs: 99 })) }).get("broken")!.call(reviewCall());
    expect(always).toMatchObject({ ok: false, error: { kind: "invalid-output" }, attempts: 2 });
  });

  it("simulates a refusal", async () => {
    expect(await roster({ config: config(scripted("prude", { refuse: true })) }).get("prude")!.call(reviewCall())).toMatchObject({
      ok: false,
      error: { kind: "refused", message: expect.stringContaining(SCRIPTED_LABEL) },
    });
  });

  it("runs every configured agent offline for the demo, keys or not", async () => {
    const r = roster({ config: config({ claude: { enabled: true }, chatgpt: { enabled: true }, gemini: { enabled: true }, grok: { enabled: true } }), offline: true });
    expect(r.agents.map((a) => `${a.name}:${a.provider}`)).toEqual(["claude:scripted", "chatgpt:scripted", "gemini:scripted", "grok:scripted"]);
    const results = await Promise.all(r.agents.map((a) => a.call(reviewCall())));
    for (const result of results) {
      expect(result.ok).toBe(true);
      if (result.ok) expect(reviewSchema.parse(result.value).summary).toContain(SCRIPTED_LABEL);
    }
  });

  it("is off in a product run, which brings no scripted provider", async () => {
    const r = roster({ config: config(scripted("alpha")), scripted: undefined });
    expect(r.agents).toEqual([]);
    expect(r.disabled.find((agent) => agent.name === "alpha")?.message).toContain("answers only in Orkestra's demo and tests");
    expect(await r.get("alpha")!.call(reviewCall())).toMatchObject({ ok: false, error: { kind: "disabled" } });
  });

  it("runs no agent offline when the door brings no scripted provider", () => {
    const r = roster({ config: config({ claude: { enabled: true } }), offline: true, scripted: undefined });
    expect(r.agents).toEqual([]);
    expect(r.disabled.find((agent) => agent.name === "claude")?.reason).toBe("no-key");
  });
});
