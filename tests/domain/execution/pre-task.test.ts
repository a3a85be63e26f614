import { describe, expect, it } from "vitest";
import { preTaskChecks } from "../../../src/domain/execution/pre-task.js";

type Facts = Parameters<typeof preTaskChecks>[0];

/** Facts under which every check passes: alpha holds an assigned `technical` task. */
function facts(overrides: Partial<Omit<Facts, "task">> & { task?: Partial<Facts["task"]> } = {}): Facts {
  const { task, ...rest } = overrides;
  return {
    task: { number: 7, type: "technical", status: "assigned", agent: "alpha", openDeps: [], ...task },
    types: ["technical"],
    resultTypes: ["research", "content"],
    lockHolder: "alpha",
    trust: { trusted: true, author: "alice", assigner: "alice" },
    otherPulls: [],
    budget: null,
    mode: { ok: true, mode: "api" },
    ...rest,
  };
}

describe("preTaskChecks", () => {
  it("passes with a pull request for a type in execution.types, a result comment for one in resultTypes", () => {
    expect(preTaskChecks(facts())).toEqual({ ok: true, output: "pull-request", mode: "api" });
    expect(preTaskChecks(facts({ task: { type: "research" } }))).toEqual({ ok: true, output: "comment", mode: "api" });
    expect(preTaskChecks(facts({ mode: { ok: true, mode: "cli" } }))).toEqual({ ok: true, output: "pull-request", mode: "cli" });
  });

  it("passes a task already in progress (a retry after a crash) and when trust is not asked", () => {
    expect(preTaskChecks(facts({ task: { status: "in-progress" } })).ok).toBe(true);
    expect(preTaskChecks(facts({ trust: null })).ok).toBe(true);
  });

  it("refuses a type agents do not work on, naming both lists", () => {
    expect(preTaskChecks(facts({ task: { type: "code-review" } }))).toEqual({
      ok: false,
      check: "type",
      line: "agents do not work on `code-review` tasks (execution.types: `technical`; execution.resultTypes: `research`, `content`)",
    });
    expect(preTaskChecks(facts({ types: [], resultTypes: [] }))).toMatchObject({ check: "type", line: "agents do not work on `technical` tasks (execution.types: none; execution.resultTypes: none)" });
  });

  it("refuses a task that is not held by an agent", () => {
    expect(preTaskChecks(facts({ task: { status: "pending", agent: null } }))).toEqual({ ok: false, check: "status", line: "the task is `pending` with no agent: assign it first" });
    expect(preTaskChecks(facts({ task: { status: "review" } }))).toEqual({ ok: false, check: "status", line: "the task is `review`: assign it first" });
    expect(preTaskChecks(facts({ task: { status: "done" } }))).toMatchObject({ check: "status" });
  });

  it("refuses an untrusted author, saying who lacks write permission and that /start helps", () => {
    expect(preTaskChecks(facts({ trust: { trusted: false, author: "rita", assigner: "rita" } }))).toEqual({
      ok: false,
      check: "trust",
      line: "@rita does not have write permission on the repository (execution.trustedAuthorsOnly): a maintainer can start it with `/start`",
    });
    expect(preTaskChecks(facts({ trust: { trusted: false, author: "rita", assigner: "trish" } }))).toEqual({
      ok: false,
      check: "trust",
      line: "neither @rita (the issue's author) nor @trish (who assigned it) has write permission on the repository (execution.trustedAuthorsOnly): a maintainer can start it with `/start`",
    });
  });

  it("refuses while dependencies are open", () => {
    expect(preTaskChecks(facts({ task: { openDeps: [3] } }))).toEqual({ ok: false, check: "dependencies", line: "#3 is still open" });
    expect(preTaskChecks(facts({ task: { openDeps: [3, 4] } }))).toMatchObject({ check: "dependencies", line: expect.stringMatching(/^#3.*#4 are still open$/) });
  });

  it("refuses when the lock is another agent's, or missing", () => {
    expect(preTaskChecks(facts({ lockHolder: "beta" }))).toEqual({ ok: false, check: "lock", line: "the lock is held by `beta`, not `alpha`" });
    expect(preTaskChecks(facts({ lockHolder: null }))).toEqual({ ok: false, check: "lock", line: "`alpha` holds no lock on the task (the sweep will sort it out)" });
  });

  it("refuses when other open pull requests already link the task", () => {
    expect(preTaskChecks(facts({ otherPulls: [12] }))).toEqual({ ok: false, check: "pull-request", line: "#12 already works on this task: close it or unlink the issue first" });
    expect(preTaskChecks(facts({ otherPulls: [12, 13] }))).toMatchObject({ check: "pull-request", line: expect.stringMatching(/already work on this task: close them or unlink the issue first$/) });
  });

  it("refuses when the budget is used up", () => {
    expect(preTaskChecks(facts({ budget: "today's budget (budgets.perDay) is used up" }))).toEqual({
      ok: false,
      check: "budget",
      line: "no budget left for `alpha`: today's budget (budgets.perDay) is used up",
    });
  });

  it("refuses when the agent cannot work in the configured mode", () => {
    const reason = "`copilot` works only through its CLI, and execution.mode is `api`";
    expect(preTaskChecks(facts({ mode: { ok: false, reason } }))).toEqual({ ok: false, check: "mode", line: reason });
  });

  it("reports the first failing check, in the order people would ask them", () => {
    const everything = facts({
      task: { type: "technical", status: "assigned", agent: "alpha", openDeps: [3] },
      trust: { trusted: false, author: "rita", assigner: "rita" },
      lockHolder: "beta",
      otherPulls: [12],
      budget: "used up",
      mode: { ok: false, reason: "no mode" },
    });
    const order: string[] = [];
    let current = everything;
    for (;;) {
      const check = preTaskChecks(current);
      if (check.ok) break;
      order.push(check.check);
      current = fixed(current, check.check);
    }
    expect(order).toEqual(["trust", "dependencies", "lock", "pull-request", "budget", "mode"]);
    expect(preTaskChecks({ ...everything, types: [] })).toMatchObject({ check: "type" });
  });
});

/** The facts with one failing check put right. */
function fixed(current: Facts, check: string): Facts {
  switch (check) {
    case "trust":
      return { ...current, trust: null };
    case "dependencies":
      return { ...current, task: { ...current.task, openDeps: [] } };
    case "lock":
      return { ...current, lockHolder: current.task.agent };
    case "pull-request":
      return { ...current, otherPulls: [] };
    case "budget":
      return { ...current, budget: null };
    case "mode":
      return { ...current, mode: { ok: true, mode: "api" } };
    default:
      throw new Error(`unexpected check ${check}`);
  }
}
