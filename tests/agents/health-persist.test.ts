/**
 * Agents' health kept with the day's usage record: written by the GitHub usage store (counters
 * added, newest breaker state kept, carried over midnight, damaged records read as no health),
 * and seeded into a new roster so a degraded agent stays degraded from one run to the next.
 */
import { Octokit } from "@octokit/rest";
import { afterEach, describe, expect, it } from "vitest";
import { InMemoryUsageStore, type DayUsage, type PersistedHealth } from "../../src/agents/index.js";
import { OctokitGitHub } from "../../src/github/octokit.js";
import { applyEffect } from "../../src/runtime/apply.js";
import { GitUsageStore } from "../../src/runtime/usage-store.js";
import { silentLogger } from "../../src/shared/logger.js";
import { fixedClock } from "../../tools/fixed-clock.js";
import { startSandbox, type Sandbox } from "../../tools/sandbox/index.js";
import { config, reviewCall, roster } from "./helpers.js";

const DAY = "2026-11-21";
const YESTERDAY = "2026-11-20";

function health(overrides: Partial<PersistedHealth> = {}): PersistedHealth {
  return {
    calls: 4,
    successes: 3,
    failures: 1,
    latencyTotalMs: 400,
    lastError: { kind: "timeout", message: "claude gave no answer within 90000ms (3 attempts)", at: "2026-11-21T08:00:00.000Z" },
    breaker: "closed",
    openedAt: null,
    updatedAt: "2026-11-21T08:00:00.000Z",
    ...overrides,
  };
}

const noSpend = (): DayUsage => ({ tokens: 0, costUsd: 0, calls: 0, byAgent: {} });

describe("agents' health in the day's usage record (GitHub)", () => {
  let sandbox: Sandbox;
  afterEach(async () => {
    await sandbox.close();
    expect(sandbox.violations).toEqual([]);
  });

  function github() {
    const octokit = new Octokit({ auth: sandbox.tokens.installation, baseUrl: sandbox.url, log: { debug() {}, info() {}, warn() {}, error() {} } });
    return new OctokitGitHub(octokit, { owner: sandbox.owner, repo: sandbox.repo });
  }

  function store(): GitUsageStore {
    const gh = github();
    return new GitUsageStore(gh, (effect) => applyEffect(gh, effect, { dryRun: false, log: silentLogger, record: () => {} }), "main");
  }

  /** Writes a record by hand, as an older Orkestra or a broken writer would have. */
  async function writeRecord(day: string, json: string): Promise<void> {
    const gh = github();
    const head = await gh.branchSha("main");
    const { tree } = await gh.commit(head);
    const perform = (effect: Parameters<typeof applyEffect>[1]) => applyEffect(gh, effect, { dryRun: false, log: silentLogger, record: () => {} });
    const sha = (await perform({ kind: "create-commit", message: `orkestra usage ${day}\n\n${json}`, tree, parents: [head], why: "test" })) as unknown as string;
    await perform({ kind: "create-ref", ref: `orkestra/usage/${day}`, sha, why: "test" });
  }

  it("round-trips an agent's health with the day's spending", async () => {
    sandbox = await startSandbox({ clock: fixedClock("2026-11-21T09:00:00Z") });
    const run = store();
    expect(await run.load(DAY)).toEqual(noSpend());
    const open = health({ breaker: "open", openedAt: "2026-11-21T08:59:00.000Z", updatedAt: "2026-11-21T08:59:00.000Z" });
    await run.save(DAY, { ...noSpend(), tokens: 10, calls: 1, byAgent: { claude: { tokens: 10, costUsd: 0, calls: 1 } }, health: { claude: open } });
    await run.flush();
    expect(await store().load(DAY)).toEqual({ tokens: 10, costUsd: 0, calls: 1, byAgent: { claude: { tokens: 10, costUsd: 0, calls: 1 } }, health: { claude: open } });
  });

  it("merges two runs flushing at once: counters add up, the newest breaker state wins", async () => {
    sandbox = await startSandbox({ clock: fixedClock("2026-11-21T09:00:00Z") });
    await writeRecord(DAY, JSON.stringify({ ...noSpend(), health: { claude: health() } }));
    const first = store();
    const second = store();
    const base = (await first.load(DAY)).health!.claude!;
    expect(base).toEqual(health());
    await second.load(DAY);
    // The first run saw three outages in a row at 09:30 and opened the breaker.
    const broken = health({
      calls: base.calls + 3,
      failures: base.failures + 3,
      latencyTotalMs: base.latencyTotalMs + 300,
      lastError: { kind: "provider-error", message: "claude: provider error (503)", at: "2026-11-21T09:30:00.000Z" },
      breaker: "open",
      openedAt: "2026-11-21T09:30:00.000Z",
      updatedAt: "2026-11-21T09:30:00.000Z",
    });
    // The second one made two good calls, earlier, and had no error of its own.
    const fine = health({ calls: base.calls + 2, successes: base.successes + 2, latencyTotalMs: base.latencyTotalMs + 50, updatedAt: "2026-11-21T09:10:00.000Z" });
    await first.save(DAY, { ...noSpend(), health: { claude: broken } });
    await second.save(DAY, { ...noSpend(), health: { claude: fine } });
    await second.flush();
    await first.flush(); // no longer a fast-forward: it reads again and adds on top
    const merged = (await store().load(DAY)).health!.claude!;
    expect(merged).toEqual({
      calls: 4 + 3 + 2,
      successes: 3 + 2,
      failures: 1 + 3,
      latencyTotalMs: 400 + 300 + 50,
      lastError: broken.lastError,
      breaker: "open",
      openedAt: "2026-11-21T09:30:00.000Z",
      updatedAt: "2026-11-21T09:30:00.000Z",
    });
  });

  it("writes health when a run's calls all failed and spent nothing", async () => {
    sandbox = await startSandbox({ clock: fixedClock("2026-11-21T09:00:00Z") });
    const run = store();
    await run.load(DAY);
    await run.save(DAY, { ...noSpend(), health: { claude: health({ calls: 1, successes: 0, failures: 1 }) } });
    await run.flush();
    expect((await store().load(DAY)).health?.claude).toMatchObject({ calls: 1, failures: 1 });
  });

  it("carries yesterday's health (not its spending) into a day without a record, with one more read pair, until today's is written", async () => {
    sandbox = await startSandbox({ clock: fixedClock("2026-11-21T00:01:00Z") });
    const lateBreak = health({ breaker: "open", openedAt: "2026-11-20T23:59:00.000Z", updatedAt: "2026-11-20T23:59:00.000Z" });
    await writeRecord(YESTERDAY, JSON.stringify({ tokens: 900, costUsd: 1, calls: 3, byAgent: { claude: { tokens: 900, costUsd: 1, calls: 3 } }, health: { claude: lateBreak } }));
    sandbox.clearRequests();
    const morning = store();
    expect(await morning.load(DAY)).toEqual({ ...noSpend(), health: { claude: lateBreak } });
    // today's ref (404), yesterday's ref, yesterday's commit
    expect(sandbox.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      `GET /repos/${sandbox.owner}/${sandbox.repo}/git/ref/orkestra%2Fusage%2F${DAY}`,
      `GET /repos/${sandbox.owner}/${sandbox.repo}/git/ref/orkestra%2Fusage%2F${YESTERDAY}`,
      expect.stringMatching(/^GET \/repos\/.*\/git\/commits\/[0-9a-f]+$/),
    ]);
    // A run today adds its call on top of what was carried over.
    await morning.save(DAY, { tokens: 5, costUsd: 0, calls: 1, byAgent: { claude: { tokens: 5, costUsd: 0, calls: 1 } }, health: { claude: { ...lateBreak, calls: lateBreak.calls + 1, failures: lateBreak.failures + 1, updatedAt: "2026-11-21T00:01:00.000Z" } } });
    await morning.flush();
    sandbox.clearRequests();
    const today = await store().load(DAY);
    expect(today).toMatchObject({ tokens: 5, calls: 1, health: { claude: { calls: 5, failures: 2, breaker: "open", openedAt: "2026-11-20T23:59:00.000Z" } } });
    expect(sandbox.requests).toHaveLength(2); // today's record exists: its ref and commit only
  });

  it("reads an old record without health, and a damaged one, as no health, never throwing", async () => {
    sandbox = await startSandbox({ clock: fixedClock("2026-11-21T09:00:00Z") });
    await writeRecord(YESTERDAY, JSON.stringify(noSpend()));
    expect(await store().load(YESTERDAY)).toEqual(noSpend());
    const damaged = { tokens: 7, costUsd: 0, calls: 1, byAgent: {}, health: { claude: { calls: "many", breaker: "ajar" }, gemini: health(), grok: null } };
    await writeRecord(DAY, JSON.stringify(damaged));
    expect(await store().load(DAY)).toEqual({ tokens: 7, costUsd: 0, calls: 1, byAgent: {}, health: { gemini: health() } });
    await writeRecord("2026-11-22", "{ not json");
    expect(await store().load("2026-11-22")).toEqual(noSpend());
    await writeRecord("2026-11-23", JSON.stringify({ ...noSpend(), health: "broken" }));
    expect(await store().load("2026-11-23")).toEqual(noSpend());
  });
});

describe("a roster's health starts from the persisted one", () => {
  const FLAKY = config({ custom: { flaky: { provider: "scripted", model: "scripted", maxRetries: 0, scripted: { failures: 99 } } } }, { breakerThreshold: 2, breakerCooldownMs: 600_000 });
  const STEADY = config({ custom: { flaky: { provider: "scripted", model: "scripted", maxRetries: 0 } } }, { breakerThreshold: 2, breakerCooldownMs: 600_000 });

  async function seeded(persisted: PersistedHealth, settings = STEADY) {
    const usageStore = new InMemoryUsageStore();
    await usageStore.save(DAY, { ...noSpend(), health: { flaky: persisted } });
    const clock = fixedClock("2026-11-21T10:00:00Z");
    const r = roster({ config: settings, usageStore, clock });
    await r.loadHealth();
    return { r, agent: r.get("flaky")!, usageStore, clock };
  }

  it("an agent whose persisted breaker is open until later is degraded and skipped, saying until when", async () => {
    const { agent } = await seeded(health({ breaker: "open", openedAt: "2026-11-21T09:55:00.000Z", updatedAt: "2026-11-21T09:55:00.000Z" }));
    expect(agent.health()).toMatchObject({ degraded: true, breaker: "open", openUntil: "2026-11-21T10:05:00.000Z", consecutiveFailures: 2, calls: 4, failures: 1 });
    const result = await agent.call(reviewCall());
    expect(result).toMatchObject({ ok: false, attempts: 0, error: { kind: "circuit-open", until: "2026-11-21T10:05:00.000Z" } });
    expect(!result.ok && result.error.message).toBe("flaky is degraded after 2 consecutive failures and is skipped until 2026-11-21T10:05:00.000Z");
  });

  it("health() before the day is loaded knows nothing; loadHealth() is what makes it honest", async () => {
    const usageStore = new InMemoryUsageStore();
    await usageStore.save(DAY, { ...noSpend(), health: { flaky: health({ breaker: "open", openedAt: "2026-11-21T09:55:00.000Z", updatedAt: "2026-11-21T09:55:00.000Z" }) } });
    const r = roster({ config: STEADY, usageStore, clock: fixedClock("2026-11-21T10:00:00Z") });
    expect(r.get("flaky")!.health().degraded).toBe(false);
    await r.loadHealth();
    expect(r.get("flaky")!.health().degraded).toBe(true);
  });

  it("one whose cool-down passed is half-open: its trial call goes out, and success closes the breaker", async () => {
    const { agent, r, usageStore } = await seeded(health({ breaker: "open", openedAt: "2026-11-21T09:45:00.000Z", updatedAt: "2026-11-21T09:45:00.000Z" }));
    expect(agent.health()).toMatchObject({ degraded: false, breaker: "half-open", openUntil: null });
    expect(await agent.call(reviewCall())).toMatchObject({ ok: true });
    expect(agent.health()).toMatchObject({ degraded: false, breaker: "closed", calls: 5, successes: 4 });
    expect(r.usage().today.health).toBeUndefined(); // spending stays spending
    expect((await usageStore.load(DAY)).health?.flaky).toMatchObject({ calls: 5, successes: 4, breaker: "closed", openedAt: null, updatedAt: "2026-11-21T10:00:00.000Z" });
  });

  it("a failed trial opens the breaker again at once, for a new cool-down", async () => {
    const { agent, usageStore, clock } = await seeded(health({ breaker: "open", openedAt: "2026-11-21T09:45:00.000Z", updatedAt: "2026-11-21T09:45:00.000Z" }), FLAKY);
    expect(await agent.call(reviewCall())).toMatchObject({ ok: false, error: { kind: "provider-error" } });
    expect(agent.health()).toMatchObject({ degraded: true, breaker: "open", openUntil: "2026-11-21T10:10:00.000Z" });
    expect((await usageStore.load(DAY)).health?.flaky).toMatchObject({ breaker: "open", openedAt: "2026-11-21T10:00:00.000Z", failures: 2 });
    clock.advance(60_000);
    expect(await agent.call(reviewCall())).toMatchObject({ ok: false, error: { kind: "circuit-open", until: "2026-11-21T10:10:00.000Z" } });
  });

  it("an agent that breaks in one run is degraded in the next roster reading the same store; skips are not persisted", async () => {
    const usageStore = new InMemoryUsageStore();
    const clock = fixedClock("2026-11-21T10:00:00Z");
    const first = roster({ config: FLAKY, usageStore, clock }).get("flaky")!;
    await first.call(reviewCall());
    await first.call(reviewCall());
    expect(await first.call(reviewCall())).toMatchObject({ error: { kind: "circuit-open" } });
    expect((await usageStore.load(DAY)).health?.flaky).toMatchObject({ calls: 2, failures: 2, breaker: "open", openedAt: "2026-11-21T10:00:00.000Z", lastError: { kind: "provider-error", at: "2026-11-21T10:00:00.000Z" } });

    clock.advance(5 * 60_000);
    const next = roster({ config: FLAKY, usageStore, clock });
    await next.loadHealth();
    expect(next.get("flaky")!.health()).toMatchObject({ degraded: true, openUntil: "2026-11-21T10:10:00.000Z", failures: 2, lastError: { kind: "provider-error" } });
  });
});
