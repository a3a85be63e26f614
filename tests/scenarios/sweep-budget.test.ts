import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAction } from "../../src/action/main.js";
import { reportFailed } from "../../src/action/summary.js";
import { sweepWarning } from "../../src/handlers/sweep/coverage.js";
import type { RunReport } from "../../src/runtime/context.js";
import { silentLogger } from "../../src/shared/logger.js";
import { fixedClock } from "../../tools/fixed-clock.js";
import { startSandbox, type Sandbox } from "../../tools/sandbox/index.js";
import { repositoryShape } from "../../tools/sandbox/shapes/repo.js";
import { SEEDED_AT, SWEEP_AT, scheduleJob, seedWorld, taskPagesRead } from "../../bench/sweep-worlds.js";

/**
 * Issue 13's budget: a repository with 10,000 pending tasks and no agent able to take them,
 * the job token's 1,000 requests an hour enforced, and the scheduled sweep every 15 minutes
 * through the Action door (a `schedule` event, the token as the `github-token` input). Each
 * sweep may spend `sweep.requestShare` (0.1 by default: 100 requests); the 100 pages of tasks
 * and the sweep's other reads do not fit in one, so each run continues where the last stopped.
 */
const TASKS = 10_000;
const LIMIT = 1_000;
const SHARE = 100;
const PAGES = TASKS / 100;

describe("the sweep within its share of the job token's 1,000 requests an hour, 10,000 pending tasks", () => {
  let sandbox: Sandbox;
  const clock = fixedClock(SEEDED_AT);
  const dir = mkdtempSync(join(tmpdir(), "orkestra-budget-"));
  const runs: Array<{ report: RunReport; requests: number; pages: number[]; statuses: number[] }> = [];

  beforeAll(async () => {
    sandbox = await startSandbox({ clock, rateLimit: LIMIT, validateResponses: false, collaborators: { alice: "write" }, files: { ".github/orkestra.yml": "assignment:\n  maxPerAgent: 2\n" } });
    seedWorld(sandbox, clock, "idle", TASKS);
    clock.set(SWEEP_AT);
    const env = scheduleJob(dir, { ...sandbox, repository: repositoryShape(sandbox.internals.shapes) });
    // Three scheduled runs, 15 minutes apart, in one hour's window of the rate limit.
    for (let run = 0; run < 3; run++) {
      sandbox.clearRequests();
      process.env["INPUT_GITHUB-TOKEN"] = sandbox.tokens.actions;
      try {
        const report = await runAction({ env, clock, log: silentLogger, throttle: false });
        const pages = taskPagesRead(sandbox);
        runs.push({ report, requests: sandbox.requests.length, pages, statuses: sandbox.requests.map((request) => request.status) });
      } finally {
        delete process.env["INPUT_GITHUB-TOKEN"];
      }
      clock.advance(15 * 60_000);
    }
  }, 480_000);

  afterAll(async () => {
    await sandbox.close();
  });

  it("never spends more than its share in a run, and GitHub never refuses a request", () => {
    expect(runs).toHaveLength(3);
    for (const { requests, statuses } of runs) {
      expect(requests).toBeLessThanOrEqual(SHARE);
      // Most of the share goes to reading: a share left unused would leave pages for later.
      expect(requests).toBeGreaterThan(SHARE - 15);
      expect(statuses.filter((status) => status === 403 || status === 429)).toEqual([]);
    }
  });

  it("no run fails: one cut short says how far it got and warns", () => {
    for (const { report } of runs) {
      expect(report.errors).toEqual([]);
      expect(reportFailed(report)).toBe(false);
      expect(report.sweepCoverage?.totalPages).toBe(PAGES);
    }
    const first = runs[0]!.report;
    expect(first.sweepCoverage?.fromPage).toBe(1);
    expect(first.sweepCoverage?.nextPage).toBeGreaterThan(50);
    expect(sweepWarning(first)).toMatch(/^sweep stopped while reading the open tasks: \d+ requests made of the 100 a sweep may make \(sweep\.requestShare: 0\.1 of 1000 an hour\); the next sweep continues \(read pages 1–\d+ of 100 \(\d,\d{3} open tasks\) with \d+ GitHub requests of the 100 a sweep may make\. The next sweep starts at page \d+; at this pace the rest is read by the next sweep\.\)$/);
  });

  it("each run starts where the last one stopped, and two runs visit every page", () => {
    for (let run = 1; run < runs.length; run++) {
      expect(runs[run]!.report.sweepCoverage?.fromPage).toBe(runs[run - 1]!.report.sweepCoverage?.nextPage);
      expect(runs[run]!.pages[0]).toBe(runs[run - 1]!.report.sweepCoverage?.nextPage);
    }
    const firstTwo = new Set([...runs[0]!.pages, ...runs[1]!.pages]);
    expect([...firstTwo].sort((a, b) => a - b)).toEqual(Array.from({ length: PAGES }, (_, index) => index + 1));
    // The second run went round: from where the first stopped to the last page, then from page 1.
    expect(runs[1]!.pages).toContain(PAGES);
    expect(runs[1]!.pages).toContain(1);
  });

  it("keeps one cursor ref, at the page the next run starts", () => {
    const cursors = [...sandbox.internals.store.git.refs.keys()].filter((ref) => ref.startsWith("refs/orkestra/sweep/"));
    expect(cursors).toEqual([`refs/orkestra/sweep/page-${runs.at(-1)!.report.sweepCoverage?.nextPage}`]);
  });
});

describe("a cursor past the end of a listing that shrank", () => {
  it("goes round from page 1, reads every page, and removes the cursor", async () => {
    const clock = fixedClock(SEEDED_AT);
    const sandbox = await startSandbox({ clock, validateResponses: false, collaborators: { alice: "write" }, files: { ".github/orkestra.yml": "assignment:\n  maxPerAgent: 2\n" } });
    try {
      seedWorld(sandbox, clock, "idle", 250);
      const git = sandbox.internals.store.git;
      // A sweep stopped at page 5 when there were more tasks; most have closed since.
      git.refs.set("refs/orkestra/sweep/page-5", git.resolve(sandbox.defaultBranch)!);
      clock.set(SWEEP_AT);
      const env = scheduleJob(mkdtempSync(join(tmpdir(), "orkestra-shrunk-")), { ...sandbox, repository: repositoryShape(sandbox.internals.shapes) });
      sandbox.clearRequests();
      process.env["INPUT_GITHUB-TOKEN"] = sandbox.tokens.actions;
      const report = await runAction({ env, clock, log: silentLogger, throttle: false }).finally(() => delete process.env["INPUT_GITHUB-TOKEN"]);
      expect(report.sweepCoverage).toMatchObject({ fromPage: 5, pagesRead: 3, totalPages: 3, nextPage: null, tasks: 250 });
      expect(taskPagesRead(sandbox)).toEqual([5, 1, 2, 3]);
      expect(report.truncated).toBeUndefined();
      expect([...git.refs.keys()].filter((ref) => ref.startsWith("refs/orkestra/sweep/"))).toEqual([]);
    } finally {
      await sandbox.close();
    }
  }, 60_000);
});
