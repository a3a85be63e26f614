/**
 * The agent limits hold under concurrent claims (issue 12, item 4): claimers that do not see
 * each other — app replicas, `/assign` and the sweep in different concurrency groups — each claim
 * a different task, so the lock on the task cannot stop them; only counting what the agent (or
 * everybody) holds can. Same setup as claim-race.test.ts: the sandbox over HTTP, every GitHub call
 * of every claimer released in an order chosen by fast-check's seeded scheduler.
 */
import fc from "fast-check";
import { Octokit } from "@octokit/rest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import type { Config } from "../../src/config/schema.js";
import { fixedClock } from "../../tools/fixed-clock.js";
import { parseCard } from "../../src/domain/task/card.js";
import { OctokitGitHub } from "../../src/github/octokit.js";
import type { GitHubPort } from "../../src/github/port.js";
import { claimTask, type ClaimResult } from "../../src/handlers/assignment/claim.js";
import { supersededPlaces } from "../../src/domain/assignment/slots.js";
import { createRunContext, emptyReport } from "../../src/runtime/context.js";
import { handleEvent } from "../../src/handlers/index.js";
import { silentLogger } from "../../src/shared/logger.js";
import { startSandbox, type Sandbox } from "../../tools/sandbox/index.js";
import { scriptedAgentsConfig } from "../support/config.js";

/** 200 in the suite; the figure in docs/locks.md comes from LIMIT_TRIALS=1000. */
const TRIALS = Number(process.env.LIMIT_TRIALS ?? 200);
/** The cases around the race (an agent already at its limit, a release) need fewer runs. */
const FEW = Math.min(TRIALS, Number(process.env.LIMIT_FEW_TRIALS ?? 50));
const SEED = 20261122;
const AGENTS = ["alpha", "beta", "gamma", "delta", "epsilon"];
const LOCK_PREFIX = "refs/orkestra/locks/";
const ANOTHER_RUN = /^another run claimed/;
const clock = fixedClock("2026-11-21T09:00:00Z");
const YAML = scriptedAgentsConfig(Object.fromEntries(AGENTS.map((name) => [name, {}])));

let sandbox: Sandbox;
/** Tasks of this test that may be held: every task opened, until seen free after its run. */
let watched: Set<number>;

// A sandbox per test: a test that fails (as on code without the limit check) leaves tasks held
// that would skew the next test's limits. Requests are checked against GitHub's OpenAPI
// description; checking every response too would double the run time (other suites do).
beforeEach(async () => {
  watched = new Set();
  sandbox = await startSandbox({
    clock,
    rateLimit: 1_000_000,
    validateResponses: false,
    collaborators: { alice: "write" },
    files: { ".github/orkestra.yml": YAML },
  });
});

afterEach(async () => {
  await sandbox?.close();
  expect(sandbox.violations.map((v) => `${v.kind} ${v.method} ${v.path}: ${v.message}`)).toEqual([]);
});

function configWith(limits: { maxPerAgent: number; maxInProgress: number }): Config {
  const parsed = parseConfig(`${YAML}\nassignment:\n  maxPerAgent: ${limits.maxPerAgent}\n  maxInProgress: ${limits.maxInProgress}\n`);
  if (!parsed.ok) throw new Error("bad config");
  return parsed.config;
}

function port(): GitHubPort {
  const log = { debug() {}, info() {}, warn() {}, error() {} };
  return new OctokitGitHub(new Octokit({ auth: sandbox.tokens.actions, baseUrl: sandbox.url, log }), { owner: sandbox.owner, repo: sandbox.repo });
}

function services(github: GitHubPort) {
  return { github, clock, log: silentLogger, dryRun: false, repoPrivate: false, env: {}, defaultBranch: "main" };
}

/** Port methods that return an async iterable of pages rather than a promise. */
const PAGED = new Set<PropertyKey>(["openIssuePages", "labeledIssuePages"]);

/** A port whose every call (and every page of a listing) first waits for the seeded scheduler to let it go. */
function scheduled(github: GitHubPort, s: fc.Scheduler, who: string): GitHubPort {
  return new Proxy(github, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== "function" || key === "rateLimit" || key === "repo") return value;
      const call = (args: unknown[]) => (value as (...a: unknown[]) => unknown).apply(target, args);
      if (PAGED.has(key)) {
        return (...args: unknown[]): AsyncIterable<unknown> => ({
          [Symbol.asyncIterator]() {
            const pages = (call(args) as AsyncIterable<unknown>)[Symbol.asyncIterator]();
            return {
              next: async () => {
                await s.schedule(Promise.resolve(), `${who} ${String(key)} page`);
                return pages.next();
              },
              return: async (result?: unknown) => (pages.return ? pages.return(result) : { done: true as const, value: result }),
            };
          },
        });
      }
      return async (...args: unknown[]) => {
        await s.schedule(Promise.resolve(), `${who} ${String(key)}`);
        return call(args);
      };
    },
  });
}

/** Opens an issue as a person and hands its `issues.opened` event to Orkestra: a fresh `pending` task. */
async function openTask(): Promise<number> {
  const issue = sandbox.as("alice").openIssue({ title: "Contended task" });
  const opened = sandbox.deliveries.findLast((event) => event.name === "issues" && (event.payload.issue as { number: number }).number === issue.number);
  const report = await handleEvent(services(port()), { name: "issues", payload: opened!.payload });
  expect(report.errors).toEqual([]);
  watched.add(issue.number);
  return issue.number;
}

/** A person comments `/unassign` on the task and Orkestra handles that comment. */
async function unassign(number: number): Promise<void> {
  const comment = sandbox.as("alice").comment(number, "/unassign");
  const created = sandbox.deliveries.findLast((event) => event.name === "issue_comment" && (event.payload.comment as { id: number }).id === comment.id);
  const report = await handleEvent(services(port()), { name: "issue_comment", payload: created!.payload });
  expect(report.errors).toEqual([]);
  expect(holderOf(number)).toBeNull();
  // What the sweep does between claims: older generations of places go, so listings stay short.
  const github = port();
  for (const ref of supersededPlaces(await github.matchingRefs("orkestra/locks/"))) await github.deleteRef(ref);
}

/** A claim made alone, outside any race. */
function claimAlone(config: Config, number: number, agent: string): Promise<ClaimResult> {
  const ctx = createRunContext(services(port()), config, emptyReport());
  return claimTask(ctx, number, { name: agent, why: `${agent} was asked` }, { actor: "orkestra", how: "limit race test" });
}

/** Claims `numbers[i]` for `agents[i]`, all at once, every GitHub call ordered by the scheduler. */
async function race(s: fc.Scheduler, config: Config, numbers: number[], agents: string[]): Promise<ClaimResult[]> {
  const base = port();
  const claims = numbers.map((number, i) => {
    const agent = agents[i]!;
    const ctx = createRunContext(services(scheduled(base, s, `${agent}#${number}`)), config, emptyReport());
    return claimTask(ctx, number, { name: agent, why: `${agent} was asked` }, { actor: "orkestra", how: "limit race test" });
  });
  return s.waitFor(Promise.all(claims));
}

function labelsOf(number: number): string[] {
  return (sandbox.state.issue(number)?.labels ?? []).map((label) => (typeof label === "string" ? label : (label.name ?? "")));
}

function hasLock(number: number): boolean {
  return sandbox.state.refs().some((ref) => ref.ref === `${LOCK_PREFIX}${number}`);
}

/** The agent the task's card and labels name (they must agree), or null. */
function holderOf(number: number): string | null {
  const agents = labelsOf(number).filter((label) => label.startsWith("agent:"));
  const cards = sandbox.state.comments(number).map((comment) => parseCard(comment.body ?? "")).filter((card) => card !== null);
  expect(cards).toHaveLength(1);
  expect(agents.length).toBeLessThanOrEqual(1);
  const fromLabel = agents[0]?.slice("agent:".length) ?? null;
  expect(cards[0]?.agent?.name ?? null).toBe(fromLabel);
  return fromLabel;
}

/** This test's open tasks that carry an agent label: what is held now, by whom. */
function heldNow(): Array<{ number: number; agent: string }> {
  const held: Array<{ number: number; agent: string }> = [];
  for (const number of watched) {
    if (sandbox.state.issue(number)?.state !== "open") continue;
    for (const label of labelsOf(number)) if (label.startsWith("agent:")) held.push({ number, agent: label.slice("agent:".length) });
  }
  return held.sort((a, b) => a.number - b.number);
}

/** Stops watching the tasks that are free (no agent, no lock): nobody touches them again. */
function forgetFree(numbers: number[]): void {
  for (const number of numbers) if (holderOf(number) === null && !hasLock(number)) watched.delete(number);
}

/**
 * What the sandbox shows after a race: winners hold their task (label, card, lock), losers'
 * tasks have no agent and no lock, and every loser was refused for a limit or was second.
 */
function checkOutcome(numbers: number[], agents: string[], results: ClaimResult[], limit: RegExp): number[] {
  const winners: number[] = [];
  for (const [i, number] of numbers.entries()) {
    const result = results[i]!;
    if (result.ok) {
      winners.push(number);
      expect(holderOf(number)).toBe(agents[i]);
      expect(labelsOf(number)).toContain("status:assigned");
      expect(hasLock(number)).toBe(true);
    } else {
      expect(result.reason).toMatch(new RegExp(`${limit.source}|${ANOTHER_RUN.source}`));
      expect(holderOf(number)).toBeNull();
      expect(labelsOf(number)).toContain("status:pending");
      expect(hasLock(number)).toBe(false);
    }
  }
  // No lock for any task but the winners' among those raced for.
  const locks = sandbox.state.refs().filter((ref) => numbers.some((number) => ref.ref === `${LOCK_PREFIX}${number}`));
  expect(locks.map((ref) => Number(ref.ref.slice(LOCK_PREFIX.length))).sort()).toEqual([...winners].sort());
  return winners;
}

describe("agent limits under concurrent claims", () => {
  it(`maxPerAgent 1: of 4 concurrent claims for one agent on 4 tasks at most one wins, over ${TRIALS} seeded interleavings`, async () => {
    const config = configWith({ maxPerAgent: 1, maxInProgress: 1000 });
    const agents = Array.from({ length: 4 }, () => "alpha");
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), async (s) => {
        const heldBefore = heldNow().filter((held) => held.agent === "alpha").length;
        const numbers = await Promise.all([openTask(), openTask(), openTask(), openTask()]);
        const results = await race(s, config, numbers, agents);
        const winners = checkOutcome(numbers, agents, results, /limit/);
        expect(winners.length).toBeLessThanOrEqual(1);
        expect(numbers.filter((number) => labelsOf(number).includes("agent:alpha")).length).toBeLessThanOrEqual(1);
        // Refusing everything would also keep the limit: with nothing held before, one must win.
        if (heldBefore === 0) expect(winners).toHaveLength(1);
        expect(heldNow().filter((held) => held.agent === "alpha")).toHaveLength(heldBefore + winners.length);
        // The next run starts from nothing held.
        for (const number of winners) await unassign(number);
        forgetFree(numbers);
      }),
      { numRuns: TRIALS, seed: SEED, endOnFailure: true },
    );
  }, 600_000);

  it(`maxInProgress 2: of 5 concurrent claims for 5 agents on 5 tasks at most two win, over ${TRIALS} seeded interleavings`, async () => {
    const config = configWith({ maxPerAgent: 100, maxInProgress: 2 });
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), async (s) => {
        const heldBefore = heldNow().length;
        const numbers = await Promise.all([openTask(), openTask(), openTask(), openTask(), openTask()]);
        const results = await race(s, config, numbers, AGENTS);
        const winners = checkOutcome(numbers, AGENTS, results, /limit/);
        expect(winners.length).toBeLessThanOrEqual(2);
        if (heldBefore === 0) expect(winners).toHaveLength(2);
        expect(heldNow()).toHaveLength(heldBefore + winners.length);
        for (const number of winners) await unassign(number);
        forgetFree(numbers);
      }),
      { numRuns: TRIALS, seed: SEED + 1, endOnFailure: true },
    );
  }, 600_000);

  it(`an agent at its limit (maxPerAgent 1) wins none of 3 concurrent claims, over ${FEW} seeded interleavings`, async () => {
    const config = configWith({ maxPerAgent: 1, maxInProgress: 1000 });
    const agents = ["alpha", "alpha", "alpha"];
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), async (s) => {
        const first = await openTask();
        expect(await claimAlone(config, first, "alpha")).toMatchObject({ ok: true });
        const numbers = await Promise.all([openTask(), openTask(), openTask()]);
        const results = await race(s, config, numbers, agents);
        const winners = checkOutcome(numbers, agents, results, /limit/);
        expect(winners).toEqual([]);
        for (const result of results) expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/limit/) });
        expect(heldNow()).toEqual([{ number: first, agent: "alpha" }]);
        expect(hasLock(first)).toBe(true);
        await unassign(first);
        forgetFree([first, ...numbers]);
      }),
      { numRuns: FEW, seed: SEED + 2, endOnFailure: true },
    );
  }, 600_000);

  it(`a released task frees the agent: after /unassign the agent's next claim succeeds, over ${FEW} seeded interleavings`, async () => {
    const config = configWith({ maxPerAgent: 1, maxInProgress: 1000 });
    const agents = ["alpha", "alpha", "alpha"];
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), async (s) => {
        const numbers = await Promise.all([openTask(), openTask(), openTask()]);
        const results = await race(s, config, numbers, agents);
        const winners = checkOutcome(numbers, agents, results, /limit/);
        expect(winners).toHaveLength(1);
        const [winner] = winners;
        // While the winner holds, alpha can take no other task…
        const loser = numbers.find((number) => number !== winner)!;
        expect(await claimAlone(config, loser, "alpha")).toMatchObject({ ok: false, reason: expect.stringMatching(/limit/) });
        expect(hasLock(loser)).toBe(false);
        // …once released (label, card and lock gone), it can.
        await unassign(winner!);
        expect(hasLock(winner!)).toBe(false);
        expect(await claimAlone(config, loser, "alpha")).toMatchObject({ ok: true });
        expect(holderOf(loser)).toBe("alpha");
        expect(hasLock(loser)).toBe(true);
        await unassign(loser);
        expect(heldNow()).toEqual([]);
        forgetFree(numbers);
      }),
      { numRuns: FEW, seed: SEED + 3, endOnFailure: true },
    );
  }, 600_000);
});
