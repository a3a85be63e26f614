/**
 * The decision ledger (docs/ledger.md) through both doors: each run appends what it wrote and
 * decided at its end, as one commit on `refs/orkestra/state/ledger`; nothing is lost to a race
 * between replicas or to a run that fails half way; a dry run appends nothing.
 */
import fc from "fast-check";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { GitHubPort } from "../../src/github/port.js";
import { readLedger } from "../../src/handlers/ledger/read.js";
import { emptyReport } from "../../src/runtime/context.js";
import { LedgerWriter } from "../../src/runtime/ledger.js";
import { fixedClock } from "../../tools/fixed-clock.js";
import { startSandbox, type Sandbox } from "../../tools/sandbox/index.js";
import { DOORS, orkestraRequests, startHarness, type Harness } from "../support/harness.js";
import { sandboxServices } from "../support/services.js";

const LEDGER_REF = "refs/orkestra/state/ledger";
const MINUTE = 60_000;

function ledgerHead(sandbox: Sandbox): string | null {
  return sandbox.state.refs().find((ref) => ref.ref === LEDGER_REF)?.object.sha ?? null;
}

/** Commits from `sha` back, newest first (GET …/commits, as `orkestra audit` reads them). */
async function history(github: GitHubPort, sha: string): Promise<string[]> {
  const shas: string[] = [];
  for await (const page of github.commitPages(sha)) shas.push(...page.map((commit) => commit.sha));
  return shas;
}

describe.each(DOORS)("the ledger through the %s", (door) => {
  let h: Harness;
  afterEach(async () => h?.close());
  const port = () => sandboxServices(h.sandbox, h.clock).github;

  it("records a task's making and a command's writes and decisions, by whom, newest first; each run appends on top", async () => {
    h = await startHarness(door);
    const issue = h.sandbox.as("alice").openIssue({ title: "A task", body: "" });
    await h.settle();
    const first = ledgerHead(h.sandbox);
    expect(first).not.toBeNull();
    h.clock.advance(MINUTE);
    h.sandbox.as("trish").comment(issue.number, "/priority high");
    await h.settle();
    const second = ledgerHead(h.sandbox)!;
    expect(second).not.toBe(first);

    const { entries, invalid } = await readLedger(port(), { issue: issue.number });
    expect(invalid).toBe(0);
    const byTrish = entries.filter((entry) => entry.by === "trish");
    const byAlice = entries.filter((entry) => entry.by === "alice");
    expect(byTrish.map((entry) => entry.kind)).toEqual(expect.arrayContaining(["write", "decision"]));
    expect(byAlice.map((entry) => entry.kind)).toEqual(expect.arrayContaining(["write", "decision"]));
    expect(byTrish.find((entry) => entry.kind === "decision")?.what).toMatch(/priority .*medium.*high/);
    expect(byTrish.some((entry) => entry.kind === "write" && /add-labels: .*priority:high/.test(entry.what))).toBe(true);
    expect(byAlice.some((entry) => entry.kind === "decision" && /created/.test(entry.what))).toBe(true);
    expect(entries.every((entry) => entry.issue === issue.number)).toBe(true);
    // Newest first: the command's entries (a minute later) before the making's.
    expect(entries.slice(0, byTrish.length).every((entry) => entry.by === "trish")).toBe(true);
    const times = entries.map((entry) => entry.at);
    expect(times).toEqual([...times].sort().reverse());
    // Append-only: the command's run made exactly one commit, on top of the previous head.
    const shas = await history(port(), second);
    expect(shas[1]).toBe(first);
    expect(shas).toHaveLength(2);
    // The reactions and the ledger's own commits are bookkeeping, not entries.
    expect(entries.some((entry) => /react|create-commit|ledger/.test(entry.what))).toBe(false);
  });

  it("a run that fails half way records exactly the writes that happened, none that did not", async () => {
    h = await startHarness(door);
    const issue = h.sandbox.as("alice").openIssue({ title: "A task", body: "" });
    await h.settle();
    const before = ledgerHead(h.sandbox);
    const reports = h.reports.length;
    h.clock.advance(MINUTE);
    const since = h.clock.now().toISOString();
    // The labels change, then editing the card fails (every retry too).
    h.sandbox.faults.inject({ method: "PATCH", route: "/repos/{owner}/{repo}/issues/comments/{comment_id}", status: 500, times: Infinity });
    h.sandbox.clearRequests();
    h.sandbox.as("trish").comment(issue.number, "/priority high");
    await h.settle();
    h.sandbox.faults.clear();

    const labelWrites = h.sandbox.requests.filter((request) => request.method !== "GET" && /\/labels/.test(request.path) && request.status < 300 && /\/issues\//.test(request.path));
    expect(labelWrites.length).toBeGreaterThan(0);
    expect(h.sandbox.requests.some((request) => request.method === "PATCH" && /\/issues\/comments\//.test(request.path) && request.status === 500)).toBe(true);
    const head = ledgerHead(h.sandbox)!;
    expect(head).not.toBe(before);
    const { entries } = await readLedger(port(), { since });
    const writes = entries.filter((entry) => entry.kind === "write").map((entry) => entry.what);
    // What did happen: the labels, and (if Orkestra managed to say so) a comment about the failure.
    const commented = h.sandbox.requests.filter((request) => request.method === "POST" && /\/issues\/\d+\/comments$/.test(request.path) && request.status === 201).length;
    expect(writes.sort()).toEqual(
      ["add-labels: add labels `priority:high`", ...Array.from({ length: commented }, () => "create-comment: post a comment"), "remove-labels: remove labels `priority:medium`"].sort(),
    );
    expect(writes.some((what) => what.startsWith("update-comment"))).toBe(false);
    // The card was never edited: no card decision either.
    expect(entries.filter((entry) => entry.kind === "decision")).toEqual([]);
    expect(entries.every((entry) => entry.by === "trish")).toBe(true);
    if (door === "action") {
      const report = h.reports.slice(reports).find((r) => r.errors.length > 0);
      expect(report?.errors.join("\n")).toMatch(/500|comment/i);
      // Each ledger write is one of the run's reported actions (reactions are not ledger entries).
      const reported = report!.actions.filter((line) => !/: react /.test(line)).map((line) => line.replace(/^#\d+: /, "").replace(/ — .*$/, ""));
      expect(writes.map((what) => what.replace(/^[a-z-]+: /, "")).sort()).toEqual(reported.sort());
      expect(report!.ledger).toMatchObject({ appended: entries.length, head });
    }
  });

  it("a dry-run sweep appends nothing, though it would have written", async () => {
    h = await startHarness(door);
    h.sandbox.as("alice").openIssue({ title: "A task", body: "" });
    await h.settle();
    const head = ledgerHead(h.sandbox);
    h.clock.advance(60 * MINUTE);
    h.sandbox.clearRequests();
    const reports = await h.sweep({ dryRun: true });
    // It would have opened the dashboard: a write the ledger would have recorded.
    expect(reports.flatMap((report) => report.actions).join("\n")).toMatch(/dashboard/i);
    expect(orkestraRequests(h.sandbox).filter((line) => !line.startsWith("GET"))).toEqual([]);
    expect(ledgerHead(h.sandbox)).toBe(head);
    expect(reports.every((report) => report.ledger === undefined)).toBe(true);
  });
});

describe("concurrent appends from two replicas", () => {
  const clock = fixedClock("2026-11-21T09:00:00Z");
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ clock, rateLimit: 1_000_000 });
  });
  afterAll(async () => sandbox?.close());

  /** The port with a seeded number of event-loop turns before each call that decides the race. */
  function delayed(github: GitHubPort, delays: readonly number[], calls: Map<string, number>): GitHubPort {
    let call = 0;
    const racing = new Set(["createCommit", "fastForwardRef", "createRef", "refSha", "matchingRefs"]);
    return new Proxy(github, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver) as unknown;
        if (typeof value !== "function" || !racing.has(String(key))) return value;
        return async (...args: unknown[]) => {
          calls.set(String(key), (calls.get(String(key)) ?? 0) + 1);
          const turns = delays[call++ % delays.length]!;
          for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  }

  it("every entry of both writers is in the ledger exactly once, whatever the interleaving (200 seeded runs)", async () => {
    let trial = 0;
    let raced = 0;
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat({ max: 12 }), { minLength: 6, maxLength: 6 }),
        fc.array(fc.nat({ max: 12 }), { minLength: 6, maxLength: 6 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        async (delaysA, delaysB, countA, countB) => {
          const tag = `trial-${++trial}`;
          const calls = new Map<string, number>();
          const writers = [
            { name: "a", delays: delaysA, count: countA },
            { name: "b", delays: delaysB, count: countB },
          ].map(({ name, delays, count }) => {
            const services = sandboxServices(sandbox, clock, { token: sandbox.tokens.actions });
            const writer = new LedgerWriter({ ...services, github: delayed(services.github, delays, calls), runName: `replica-${name}` }, emptyReport());
            for (let i = 0; i < count; i++) writer.add({ kind: "write", what: `${tag} ${name}${i}`, why: "race" });
            return writer;
          });
          const before = ledgerHead(sandbox);
          // The loser of a race backs off up to 100 ms × 2^attempt × Math.random(): scaled down to a
          // few ms (seeded), or 200 trials take ~25 s; the seeded turns above decide the interleaving.
          let seed = trial * 7919;
          const random = vi.spyOn(Math, "random").mockImplementation(() => {
            seed = (seed * 1103515245 + 12345) % 2 ** 31;
            return (seed / 2 ** 31) * 0.02;
          });
          try {
            await Promise.all(writers.map((writer) => writer.flush()));
          } finally {
            random.mockRestore();
          }
          expect(writers.map((writer) => writer.pending)).toEqual([0, 0]);
          // The head is re-read only by a writer that lost the race.
          if ((calls.get("refSha") ?? 0) > 0) raced += 1;
          const services = sandboxServices(sandbox, clock, { token: sandbox.tokens.actions });
          // This trial's entries only (the ledger keeps earlier trials'): read back to the head before it.
          const mine: string[] = [];
          for await (const page of services.github.commitPages(ledgerHead(sandbox)!)) {
            let done = false;
            for (const commit of page) {
              if (commit.sha === before) {
                done = true;
                break;
              }
              mine.push(...commit.message.split("\n").filter((line) => line.includes(tag)).map((line) => (JSON.parse(line) as { what: string }).what));
            }
            if (done) break;
          }
          const expected = [...Array.from({ length: countA }, (_, i) => `${tag} a${i}`), ...Array.from({ length: countB }, (_, i) => `${tag} b${i}`)];
          expect(mine.sort()).toEqual(expected.sort());
        },
      ),
      { numRuns: 200, seed: 20261121 },
    );
    // And the reader agrees: every entry once over the whole ledger.
    const { entries } = await readLedger(sandboxServices(sandbox, clock).github, {});
    const whats = entries.map((entry) => entry.what);
    expect(new Set(whats).size).toBe(whats.length);
    console.info(`ledger race: ${trial} trials, ${raced} with a lost race, in ${Date.now() - started} ms`);
    expect(raced).toBeGreaterThan(20);
  }, 60_000);
});
