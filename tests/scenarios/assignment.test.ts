import { afterEach, describe, expect, it } from "vitest";
import { parseCard } from "../../src/domain/task/card.js";
import { renderReport, reportFailed } from "../../src/action/summary.js";
import { sweepWarning } from "../../src/handlers/sweep/coverage.js";
import type { RunReport } from "../../src/runtime/context.js";
import { scriptedAgentsConfig } from "../support/config.js";
import { botComments, DOORS, labelsOf, orkestraRequests, reactionsOn, startHarness, type Harness } from "../support/harness.js";

const MINUTE = 60_000;

function cardOf(h: Harness, number: number) {
  return botComments(h.sandbox, number).map(parseCard).find((meta) => meta !== null)!;
}

function locks(h: Harness): string[] {
  // Task locks only: the places under the limits (…/locks/agent/…, …/locks/all/…) have their own tests.
  return h.sandbox.state.refs().map((ref) => ref.ref).filter((ref) => /^refs\/orkestra\/locks\/\d+$/.test(ref));
}

function replies(h: Harness, number: number): string[] {
  return botComments(h.sandbox, number).filter((body) => body.includes("orkestra:reply-"));
}

const CONFIG = scriptedAgentsConfig({ alpha: { specialties: ["research"] }, beta: {} });

describe.each(DOORS)("assignment through the %s", (door) => {
  let h: Harness;
  afterEach(async () => h?.close());

  async function start(extra = "") {
    h = await startHarness(door, { files: { ".github/orkestra.yml": `${CONFIG}\n${extra}` } });
  }

  async function openTask(title: string, body = ""): Promise<number> {
    const issue = h.sandbox.as("alice").openIssue({ title, body });
    await h.settle();
    return issue.number;
  }

  it("/assign without a name picks the best agent, says why, and takes the lock", async () => {
    await start();
    const task = await openTask("Survey", "### Type\n\nresearch\n\n### Priority\n\nhigh");
    const comment = h.sandbox.as("alice").comment(task, "/assign");
    await h.settle();
    expect(reactionsOn(h.sandbox, comment.id)).toEqual(["eyes", "+1"]);
    expect(labelsOf(h.sandbox, task)).toEqual(["agent:alpha", "orkestra:task", "priority:high", "status:assigned", "type:research"]);
    const card = cardOf(h, task);
    expect(card.agent).toMatchObject({ name: "alpha", since: "2026-11-21T09:00:00.000Z", leaseUntil: "2026-11-21T11:00:00.000Z" });
    expect(card.agent?.why).toBe("alpha 80: base 50, specialty research +30");
    expect(replies(h, task)[0]).toContain("Assigned to `alpha` — alpha 80: base 50, specialty research +30.");
    expect(locks(h)).toEqual([`refs/orkestra/locks/${task}`]);
  });

  it("/assign <agent> and /unassign hand the task over and back", async () => {
    await start();
    const task = await openTask("Docs");
    h.sandbox.as("alice").comment(task, "/assign beta");
    await h.settle();
    expect(cardOf(h, task).agent?.name).toBe("beta");
    h.sandbox.as("alice").comment(task, "/assign alpha");
    await h.settle();
    expect(labelsOf(h.sandbox, task)).toContain("agent:alpha");
    expect(labelsOf(h.sandbox, task)).not.toContain("agent:beta");
    h.sandbox.as("alice").comment(task, "/unassign");
    await h.settle();
    expect(labelsOf(h.sandbox, task)).toEqual(["orkestra:task", "priority:medium", "status:pending", "type:technical"]);
    expect(cardOf(h, task).agent).toBeNull();
    expect(locks(h)).toEqual([]);
    expect(cardOf(h, task).history.map((decision) => decision.what)).toContain("released by `alpha`");
  });

  it.each([
    ["/assign zed", "there is no agent `zed` (enabled: `alpha`, `beta`)"],
    ["/assign claude", "claude is switched off (agents.claude.enabled: false)"],
    ["/unassign", "no agent holds this task"],
  ])("%s is refused clearly", async (command, reason) => {
    await start();
    const task = await openTask("Task");
    h.sandbox.as("alice").comment(task, command);
    await h.settle();
    expect(replies(h, task)[0]).toContain(reason);
    expect(labelsOf(h.sandbox, task)).toContain("status:pending");
    expect(locks(h)).toEqual([]);
  });

  it("respects dependencies and the per-agent limit", async () => {
    await start("assignment:\n  maxPerAgent: 1\n");
    const dep = await openTask("Dep");
    const blocked = await openTask("Blocked", `depends on #${dep}`);
    h.sandbox.as("alice").comment(blocked, "/assign alpha");
    await h.settle();
    expect(replies(h, blocked)[0]).toContain(`#${dep} is still open`);
    h.sandbox.as("alice").comment(dep, "/assign alpha");
    await h.settle();
    const other = await openTask("Other");
    h.sandbox.as("alice").comment(other, "/assign alpha");
    await h.settle();
    expect(replies(h, other)[0]).toContain("`alpha` cannot take it: holds 1 tasks (limit 1)");
  });

  it("the sweep assigns ready tasks by priority, within the limits", async () => {
    await start("assignment:\n  maxInProgress: 2\n");
    const low = await openTask("Low", "### Type\n\ntechnical\n\n### Priority\n\nlow");
    const critical = await openTask("Critical", "### Type\n\nresearch\n\n### Priority\n\ncritical");
    const high = await openTask("High", "### Type\n\ntechnical\n\n### Priority\n\nhigh");
    const dep = await openTask("Dep", "### Type\n\ntechnical\n\n### Priority\n\nlow");
    await openTask("Blocked", `### Type\n\ntechnical\n\n### Priority\n\ncritical\n\ndepends on #${dep}`);
    const [report] = await h.sweep();
    expect(report?.sweep).toBe("ran");
    expect(cardOf(h, critical).agent?.name).toBe("alpha");
    expect(cardOf(h, high).agent?.name).toBe("beta");
    expect(cardOf(h, low).agent).toBeNull();
    expect(locks(h).sort()).toEqual([`refs/orkestra/locks/${critical}`, `refs/orkestra/locks/${high}`].sort());
  });

  it("the sweep stops assigning when every agent is at its limit, without reading the pending tasks", async () => {
    await start("assignment:\n  maxPerAgent: 1\n");
    const tasks: number[] = [];
    for (const title of ["One", "Two", "Three", "Four", "Five"]) tasks.push(await openTask(title, "### Type\n\ntechnical\n\n### Priority\n\nmedium"));
    h.clock.advance(MINUTE);
    await h.sweep();
    const held = tasks.filter((number) => cardOf(h, number).agent);
    expect(held).toEqual(tasks.slice(0, 2));
    // Past the window in which the sweep re-checks changed tasks (two intervals), so only assigning could read them.
    h.clock.advance(31 * MINUTE);
    h.sandbox.clearRequests();
    const [report] = await h.sweep();
    const commentReads = h.sandbox.requests.filter((request) => request.method === "GET" && /\/issues\/\d+\/comments$/.test(request.path.split("?")[0]!));
    const pending = tasks.slice(2).map((number) => `/issues/${number}/comments`);
    expect(commentReads.filter((request) => pending.some((path) => request.path.split("?")[0]!.endsWith(path)))).toEqual([]);
    if (report) expect(report.notes.join("\n")).toContain("no agent can take work (alpha: holds 1 tasks (limit 1); beta: holds 1 tasks (limit 1))");
  });

  it("a stale lock is released, retried after backoff with another agent, and escalated when retries run out", async () => {
    await start("assignment:\n  maxRetries: 1\n  leaseMinutes: 60\n  backoffMinutes: 30\nmaintainers: ['@mona']\n");
    const task = await openTask("Survey", "### Type\n\nresearch\n\n### Priority\n\nhigh");
    await h.sweep();
    expect(cardOf(h, task).agent?.name).toBe("alpha");

    h.clock.advance(61 * MINUTE);
    await h.sweep();
    expect(labelsOf(h.sandbox, task)).toContain("status:pending");
    expect(cardOf(h, task).retry).toEqual({ count: 1, nextAttemptAt: "2026-11-21T10:31:00.000Z", avoid: ["alpha"], escalated: false });
    expect(locks(h)).toEqual([]);

    h.clock.advance(10 * MINUTE);
    await h.sweep();
    expect(cardOf(h, task).agent).toBeNull();

    h.clock.advance(21 * MINUTE);
    await h.sweep();
    expect(cardOf(h, task).agent?.name).toBe("beta");

    h.clock.advance(61 * MINUTE);
    await h.sweep();
    expect(labelsOf(h.sandbox, task)).toEqual(["orkestra:escalated", "orkestra:task", "priority:high", "status:failed", "type:research"]);
    const escalation = botComments(h.sandbox, task).find((body) => body.includes("orkestra:escalation"));
    expect(escalation).toContain("🚨 @mona: this task failed and needs a person (no activity for 60 minutes while held by `beta`; 1 retry used up)");

    await h.sweep();
    expect(botComments(h.sandbox, task).filter((body) => body.includes("orkestra:escalation"))).toHaveLength(1);
  });

  /** The job summary's lines for one task (what the Action writes to the run's summary). */
  function summaryLines(reports: readonly RunReport[], task: number): string[] {
    return reports.flatMap((report) => renderReport("schedule", report, false).split("\n")).filter((line) => line.startsWith(`- #${task}: `));
  }

  it("the run report names why a task whose lease ran out was escalated", async () => {
    await start("assignment:\n  maxRetries: 1\n  leaseMinutes: 120\n  backoffMinutes: 1\nmaintainers: ['@mona']\n");
    const task = await openTask("Survey", "### Type\n\nresearch");
    await h.sweep();
    h.clock.advance(121 * MINUTE);
    await h.sweep();
    h.clock.advance(20 * MINUTE);
    await h.sweep();
    expect(cardOf(h, task).agent?.name).toBe("beta");
    h.clock.advance(121 * MINUTE);
    const lines = summaryLines(await h.sweep(), task);
    const why = "no activity for 120 minutes while held by `beta`; 1 retry used up";
    expect(lines).toContain(`- #${task}: post a comment — ${why}`);
    // Every write but the lock's deletion ("released by beta") gives the reason.
    const writes = lines.filter((line) => !line.includes("delete `refs/orkestra/locks/"));
    expect(writes.length).toBeGreaterThan(1);
    for (const line of writes) expect(line.endsWith(`— ${why}`), line).toBe(true);
  });

  it("a failed task escalated by the sweep keeps, in its report and comment, the reason it failed", async () => {
    await start("assignment:\n  maxRetries: 1\n  auto: false\n  backoffMinutes: 1\nmaintainers: ['@mona']\n");
    const task = await openTask("Survey", "### Type\n\nresearch");
    h.sandbox.as("alice").comment(task, "/assign alpha");
    await h.settle();
    h.sandbox.as("alice").comment(task, "/status failed");
    await h.settle();
    h.clock.advance(20 * MINUTE);
    const retried = summaryLines(await h.sweep(), task);
    expect(labelsOf(h.sandbox, task)).toContain("status:pending");
    expect(retried.join("\n")).toContain("the attempt failed (`/status failed` by @alice); retry 1 of 1 after");
    h.sandbox.as("mona").comment(task, "/assign beta");
    await h.settle();
    h.sandbox.as("mona").addLabels(task, ["status:failed"]);
    await h.settle();
    h.clock.advance(20 * MINUTE);
    const lines = summaryLines(await h.sweep(), task);
    expect(labelsOf(h.sandbox, task)).toContain("orkestra:escalated");
    // Every write of the escalation gives its reason — not the last decision the card already had (the label).
    const why = "the attempt failed (label `status:failed` set by @mona); 1 retry used up";
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.endsWith(`— ${why}`), line).toBe(true);
    const escalation = botComments(h.sandbox, task).find((body) => body.includes("orkestra:escalation"));
    expect(escalation).toContain(`needs a person (${why})`);
    expect(cardOf(h, task).history.at(-1)).toMatchObject({ by: "orkestra", what: "escalated to the maintainers", why });
  });

  it("a failed task that gained an open dependency is blocked, not retried or assigned", async () => {
    await start("assignment:\n  backoffMinutes: 1\n");
    const dep = await openTask("Dependency");
    const task = await openTask("Task");
    h.sandbox.as("alice").comment(task, "/assign alpha");
    await h.settle();
    h.sandbox.as("alice").comment(task, "/status failed");
    h.sandbox.as("alice").editIssue(task, { body: `depends on #${dep}` });
    await h.settle();
    h.clock.advance(5 * MINUTE);
    await h.sweep();
    h.clock.advance(5 * MINUTE);
    await h.sweep();
    expect(labelsOf(h.sandbox, task)).toContain("status:blocked");
    expect(cardOf(h, task)).toMatchObject({ agent: null, retry: { count: 1 } });
    h.sandbox.as("alice").comment(task, "/status pending");
    await h.settle();
    expect(replies(h, task).at(-1)).toContain(`#${dep} is still open`);
  });

  it("activity on the task renews the lease", async () => {
    await start("assignment:\n  leaseMinutes: 60\n");
    const task = await openTask("Work");
    await h.sweep();
    h.clock.advance(50 * MINUTE);
    h.sandbox.as("alice").comment(task, "Progress: halfway there.");
    await h.settle();
    h.clock.advance(50 * MINUTE);
    await h.sweep();
    expect(cardOf(h, task).agent?.name).toBe("alpha");
  });

  it("clears a lock no task holds once it is older than a claim could take, and leaves a fresh one", async () => {
    await start("assignment:\n  auto: false\n");
    const orphan = await openTask("Orphan");
    const quiet = await openTask("Being claimed");
    const git = h.sandbox.internals.store.git;
    git.refs.set(`refs/orkestra/locks/${orphan}`, git.resolve("main")!);
    h.clock.advance(30 * MINUTE);
    // A claimer has just taken this lock and not yet labelled its (long quiet) task.
    const head = git.resolve("main")!;
    const fresh = git.writeCommit({ treeSha: git.commits.get(head)!.treeSha, parents: [head], message: `orkestra lock #${quiet} for alpha` });
    git.refs.set(`refs/orkestra/locks/${quiet}`, fresh.sha);
    await h.sweep();
    expect(locks(h)).toEqual([`refs/orkestra/locks/${quiet}`]);
  });

  it("stops above the rate-limit floor, says what it did not reach, and warns without failing", async () => {
    h = await startHarness(door, { rateLimit: 100, files: { ".github/orkestra.yml": `${CONFIG}\nsweep:\n  rateLimitFloor: 95\n  requestShare: 1\n` } });
    const task = await openTask("Ready");
    const [report] = await h.sweep();
    expect(report?.truncated?.reason).toMatch(/^stopped while [a-z ]+: \d+ GitHub requests left this hour, floor 95 \(sweep.rateLimitFloor\); the next sweep continues$/);
    expect(report?.truncated?.notReached).toContain("the open tasks from page 1 on");
    expect(reportFailed(report!)).toBe(false);
    expect(sweepWarning(report!)).toMatch(/^sweep stopped while [a-z ]+: .*read no page of the open tasks, with \d+ GitHub requests of the 100 a sweep may make\. The next sweep starts at page 1; no page fitted/);
    expect(renderReport("schedule", report!, false)).toContain("**Stopped early**");
    expect(cardOf(h, task).agent).toBeNull();
  });

  it("a dry run reports what it would do and writes nothing", async () => {
    await start("assignment:\n  leaseMinutes: 60\n");
    const stale = await openTask("Stale");
    await h.sweep();
    const ready = await openTask("Ready");
    h.clock.advance(61 * MINUTE);
    h.sandbox.clearRequests();
    const [report] = await h.sweep({ dryRun: true });
    // The stale task's agent would be free again, so it is as good a choice as any.
    expect(report?.actions).toContain(`#${ready}: assign \`alpha\` — alpha 50: base 50 (dry run: not claimed)`);
    expect(report?.actions.some((line) => line.startsWith(`#${stale}: remove labels`))).toBe(true);
    expect(orkestraRequests(h.sandbox).filter((line) => !line.startsWith("GET"))).toEqual([]);
    expect(cardOf(h, stale).agent?.name).toBe("alpha");
  });
});
