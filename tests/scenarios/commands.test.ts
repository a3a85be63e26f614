import { afterEach, describe, expect, it } from "vitest";
import { parseCard } from "../../src/domain/task/card.js";
import { botComments, DOORS, labelsOf, orkestraRequests, reactionsOn, startHarness, type Harness } from "../support/harness.js";

function cardOf(h: Harness, number: number) {
  return botComments(h.sandbox, number).map(parseCard).find((meta) => meta !== null)!;
}

function replies(h: Harness, number: number): string[] {
  return botComments(h.sandbox, number).filter((body) => body.includes("orkestra:reply-"));
}

async function openTask(h: Harness, body = ""): Promise<number> {
  const issue = h.sandbox.as("alice").openIssue({ title: "Task", body });
  await h.settle();
  return issue.number;
}

describe.each(DOORS)("commands through the %s", (door) => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("/help lists the enabled commands and is acknowledged with 👀 then 👍", async () => {
    h = await startHarness(door, { files: { ".github/orkestra.yml": "commands:\n  disabled: [priority]\n" } });
    const task = await openTask(h);
    const comment = h.sandbox.as("rita").comment(task, "/help");
    await h.settle();
    expect(reactionsOn(h.sandbox, comment.id)).toEqual(["eyes", "+1"]);
    const [reply] = replies(h, task);
    expect(reply).toContain("| `/status <state>` |");
    expect(reply).toContain("| `/depends-on #N …` |");
    expect(reply).not.toContain("/priority");
  });

  /** A task on which trish comments "/priority high" and "/status blocked". */
  async function prioritisedAndBlocked() {
    h = await startHarness(door);
    const task = await openTask(h);
    h.sandbox.as("trish").comment(task, "/priority high\n/status blocked");
    await h.settle();
    return task;
  }

  it("/status and /priority in one comment both change the task's labels", async () => {
    const task = await prioritisedAndBlocked();
    expect(labelsOf(h.sandbox, task)).toEqual(["orkestra:task", "priority:high", "status:blocked", "type:technical"]);
  });

  it("a /status change is recorded on the card with who, what and why", async () => {
    const task = await prioritisedAndBlocked();
    expect(cardOf(h, task).history.at(-1)).toMatchObject({ by: "trish", what: "status `pending` → `blocked`", why: "`/status blocked`" });
  });

  it("/status done closes the issue as completed, acknowledged without a reply", async () => {
    const task = await prioritisedAndBlocked();
    const done = h.sandbox.as("alice").comment(task, "/status done");
    await h.settle();
    expect(h.sandbox.state.issue(task)).toMatchObject({ state: "closed", state_reason: "completed" });
    expect(labelsOf(h.sandbox, task)).toContain("status:done");
    expect(reactionsOn(h.sandbox, done.id)).toEqual(["eyes", "+1"]);
    expect(replies(h, task)).toEqual([]);
  });

  it("/status done on a dependency unblocks its dependents in the same run", async () => {
    h = await startHarness(door);
    const dep = await openTask(h);
    const dependent = await openTask(h, `depends on #${dep}`);
    expect(labelsOf(h.sandbox, dependent)).toContain("status:blocked");
    h.sandbox.as("alice").comment(dep, "/status done");
    await h.settle();
    expect(labelsOf(h.sandbox, dependent)).toContain("status:pending");
  });

  it("a forbidden transition is refused with the reason and changes nothing", async () => {
    h = await startHarness(door);
    const task = await openTask(h);
    const before = { labels: labelsOf(h.sandbox, task), card: cardOf(h, task) };
    const comment = h.sandbox.as("alice").comment(task, "/status review");
    await h.settle();
    expect(reactionsOn(h.sandbox, comment.id)).toEqual(["eyes", "confused"]);
    expect(replies(h, task)).toHaveLength(1);
    expect(replies(h, task)[0]).toContain("@alice 😕 `/status review`: a task cannot go from `pending` to `review`");
    expect(labelsOf(h.sandbox, task)).toEqual(before.labels);
    expect(cardOf(h, task)).toEqual(before.card);
  });

  it.each([
    ["/status shipped", "`shipped` is not a status; use one of `pending`"],
    ["/priority urgent", "`urgent` is not a priority; use one of `low`, `medium`, `high`, `critical`"],
    ["/depends-on soon", "name the issues as `#12`"],
    ["/depends-on #404", "#404: #404 does not exist"],
    ["/stauts done", "unknown command — did you mean `/status`?"],
  ])("%s is refused clearly and changes nothing", async (command, reason) => {
    h = await startHarness(door);
    const task = await openTask(h);
    const before = { labels: labelsOf(h.sandbox, task), card: cardOf(h, task) };
    h.sandbox.as("alice").comment(task, command);
    await h.settle();
    expect(replies(h, task)[0]).toContain(reason);
    expect(labelsOf(h.sandbox, task)).toEqual(before.labels);
    expect(cardOf(h, task)).toEqual(before.card);
  });

  /** Tasks a and b, and alice's "/depends-on #a" on b. */
  async function bDependsOnA() {
    h = await startHarness(door);
    const a = await openTask(h);
    const b = await openTask(h);
    h.sandbox.as("alice").comment(b, `/depends-on #${a}`);
    await h.settle();
    return { a, b };
  }

  it("/depends-on adds a dependency, blocking the task", async () => {
    const { a, b } = await bDependsOnA();
    expect(cardOf(h, b)).toMatchObject({ status: "blocked", extraDeps: [a], deps: [{ number: a, state: "open" }] });
  });

  it("/depends-on refuses a dependency that would make a cycle", async () => {
    const { a, b } = await bDependsOnA();
    h.sandbox.as("alice").comment(a, `/depends-on #${b}`);
    await h.settle();
    expect(replies(h, a)[0]).toContain(`#${b}: would make a cycle: #${a} → #${b} → #${a}`);
    expect(cardOf(h, a).deps).toEqual([]);
  });

  it("/depends-on -#N removes a dependency, unblocking the task", async () => {
    const { a, b } = await bDependsOnA();
    h.sandbox.as("alice").comment(b, `/depends-on -#${a}`);
    await h.settle();
    expect(cardOf(h, b)).toMatchObject({ status: "pending", extraDeps: [], deps: [] });
    expect(h.sandbox.state.blockedBy(b)).toEqual([]);
  });

  it("a redelivered command comment is not run again, so it cannot undo a newer command", async () => {
    h = await startHarness(door);
    const task = await openTask(h);
    h.sandbox.as("alice").comment(task, "/priority high");
    await h.settle();
    const first = h.sandbox.deliveries.filter((event) => event.name === "issue_comment" && event.actor.login === "alice").at(-1)!;
    h.sandbox.as("alice").comment(task, "/priority low\n/status blocked");
    await h.settle();
    const before = { labels: labelsOf(h.sandbox, task), comments: botComments(h.sandbox, task) };
    h.sandbox.clearRequests();
    await h.redeliver(first);
    expect(labelsOf(h.sandbox, task)).toEqual(before.labels);
    expect(labelsOf(h.sandbox, task)).toContain("priority:low");
    expect(botComments(h.sandbox, task)).toEqual(before.comments);
    expect(orkestraRequests(h.sandbox).filter((line) => !line.startsWith("GET"))).toEqual([
      "POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions",
    ]);
  });

  it("a read-only user is refused and nothing changes", async () => {
    h = await startHarness(door, { private: true, collaborators: { alice: "write", rita: "read" } });
    const task = await openTask(h);
    const before = labelsOf(h.sandbox, task);
    const comment = h.sandbox.as("rita").comment(task, "/status blocked");
    await h.settle();
    expect(reactionsOn(h.sandbox, comment.id)).toEqual(["eyes", "confused"]);
    expect(replies(h, task)[0]).toContain("@rita needs `triage` permission on this repository for `/status` (has `read`)");
    expect(labelsOf(h.sandbox, task)).toEqual(before);
  });

  it("ignores commands from bots and inside code fences or quotes, without even a reaction", async () => {
    h = await startHarness(door);
    const task = await openTask(h);
    h.sandbox.addBot("dependabot[bot]");
    const fromBot = h.sandbox.as("dependabot[bot]").comment(task, "/status blocked");
    const fenced = h.sandbox.as("alice").comment(task, "```\n/status blocked\n```");
    const quoted = h.sandbox.as("alice").comment(task, "> /status blocked\n\nI disagree with that.");
    await h.settle();
    for (const comment of [fromBot, fenced, quoted]) expect(reactionsOn(h.sandbox, comment.id)).toEqual([]);
    expect(labelsOf(h.sandbox, task)).toContain("status:pending");
    expect(replies(h, task)).toEqual([]);
  });

  it("/status on an issue that is not a task is refused", async () => {
    h = await startHarness(door, { files: { ".github/orkestra.yml": "tasks:\n  from: label\n" } });
    const issue = h.sandbox.as("alice").openIssue({ title: "Not a task" });
    await h.settle();
    h.sandbox.as("alice").comment(issue.number, "/status blocked");
    await h.settle();
    expect(replies(h, issue.number)[0]).toContain("this issue is not an Orkestra task");
    expect(labelsOf(h.sandbox, issue.number)).toEqual([]);
  });
});
