import { afterEach, describe, expect, it } from "vitest";
import { parseCard } from "../../src/domain/task/card.js";
import { botComments, DOORS, labelsOf, orkestraRequests, startHarness, type Harness } from "../support/harness.js";

const TASK_LABELS = ["orkestra:task", "priority:medium", "status:pending", "type:technical"];

function cardOf(h: Harness, number: number) {
  const cards = botComments(h.sandbox, number).map(parseCard).filter((meta) => meta !== null);
  expect(cards).toHaveLength(1);
  return cards[0]!;
}

describe.each(DOORS)("tasks through the %s", (door) => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("an opened issue becomes a task with labels, coloured labels and one card", async () => {
    h = await startHarness(door);
    const issue = h.sandbox.as("alice").openIssue({ title: "Write the docs", body: "Please." });
    await h.settle();
    expect(labelsOf(h.sandbox, issue.number)).toEqual(TASK_LABELS);
    const labels = new Map(h.sandbox.state.labels().map((label) => [label.name, label]));
    expect(labels.get("status:pending")).toMatchObject({ color: "fbca04", description: "Task waiting for an agent" });
    expect(labels.get("orkestra:task")).toMatchObject({ color: "5319e7" });
    const card = cardOf(h, issue.number);
    expect(card).toMatchObject({ status: "pending", priority: "medium", type: "technical", deps: [] });
    expect(botComments(h.sandbox, issue.number)[0]).toContain("| 🟡 `pending` | `medium` | `technical` | — |");
  });

  it("handling issues.opened costs seven requests once the labels exist (five, and the ledger's two)", async () => {
    h = await startHarness(door);
    h.sandbox.as("alice").openIssue({ title: "First", body: "" });
    await h.settle();
    h.sandbox.clearRequests();
    const issue = h.sandbox.as("alice").openIssue({ title: "Second", body: "" });
    await h.settle();
    expect(orkestraRequests(h.sandbox)).toEqual([
      "GET /repos/{owner}/{repo}/git/matching-refs/{ref}",
      "GET /repos/{owner}/{repo}/contents/{path}",
      "GET /repos/{owner}/{repo}/issues/{issue_number}/comments",
      "POST /repos/{owner}/{repo}/issues/{issue_number}/labels",
      "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
      "POST /repos/{owner}/{repo}/git/commits",
      "PATCH /repos/{owner}/{repo}/git/refs/{ref}",
    ]);
    expect(labelsOf(h.sandbox, issue.number)).toEqual(TASK_LABELS);
  });

  it("reads type, priority and dependencies from the task form", async () => {
    h = await startHarness(door);
    const dep = h.sandbox.as("alice").openIssue({ title: "Dependency" });
    const body = `### Description\n\nBuild it\n\n### Type\n\nresearch\n\n### Priority\n\nhigh\n\n### Dependencies\n\n#${dep.number}\n\n### Acceptance criteria\n\n_No response_`;
    const issue = h.sandbox.as("alice").openIssue({ title: "[Task]: form", body, labels: ["orkestra:task"] });
    await h.settle();
    expect(labelsOf(h.sandbox, issue.number)).toEqual(["orkestra:task", "priority:high", "status:blocked", "type:research"]);
  });

  it("a dependency blocks the task until it closes, then a comment says why it is pending again", async () => {
    h = await startHarness(door);
    const dep = h.sandbox.as("alice").openIssue({ title: "API" });
    const task = h.sandbox.as("alice").openIssue({ title: "Client", body: `Depends on #${dep.number}.` });
    await h.settle();
    expect(labelsOf(h.sandbox, task.number)).toContain("status:blocked");
    expect(h.sandbox.state.blockedBy(task.number).map((issue) => issue.number)).toEqual([dep.number]);
    expect(cardOf(h, task.number).deps).toEqual([{ number: dep.number, state: "open" }]);

    h.sandbox.as("alice").closeIssue(dep.number, "completed");
    await h.settle();
    expect(labelsOf(h.sandbox, task.number)).toContain("status:pending");
    expect(labelsOf(h.sandbox, dep.number)).toContain("status:done");
    expect(botComments(h.sandbox, task.number)).toContain(`▶️ #${dep.number} closed: this task is \`pending\` again.`);
    expect(cardOf(h, task.number).deps).toEqual([{ number: dep.number, state: "closed" }]);
  });

  it("refuses a self-dependency, a missing issue and a cycle with one comment naming them", async () => {
    h = await startHarness(door);
    const a = h.sandbox.as("alice").openIssue({ title: "A" });
    const b = h.sandbox.as("alice").openIssue({ title: "B", body: `depends on #${a.number}` });
    await h.settle();
    h.sandbox.as("alice").editIssue(a.number, { body: `depends on #${b.number}, #${a.number} and #999` });
    await h.settle();
    const problems = botComments(h.sandbox, a.number).filter((body) => body.includes("did not record"));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`#${b.number}: would make a cycle: #${a.number} → #${b.number} → #${a.number}`);
    expect(problems[0]).toContain(`#${a.number}: a task cannot depend on itself`);
    expect(problems[0]).toContain("#999: #999 does not exist");
    expect(cardOf(h, a.number).deps).toEqual([]);
    expect(labelsOf(h.sandbox, a.number)).toContain("status:pending");

    h.sandbox.as("alice").editIssue(a.number, { body: "no dependencies after all" });
    await h.settle();
    expect(botComments(h.sandbox, a.number).filter((body) => body.includes("dependency problems reported here are fixed"))).toHaveLength(1);
  });

  it("closing and reopening drive done, cancelled, pending and blocked", async () => {
    h = await startHarness(door);
    const dep = h.sandbox.as("alice").openIssue({ title: "Dep" });
    const issue = h.sandbox.as("alice").openIssue({ title: "Task" });
    await h.settle();
    h.sandbox.as("alice").closeIssue(issue.number, "not_planned");
    await h.settle();
    expect(labelsOf(h.sandbox, issue.number)).toContain("status:cancelled");
    h.sandbox.as("alice").reopenIssue(issue.number);
    await h.settle();
    expect(labelsOf(h.sandbox, issue.number)).toContain("status:pending");
    h.sandbox.as("alice").closeIssue(issue.number, "completed");
    await h.settle();
    expect(labelsOf(h.sandbox, issue.number)).toContain("status:done");
    h.sandbox.as("alice").editIssue(issue.number, { body: `blocked by #${dep.number}` });
    h.sandbox.as("alice").reopenIssue(issue.number);
    await h.settle();
    expect(labelsOf(h.sandbox, issue.number)).toContain("status:blocked");
    const history = cardOf(h, issue.number).history.map((decision) => decision.what);
    expect(history).toEqual([
      "task created as `pending`",
      "status `pending` → `cancelled`",
      "status `cancelled` → `pending`",
      "status `pending` → `done`",
      "status `done` → `blocked`",
    ]);
  });

  it("a 65,000-character body is handled like any other", async () => {
    h = await startHarness(door);
    const tail = "\ndepends on #1";
    const body = "lorem ipsum ".repeat(6000).slice(0, 65_000 - tail.length) + tail;
    const dep = h.sandbox.as("alice").openIssue({ title: "Dep" });
    const issue = h.sandbox.as("alice").openIssue({ title: "Huge", body });
    await h.settle();
    expect(body.length).toBe(65_000);
    expect(labelsOf(h.sandbox, issue.number)).toContain("status:blocked");
    expect(cardOf(h, issue.number).deps).toEqual([{ number: dep.number, state: "open" }]);
  });

  it("an issue opened and edited in quick succession ends with one card reflecting the edit", async () => {
    h = await startHarness(door);
    const dep = h.sandbox.as("alice").openIssue({ title: "Dep" });
    await h.settle();
    const issue = h.sandbox.as("alice").openIssue({ title: "Racy", body: "nothing yet" });
    h.sandbox.as("alice").editIssue(issue.number, { body: `depends on #${dep.number}` });
    await h.settle();
    expect(cardOf(h, issue.number).deps).toEqual([{ number: dep.number, state: "open" }]);
    expect(labelsOf(h.sandbox, issue.number)).toEqual(["orkestra:task", "priority:medium", "status:blocked", "type:technical"]);
  });

  it("a status label set by hand goes through the state machine", async () => {
    h = await startHarness(door);
    const issue = h.sandbox.as("alice").openIssue({ title: "Task" });
    await h.settle();
    h.sandbox.as("alice").addLabels(issue.number, ["status:review"]);
    await h.settle();
    expect(labelsOf(h.sandbox, issue.number)).toContain("status:pending");
    expect(labelsOf(h.sandbox, issue.number)).not.toContain("status:review");
    expect(botComments(h.sandbox, issue.number).at(-1)).toContain("the label `status:review` was taken off again: a task cannot go from `pending` to `review`");

    h.sandbox.as("alice").addLabels(issue.number, ["status:blocked"]);
    await h.settle();
    expect(labelsOf(h.sandbox, issue.number)).toEqual(["orkestra:task", "priority:medium", "status:blocked", "type:technical"]);
    expect(cardOf(h, issue.number).heldByPerson).toBe(true);
  });

  it("a held status set by hand on a new issue is not a claim: the task starts pending", async () => {
    h = await startHarness(door);
    const issue = h.sandbox.as("alice").openIssue({ title: "Eager", labels: ["status:in-progress"] });
    await h.settle();
    expect(labelsOf(h.sandbox, issue.number)).toEqual(TASK_LABELS);
    expect(cardOf(h, issue.number)).toMatchObject({ status: "pending", agent: null });
  });

  it("a refused status label, redelivered, is not refused twice", async () => {
    h = await startHarness(door);
    const issue = h.sandbox.as("alice").openIssue({ title: "Task" });
    await h.settle();
    h.sandbox.as("alice").addLabels(issue.number, ["status:review"]);
    await h.settle();
    const labeled = h.sandbox.deliveries.filter((event) => event.name === "issues" && event.payload.action === "labeled" && event.actor.login === "alice").at(-1)!;
    await h.redeliver(labeled);
    expect(botComments(h.sandbox, issue.number).filter((body) => body.includes("was taken off again"))).toHaveLength(1);
  });

  it("an issue from before Orkestra does not become a task because it was edited or labelled", async () => {
    h = await startHarness(door, {}, { autoDeliver: false });
    const old = h.sandbox.as("alice").openIssue({ title: "Ancient" });
    h.sandbox.as("alice").closeIssue(old.number, "completed");
    const open = h.sandbox.as("alice").openIssue({ title: "Old but open" });
    // Orkestra arrives only now: these events are the first it sees of both issues.
    const before = h.sandbox.deliveries.length;
    h.sandbox.as("alice").editIssue(open.number, { body: "more words" });
    h.sandbox.as("alice").addLabels(open.number, ["bug"]);
    h.sandbox.as("alice").reopenIssue(old.number);
    const later = h.sandbox.deliveries.slice(before);
    expect(later.filter((event) => event.name === "issues").map((event) => event.payload.action)).toEqual(["edited", "labeled", "reopened"]);
    for (const event of later) await h.redeliver(event);
    expect(labelsOf(h.sandbox, open.number)).toEqual(["bug"]);
    expect(botComments(h.sandbox, open.number)).toEqual([]);
    expect(botComments(h.sandbox, old.number)).toEqual([]);
  });

  it("with tasks.from: label only labelled issues become tasks", async () => {
    h = await startHarness(door, { files: { ".github/orkestra.yml": "tasks:\n  from: label\n" } });
    const plain = h.sandbox.as("alice").openIssue({ title: "Question" });
    const labelled = h.sandbox.as("alice").openIssue({ title: "Task", labels: ["orkestra:task"] });
    await h.settle();
    expect(labelsOf(h.sandbox, plain.number)).toEqual([]);
    expect(botComments(h.sandbox, plain.number)).toEqual([]);
    expect(labelsOf(h.sandbox, labelled.number)).toEqual(TASK_LABELS);
    h.sandbox.as("alice").addLabels(plain.number, ["orkestra:task"]);
    await h.settle();
    expect(labelsOf(h.sandbox, plain.number)).toEqual(TASK_LABELS);
  });
});
