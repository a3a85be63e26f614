/** The pure budget ledger and the price table. */
import { describe, expect, it } from "vitest";
import { BudgetLedger, InMemoryUsageStore, costUsd, priceFor } from "../../src/agents/index.js";
import { budgets } from "./helpers.js";

const agent = (name: string, budget: Partial<{ maxTokensPerRun: number; maxCostUsdPerRun: number; maxCostUsdPerDay: number }> = {}) => ({
  name,
  budget: { maxTokensPerRun: null, maxCostUsdPerRun: null, maxCostUsdPerDay: null, ...budget },
});
const small = { inputTokens: 100, outputTokens: 100, costUsd: 0.01 };

describe("BudgetLedger", () => {
  it("checks each cap against what the call could cost at worst, and names the first one it would break", () => {
    const ledger = new BudgetLedger(budgets({ perAgent: { maxTokens: 1000 }, perRun: { maxCostUsd: 0.05 } }), "2026-11-21");
    expect(ledger.check(agent("a"), small)).toEqual({ ok: true });
    ledger.record("a", 900, 0.01);
    expect(ledger.check(agent("a"), small)).toMatchObject({ ok: false, message: expect.stringContaining("agent a tokens this run would be 1100 of 1000") });
    expect(ledger.check(agent("b"), small)).toEqual({ ok: true });
    ledger.record("b", 10, 0.035);
    expect(ledger.check(agent("b"), small)).toMatchObject({ ok: false, message: expect.stringContaining("run cost (budgets.perRun.maxCostUsd) would be $0.0550 of $0.0500") });
  });

  it("lets an agent's own budget override the per-agent default", () => {
    const ledger = new BudgetLedger(budgets(), "2026-11-21");
    expect(ledger.check(agent("a", { maxCostUsdPerRun: 0.005 }), small)).toMatchObject({ ok: false, message: expect.stringContaining("agent a cost this run") });
  });

  it("refuses a prompt over the per-call input cap", () => {
    const ledger = new BudgetLedger(budgets({ perCall: { maxInputTokens: 50 } }), "2026-11-21");
    expect(ledger.check(agent("a"), small)).toMatchObject({ ok: false, message: expect.stringContaining("over budgets.perCall.maxInputTokens (50)") });
  });

  it("counts a day from what the store held, and reports run and day totals separately", () => {
    const ledger = new BudgetLedger(budgets({ perDay: { maxTokens: 1000 } }), "2026-11-21", { tokens: 700, costUsd: 1, calls: 3, byAgent: {} });
    expect(ledger.check(agent("a"), small)).toEqual({ ok: true });
    ledger.record("a", 200, 0.5);
    expect(ledger.check(agent("a"), small)).toMatchObject({ ok: false, message: expect.stringContaining("tokens today 2026-11-21") });
    expect(ledger.run()).toEqual({ total: { tokens: 200, costUsd: 0.5, calls: 1 }, byAgent: { a: { tokens: 200, costUsd: 0.5, calls: 1 } } });
    expect(ledger.today()).toMatchObject({ tokens: 900, calls: 4, byAgent: { a: { tokens: 200 } } });
    ledger.startDay("2026-11-22", { tokens: 0, costUsd: 0, calls: 0, byAgent: {} });
    expect(ledger.check(agent("a"), small)).toEqual({ ok: true });
  });
});

describe("prices", () => {
  it("finds exact names, dated snapshots by prefix, and falls back to *", () => {
    expect(priceFor({}, "gpt-5.4-mini")).toEqual({ inputPerMTok: 0.75, outputPerMTok: 4.5 });
    expect(priceFor({}, "gpt-5.4-mini-2026-03-17")).toEqual({ inputPerMTok: 0.75, outputPerMTok: 4.5 });
    expect(priceFor({}, "some-new-model")).toEqual({ inputPerMTok: 5, outputPerMTok: 25 });
    expect(priceFor({ "llama3.3": { inputPerMTok: 0, outputPerMTok: 0 } }, "llama3.3")).toEqual({ inputPerMTok: 0, outputPerMTok: 0 });
    expect(costUsd({ inputPerMTok: 3, outputPerMTok: 15 }, 1_000_000, 100_000)).toBeCloseTo(4.5);
  });
});

describe("InMemoryUsageStore", () => {
  it("returns copies, so a caller cannot change stored usage by accident", async () => {
    const store = new InMemoryUsageStore();
    const day = await store.load("2026-11-21");
    day.tokens = 99;
    expect((await store.load("2026-11-21")).tokens).toBe(0);
    await store.save("2026-11-21", day);
    expect((await store.load("2026-11-21")).tokens).toBe(99);
  });
});
