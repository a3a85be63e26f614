/**
 * A "Blocked by" added or removed by a person in the issue sidebar (GitHub's native dependencies):
 * the `issue_dependencies` webhook reaches the app, which brings the blocked task in line as for a
 * dependency in the body; no workflow starts on it, so in the Action door the sweep finds it.
 */
import { afterEach, describe, expect, it } from "vitest";
import { parseCard } from "../../src/domain/task/card.js";
import type { SandboxEvent } from "../../tools/sandbox/index.js";
import { octokitFor, repoOf } from "../sandbox/helpers.js";
import { scriptedAgentsConfig } from "../support/config.js";
import { botComments, DOORS, labelsOf, orkestraRequests, startHarness, type Harness } from "../support/harness.js";

function cardOf(h: Harness, number: number) {
  return botComments(h.sandbox, number).map(parseCard).find((meta) => meta !== null)!;
}

/** What a person does in the sidebar: GitHub's dependency endpoints with their own token. */
function sidebar(h: Harness, login: string) {
  const octokit = octokitFor(h.sandbox, h.sandbox.tokenFor(login));
  const idOf = (number: number) => h.sandbox.state.issue(number)!.id;
  return {
    block: (issue: number, by: number) => octokit.rest.issues.addBlockedByDependency({ ...repoOf(h.sandbox), issue_number: issue, issue_id: idOf(by) }),
    unblock: (issue: number, by: number) => octokit.rest.issues.removeDependencyBlockedBy({ ...repoOf(h.sandbox), issue_number: issue, issue_id: idOf(by) }),
  };
}

const writes = (h: Harness) => orkestraRequests(h.sandbox).filter((line) => !line.startsWith("GET "));

describe("a sidebar relation reaches the app as `issue_dependencies`", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("blocks the task at once and releases it when the blocker is removed, leaving the body and the person's link alone", async () => {
    h = await startHarness("app");
    const api = h.sandbox.as("alice").openIssue({ title: "API" });
    const client = h.sandbox.as("alice").openIssue({ title: "Client", body: "Build the client." });
    await h.settle();
    expect(labelsOf(h.sandbox, client.number)).toContain("status:pending");

    await sidebar(h, "alice").block(client.number, api.number);
    await h.settle();
    expect(labelsOf(h.sandbox, client.number)).toContain("status:blocked");
    expect(cardOf(h, client.number)).toMatchObject({ status: "blocked", deps: [{ number: api.number, state: "open" }], mirrored: [] });
    expect(h.sandbox.state.issue(client.number)?.body).toBe("Build the client.");
    expect(h.sandbox.state.blockedBy(client.number).map((issue) => issue.number)).toEqual([api.number]);
    // Both sides were told (blocked_by_added, blocking_added) by alice; one of them did the work.
    const told = h.sandbox.deliveries.filter((event) => event.name === "issue_dependencies");
    expect(told.map((event) => [event.payload.action, (event.payload.sender as { login: string }).login])).toEqual([
      ["blocked_by_added", "alice"],
      ["blocking_added", "alice"],
    ]);

    // An edit of the body does not drop the person's link (it is theirs, not Orkestra's).
    h.sandbox.as("alice").editIssue(client.number, { body: "Build the client, fast." });
    await h.settle();
    expect(h.sandbox.state.blockedBy(client.number).map((issue) => issue.number)).toEqual([api.number]);
    expect(labelsOf(h.sandbox, client.number)).toContain("status:blocked");

    await sidebar(h, "alice").unblock(client.number, api.number);
    await h.settle();
    expect(labelsOf(h.sandbox, client.number)).toContain("status:pending");
    expect(cardOf(h, client.number)).toMatchObject({ status: "pending", deps: [] });
    expect(botComments(h.sandbox, client.number).some((body) => body.includes("this task is `pending` again"))).toBe(true);
  });

  it("costs one event five reads and the writes; the twin event and a redelivery cost nothing more", async () => {
    h = await startHarness("app");
    const api = h.sandbox.as("alice").openIssue({ title: "API" });
    const client = h.sandbox.as("alice").openIssue({ title: "Client" });
    const first = h.sandbox.as("alice").openIssue({ title: "Server" });
    await h.settle();
    // The first blocked task gives the `status:blocked` label its colour: not counted below.
    await sidebar(h, "alice").block(first.number, api.number);
    await h.settle();
    h.sandbox.clearRequests();
    await sidebar(h, "alice").block(client.number, api.number);
    await h.settle();
    expect(orkestraRequests(h.sandbox)).toEqual([
      // alice's own request
      "POST /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by",
      // the pause, the configuration, the issue afresh, its card, its blockers
      "GET /repos/{owner}/{repo}/git/matching-refs/{ref}",
      "GET /repos/{owner}/{repo}/contents/{path}",
      "GET /repos/{owner}/{repo}/issues/{issue_number}",
      "GET /repos/{owner}/{repo}/issues/{issue_number}/comments",
      "GET /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by",
      // `status:pending` off, `status:blocked` on, the card, then the ledger's two
      "DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}",
      "POST /repos/{owner}/{repo}/issues/{issue_number}/labels",
      "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}",
      "POST /repos/{owner}/{repo}/git/commits",
      "PATCH /repos/{owner}/{repo}/git/refs/{ref}",
    ]);

    const event = h.sandbox.deliveries.find((delivery) => delivery.name === "issue_dependencies" && delivery.payload.action === "blocked_by_added")!;
    h.sandbox.clearRequests();
    await h.redeliver(event);
    expect(writes(h)).toEqual([]);
    expect(labelsOf(h.sandbox, client.number)).toContain("status:blocked");
    expect(cardOf(h, client.number).history.filter((decision) => decision.what.includes("→ `blocked`"))).toHaveLength(1);
  });

  it("a task an agent holds is released when a person blocks it", async () => {
    h = await startHarness("app", { files: { ".github/orkestra.yml": scriptedAgentsConfig({ alpha: {} }) } });
    const api = h.sandbox.as("alice").openIssue({ title: "API" });
    const client = h.sandbox.as("alice").openIssue({ title: "Client" });
    await h.settle();
    h.sandbox.as("alice").comment(client.number, "/assign alpha");
    await h.settle();
    expect(labelsOf(h.sandbox, client.number)).toContain("agent:alpha");
    expect(h.sandbox.state.refs().some((ref) => ref.ref.endsWith(`/locks/${client.number}`))).toBe(true);

    await sidebar(h, "mona").block(client.number, api.number);
    await h.settle();
    expect(labelsOf(h.sandbox, client.number)).toContain("status:blocked");
    expect(labelsOf(h.sandbox, client.number).filter((label) => label.startsWith("agent:"))).toEqual([]);
    expect(cardOf(h, client.number).agent).toBeNull();
    expect(h.sandbox.state.refs().some((ref) => ref.ref.endsWith(`/locks/${client.number}`))).toBe(false);
  });

  it("a relation on an issue that is not a task changes nothing", async () => {
    h = await startHarness("app", { files: { ".github/orkestra.yml": "tasks:\n  from: label\n" } });
    const api = h.sandbox.as("alice").openIssue({ title: "API" });
    const note = h.sandbox.as("alice").openIssue({ title: "A note" });
    await h.settle();
    h.sandbox.clearRequests();
    await sidebar(h, "alice").block(note.number, api.number);
    await h.settle();
    expect(writes(h)).toEqual(["POST /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by"]);
    expect(labelsOf(h.sandbox, note.number)).toEqual([]);
  });
});

describe.each(DOORS)("a sidebar relation no event told of, through the %s", (door) => {
  let h: Harness;
  afterEach(async () => h?.close());

  /** Hands Orkestra every event but `issue_dependencies` (no workflow starts on it) and Orkestra's own. */
  async function start() {
    h = await startHarness(door, {}, { autoDeliver: false });
    const waiting: SandboxEvent[] = [];
    h.sandbox.onEvent(async (event) => {
      waiting.push(event);
    });
    return async () => {
      await h.settle();
      for (let event = waiting.shift(); event; event = waiting.shift()) {
        if (event.name !== "issue_dependencies" && !event.viaActionsToken) await h.deliver(event.name, event.payload);
      }
    };
  }

  it("is picked up by the next sweep: blocked, then pending again once the blocker is removed", async () => {
    const pump = await start();
    const api = h.sandbox.as("alice").openIssue({ title: "API" });
    const client = h.sandbox.as("alice").openIssue({ title: "Client" });
    await pump();
    expect(labelsOf(h.sandbox, client.number)).toContain("status:pending");
    // A sweep an hour later, and another: the issues' changes are behind them, out of their heal window.
    h.clock.advance(60 * 60_000);
    await h.sweep();
    h.clock.advance(60 * 60_000);

    await sidebar(h, "alice").block(client.number, api.number);
    await pump();
    expect(labelsOf(h.sandbox, client.number)).toContain("status:pending");
    await h.sweep();
    expect(labelsOf(h.sandbox, client.number)).toContain("status:blocked");
    expect(cardOf(h, client.number).deps).toEqual([{ number: api.number, state: "open" }]);

    h.clock.advance(60 * 60_000);
    await h.sweep();
    h.clock.advance(60 * 60_000);
    await sidebar(h, "alice").unblock(client.number, api.number);
    await pump();
    h.sandbox.clearRequests();
    await h.sweep();
    // Found in the listing's blocker counts, not because the issue was updated.
    expect(orkestraRequests(h.sandbox)).toContain("GET /repos/{owner}/{repo}/issues/{issue_number}/comments");
    expect(labelsOf(h.sandbox, client.number)).toContain("status:pending");

    // A sweep with nothing changed reads no relation, writes nothing.
    h.clock.advance(60 * 60_000);
    h.sandbox.clearRequests();
    await h.sweep();
    expect(orkestraRequests(h.sandbox).filter((line) => line.includes("/dependencies/"))).toEqual([]);
    expect(writes(h)).toEqual([]);
  });

  it("is picked up by the task's next event: an edit of the issue finds the new blocker", async () => {
    const pump = await start();
    const api = h.sandbox.as("alice").openIssue({ title: "API" });
    const client = h.sandbox.as("alice").openIssue({ title: "Client", body: "Build it." });
    await pump();
    await sidebar(h, "alice").block(client.number, api.number);
    await pump();
    expect(labelsOf(h.sandbox, client.number)).toContain("status:pending");
    h.sandbox.as("alice").editIssue(client.number, { body: "Build it well." });
    await pump();
    expect(labelsOf(h.sandbox, client.number)).toContain("status:blocked");
    expect(h.sandbox.state.issue(client.number)?.body).toBe("Build it well.");
  });
});
