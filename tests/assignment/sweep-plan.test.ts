import { describe, expect, it } from "vitest";
import { linkedIssues, planSweep, type TaskRow } from "../../src/domain/assignment/sweep-plan.js";

const now = new Date("2026-11-21T12:00:00Z");

function row(number: number, overrides: Partial<TaskRow> = {}): TaskRow {
  return {
    number,
    status: "pending",
    agent: null,
    priority: "medium",
    type: "technical",
    labels: [],
    escalated: false,
    createdAt: `2026-11-21T0${Math.min(number, 9)}:00:00Z`,
    updatedAt: "2026-11-21T11:30:00Z",
    ...overrides,
  };
}

const base = { locks: [], pullActivity: new Map<number, string>(), now, leaseMinutes: 60 };

describe("planSweep", () => {
  it("finds held tasks whose lease ran out, counting pull request activity", () => {
    const rows = [
      row(1, { status: "assigned", agent: "a", updatedAt: "2026-11-21T10:00:00Z" }),
      row(2, { status: "in-progress", agent: "b", updatedAt: "2026-11-21T10:00:00Z" }),
      row(3, { status: "review", agent: "c", updatedAt: "2026-11-21T11:30:00Z" }),
    ];
    const plan = planSweep({ ...base, rows, pullActivity: new Map([[2, "2026-11-21T11:45:00Z"]]) });
    expect(plan.stale.map((r) => r.number)).toEqual([1]);
    expect(plan.heldAfterRelease.map((r) => r.number)).toEqual([2, 3]);
  });

  it("never counts a task in review with an open pull request as stale: it waits on people, not on its agent", () => {
    const quiet = "2026-11-21T08:00:00Z";
    const rows = [
      row(1, { status: "review", agent: "a", updatedAt: quiet }),
      row(2, { status: "review", agent: "b", updatedAt: quiet }),
      row(3, { status: "in-progress", agent: "c", updatedAt: quiet }),
    ];
    const plan = planSweep({ ...base, rows, pullActivity: new Map([[1, quiet], [3, quiet]]) });
    expect(plan.stale.map((r) => r.number)).toEqual([2, 3]);
  });

  it("orders ready tasks by priority, then age, and skips held, blocked and failed ones", () => {
    const rows = [
      row(1, { priority: "low" }),
      row(2, { priority: "critical" }),
      row(3, { priority: "high" }),
      row(4, { priority: "critical", createdAt: "2026-11-20T00:00:00Z" }),
      row(5, { status: "blocked", priority: "critical" }),
      row(6, { status: "assigned", agent: "a" }),
      row(7, { status: "failed" }),
      row(8, { status: "failed", escalated: true }),
    ];
    const plan = planSweep({ ...base, rows });
    expect(plan.candidates.map((r) => r.number)).toEqual([4, 2, 3, 1]);
    expect(plan.failed.map((r) => r.number)).toEqual([7]);
  });

  it("lists locks no task holds as orphan candidates (their age is checked by the caller)", () => {
    const rows = [row(1), row(3, { status: "assigned", agent: "a" })];
    const locks = ["orkestra/locks/1", "orkestra/locks/3", "orkestra/locks/99", "orkestra/other"];
    expect(planSweep({ ...base, rows, locks }).orphanLocks).toEqual(["orkestra/locks/1", "orkestra/locks/99"]);
  });
});

describe("linkedIssues", () => {
  it.each([
    [{ body: "Closes #12 and fixes #13", headRef: "feature" }, [12, 13]],
    [{ body: "", headRef: "orkestra/task-7" }, [7]],
    [{ body: "Resolves: #4", headRef: "issue-4-docs" }, [4]],
    [{ body: "mentions #5 only", headRef: "main" }, []],
  ])("%j → %j", (pull, expected) => {
    expect(linkedIssues(pull)).toEqual(expected);
  });
});
