import { describe, expect, it } from "vitest";
import { reportFailed } from "../../src/action/summary.js";
import { coverageText, sweepWarning } from "../../src/handlers/sweep/coverage.js";
import { emptyReport, type SweepCoverage } from "../../src/runtime/context.js";
import { savedCursor } from "../../src/handlers/sweep/cursor.js";

const coverage = (over: Partial<SweepCoverage>): SweepCoverage => ({
  fromPage: 1,
  pagesRead: 100,
  totalPages: 100,
  nextPage: null,
  tasks: 10_000,
  requests: 105,
  allowance: 500,
  ...over,
});

describe("a sweep's coverage in the job summary", () => {
  it("says every task was visited when every page was read", () => {
    expect(coverageText(coverage({}))).toBe("read pages 1–100 of 100 (10,000 open tasks) with 105 GitHub requests of the 500 a sweep may make: every open task was visited.");
  });

  it("names both stretches of a pass that went round from where the last sweep stopped", () => {
    expect(coverageText(coverage({ fromPage: 87, pagesRead: 86, nextPage: 73, tasks: 8_600, requests: 97, allowance: 100 }))).toBe(
      "read pages 87–100 and pages 1–72 of 100 (8,600 open tasks) with 97 GitHub requests of the 100 a sweep may make. The next sweep starts at page 73; at this pace the rest is read by the next sweep.",
    );
  });

  it("starts round from page 1 when the listing shrank below the page the last sweep stopped at", () => {
    expect(coverageText(coverage({ fromPage: 95, pagesRead: 90, totalPages: 90, nextPage: null, tasks: 9_000 }))).toBe(
      "read pages 1–90 of 90 (9,000 open tasks) with 105 GitHub requests of the 500 a sweep may make: every open task was visited, this pass having started at page 95 where the last sweep stopped.",
    );
  });

  it("says how many sweeps the rest takes, and what to change when no page fits", () => {
    expect(coverageText(coverage({ pagesRead: 30, nextPage: 31, tasks: 3_000 }))).toContain("at this pace the rest is read by the next 3 sweeps.");
    expect(coverageText(coverage({ pagesRead: 0, nextPage: 1, tasks: 0, requests: 4, allowance: 10 }))).toBe(
      "read no page of the open tasks, with 4 GitHub requests of the 10 a sweep may make. The next sweep starts at page 1; no page fitted in this sweep's share: raise `sweep.requestShare`.",
    );
  });

  it("a sweep cut short warns and does not fail; an error fails", () => {
    const cut = { ...emptyReport(), truncated: { reason: "stopped while reading the open tasks: …", notReached: [] }, sweepCoverage: coverage({ pagesRead: 86, nextPage: 87 }) };
    expect(reportFailed(cut)).toBe(false);
    expect(sweepWarning(cut)).toMatch(/^sweep stopped while reading the open tasks: … \(read pages 1–86 of 100/);
    expect(sweepWarning(emptyReport())).toBeNull();
    expect(reportFailed({ ...cut, errors: ["#3: GitHub API: …"] })).toBe(true);
  });
});

describe("the sweep's cursor", () => {
  it("is the lowest page any cursor ref names, and 1 without one", () => {
    expect(savedCursor([{ ref: "orkestra/locks/12" }, { ref: "orkestra/usage/2026-12-05" }])).toEqual({ page: 1, refs: [] });
    const refs = [{ ref: "orkestra/sweep/page-40" }, { ref: "orkestra/sweep/page-12" }, { ref: "orkestra/locks/3" }];
    expect(savedCursor(refs)).toEqual({ page: 12, refs: ["orkestra/sweep/page-40", "orkestra/sweep/page-12"] });
  });

  it("ignores a cursor ref whose name is not a page, but lists it to be deleted", () => {
    expect(savedCursor([{ ref: "orkestra/sweep/page-x" }, { ref: "orkestra/sweep/page-0" }])).toEqual({ page: 1, refs: ["orkestra/sweep/page-x", "orkestra/sweep/page-0"] });
  });
});
