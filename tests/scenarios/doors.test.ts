import { afterEach, describe, expect, it } from "vitest";
import { botComments, DOORS, labelsOf, orkestraRequests, startHarness, type Door, type Harness } from "../support/harness.js";

/** Opens a dependency and a dependent task, closes the first with a command, redelivers. */
async function scenario(door: Door): Promise<{ h: Harness; requests: string[]; state: unknown }> {
  const h = await startHarness(door);
  const dep = h.sandbox.as("alice").openIssue({ title: "API", body: "" });
  const task = h.sandbox.as("alice").openIssue({ title: "Client", body: `depends on #${dep.number}` });
  await h.settle();
  h.sandbox.as("alice").comment(task.number, "/priority critical");
  h.sandbox.as("alice").comment(dep.number, "/status done");
  await h.settle();
  const state = [dep.number, task.number].map((number) => ({
    labels: labelsOf(h.sandbox, number),
    comments: botComments(h.sandbox, number),
    state: h.sandbox.state.issue(number)?.state,
  }));
  return { h, requests: orkestraRequests(h.sandbox), state };
}

describe("the Probot app and the Action", () => {
  const open: Harness[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((h) => h.close()));
  });

  it("make the same GitHub requests and reach the same state for the same events", async () => {
    const [app, action] = await Promise.all(DOORS.map(scenario));
    open.push(app!.h, action!.h);
    expect(app!.requests.length).toBeGreaterThan(10);
    expect(action!.requests).toEqual(app!.requests);
    expect(action!.state).toEqual(app!.state);
  });

  it.each(DOORS)("through the %s, a redelivered event changes nothing", async (door) => {
    const h = await startHarness(door);
    open.push(h);
    const issue = h.sandbox.as("alice").openIssue({ title: "Task", body: "" });
    const comment = h.sandbox.as("alice").comment(issue.number, "/status blocked\n/status review");
    await h.settle();
    const events = h.sandbox.deliveries.filter((event) => event.actor.login === "alice");
    const before = { labels: labelsOf(h.sandbox, issue.number), comments: botComments(h.sandbox, issue.number) };
    h.sandbox.clearRequests();
    for (const event of events) await h.redeliver(event);
    const writes = orkestraRequests(h.sandbox).filter((line) => !line.startsWith("GET"));
    // A stale payload may make Orkestra re-add labels the issue already has and re-post its
    // reactions; GitHub treats both as no-ops. Nothing is created, edited or removed.
    const idempotent = /^POST .*\/(reactions|labels)$/;
    expect(writes.filter((line) => !idempotent.test(line))).toEqual([]);
    expect({ labels: labelsOf(h.sandbox, issue.number), comments: botComments(h.sandbox, issue.number) }).toEqual(before);
    expect(comment.id).toBeGreaterThan(0);
  });
});
