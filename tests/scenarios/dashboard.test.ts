/**
 * The dashboard issue (docs/dashboard.md) through both doors: the first sweep opens it and
 * remembers it in `refs/orkestra/dashboard/<n>`; later sweeps rewrite it only when the board
 * changed; ticking a box runs the command as the person who ticked it, with its permission.
 */
import { orkestraRequests } from "../support/harness.js";
import { afterEach, describe, expect, it } from "vitest";
import { botComments, DOORS, labelsOf, startHarness, type Harness } from "../support/harness.js";
import { dashboards, orkestraRefs, requestsTo, tick, writes } from "../support/dashboard.js";

const SWEEP_BOX = '{"kind":"sweep"}';
const PAUSE_BOX = '{"kind":"pause"}';
const PAUSE_REF = "refs/orkestra/state/paused";
const HOUR = 60 * 60_000;
/** The default sweep interval: the Action's schedule runs about this often. */
const INTERVAL = 15 * 60_000;

async function openTask(h: Harness, title: string): Promise<number> {
  const issue = h.sandbox.as("alice").openIssue({ title, body: "" });
  await h.settle();
  return issue.number;
}

/** The one dashboard issue; fails when there is none or more than one. */
function theDashboard(h: Harness) {
  const found = dashboards(h);
  expect(found).toHaveLength(1);
  return found[0]!;
}

function bodyOf(h: Harness, number: number): string {
  return h.sandbox.state.issue(number)?.body ?? "";
}

describe.each(DOORS)("the dashboard through the %s", (door) => {
  let h: Harness;
  afterEach(async () => h?.close());

  /** A task, then the first sweep: the dashboard exists. */
  async function withDashboard(config?: string): Promise<{ task: number; dashboard: number }> {
    h = await startHarness(door, config ? { files: { ".github/orkestra.yml": config } } : {});
    const task = await openTask(h, "First task");
    h.clock.advance(HOUR);
    await h.sweep();
    return { task, dashboard: theDashboard(h).number };
  }

  it("the first sweep opens exactly one dashboard listing the open tasks, remembered by a ref; it never becomes a task", async () => {
    const { task, dashboard } = await withDashboard("tasks:\n  from: all\n");
    const body = bodyOf(h, dashboard);
    expect(body).toContain(`#${task}`);
    expect(body).toContain("First task");
    expect(body).toContain("Run the sweep now");
    expect(orkestraRefs(h)).toContain(`refs/orkestra/dashboard/${dashboard}`);
    // Pinned to the issue list (GraphQL pinIssue), and its ref made with the ledger's append (GraphQL updateRefs).
    expect(h.sandbox.internals.store.issues.get(dashboard)?.pinned).toBe(true);
    expect(h.sandbox.internals.store.git.refs.get(`refs/orkestra/dashboard/${dashboard}`)).toBe(h.sandbox.internals.store.git.refs.get("refs/orkestra/state/ledger"));
    // Not a task, even though every issue becomes one: no label, no card — now or after more sweeps.
    h.clock.advance(HOUR);
    await h.sweep();
    h.clock.advance(HOUR);
    await h.sweep();
    expect(labelsOf(h.sandbox, dashboard)).toEqual([]);
    expect(botComments(h.sandbox, dashboard)).toEqual([]);
    expect(dashboards(h)).toHaveLength(1);
    expect(orkestraRefs(h).filter((ref) => ref.startsWith("refs/orkestra/dashboard/"))).toEqual([`refs/orkestra/dashboard/${dashboard}`]);
  });

  it("a fourth pinned issue is more than GitHub pins: the dashboard opens unpinned and the sweep goes on", async () => {
    h = await startHarness(door);
    for (const title of ["One", "Two", "Three"]) {
      const issue = h.sandbox.as("alice").openIssue({ title });
      h.sandbox.internals.store.issues.get(issue.number)!.pinned = true;
    }
    await h.settle();
    h.clock.advance(HOUR);
    h.sandbox.clearRequests();
    await h.sweep();
    const dashboard = theDashboard(h).number;
    expect(h.sandbox.internals.store.issues.get(dashboard)?.pinned).toBeFalsy();
    const requests = orkestraRequests(h.sandbox);
    if (door === "app") {
      // The ledger's append and the dashboard's new ref in one request (updateRefs; the repository's
      // node id comes with the sweep's payload), besides the refused pin: no REST ref write.
      expect(requests.filter((line) => line === "POST /graphql")).toHaveLength(2);
      expect(requests.filter((line) => line.includes("/git/refs"))).toEqual([]);
    } else {
      // This harness's schedule payload has no repository (GitHub's has carried one since 2022):
      // without its node id the two refs are written one by one.
      expect(requests.filter((line) => line === "POST /graphql")).toHaveLength(1);
      expect(requests.filter((line) => line.includes("/git/refs"))).toEqual(["PATCH /repos/{owner}/{repo}/git/refs/{ref}", "POST /repos/{owner}/{repo}/git/refs"]);
    }
    expect(h.sandbox.internals.store.git.refs.get(`refs/orkestra/dashboard/${dashboard}`)).toBe(h.sandbox.internals.store.git.refs.get("refs/orkestra/state/ledger"));
    expect(bodyOf(h, dashboard)).toContain("Run the sweep now");
    expect(orkestraRefs(h)).toContain(`refs/orkestra/dashboard/${dashboard}`);
  });

  it("a second sweep with nothing changed writes nothing and does not touch the dashboard", async () => {
    const { dashboard } = await withDashboard();
    const before = bodyOf(h, dashboard);
    h.sandbox.clearRequests();
    h.clock.advance(HOUR);
    await h.sweep();
    expect(writes(h)).toEqual([]);
    expect(requestsTo(h, dashboard)).toEqual([]);
    expect(bodyOf(h, dashboard)).toBe(before);
  });

  it("after an event changes the board, the next sweep rewrites the body and shows the new task", async () => {
    const { dashboard } = await withDashboard();
    h.clock.advance(INTERVAL / 3);
    const second = await openTask(h, "Second task appears");
    expect(bodyOf(h, dashboard)).not.toContain("Second task appears");
    h.sandbox.clearRequests();
    h.clock.advance(INTERVAL);
    await h.sweep();
    expect(requestsTo(h, dashboard)).toContain(`PATCH /repos/${h.sandbox.owner}/${h.sandbox.repo}/issues/${dashboard}`);
    const body = bodyOf(h, dashboard);
    expect(body).toContain(`#${second}`);
    expect(body).toContain("Second task appears");
    expect(dashboards(h)).toHaveLength(1);
    // And a /status on a task changes the board again.
    h.clock.advance(INTERVAL / 3);
    h.sandbox.as("alice").comment(second, "/status blocked");
    await h.settle();
    h.sandbox.clearRequests();
    h.clock.advance(INTERVAL);
    await h.sweep();
    expect(requestsTo(h, dashboard).filter((line) => line.startsWith("PATCH"))).toHaveLength(1);
    expect(bodyOf(h, dashboard)).toMatch(/blocked \(1\)/);
  });

  // The Action knows no last sweep: its window of recently updated issues is 2 × the interval. A
  // change older than that still shows, because the run that made it moved the ledger past the
  // ledger head the dashboard's ref points at.
  it("a change made before a delayed sweep still reaches the dashboard", async () => {
    const { dashboard } = await withDashboard();
    h.clock.advance(INTERVAL / 3);
    await openTask(h, "Opened before a skipped schedule");
    h.clock.advance(3 * INTERVAL);
    await h.sweep();
    expect(bodyOf(h, dashboard)).toContain("Opened before a skipped schedule");
  });

  it("a write user ticking 'Run the sweep now' runs it: the box is unticked and one reply says it ran", async () => {
    const { dashboard } = await withDashboard();
    const ticked = tick(bodyOf(h, dashboard), SWEEP_BOX);
    h.sandbox.as("alice").editIssue(dashboard, { body: ticked });
    await h.settle();
    const body = bodyOf(h, dashboard);
    expect(body).not.toContain("- [x]");
    expect(body).toContain(`- [ ] <!-- orkestra:dashboard-action ${SWEEP_BOX} -->`);
    const replies = botComments(h.sandbox, dashboard);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain("@alice");
    expect(replies[0]).toContain("✅ Run the sweep now");
    expect(replies[0]).toMatch(/the sweep ran/i);
    expect(orkestraRefs(h)).not.toContain(PAUSE_REF);
  });

  it("a write user ticking Pause is refused (needs maintain): no pause ref, box unticked, reply names the permission", async () => {
    const { dashboard } = await withDashboard();
    h.sandbox.as("alice").editIssue(dashboard, { body: tick(bodyOf(h, dashboard), PAUSE_BOX) });
    await h.settle();
    expect(orkestraRefs(h)).not.toContain(PAUSE_REF);
    expect(bodyOf(h, dashboard)).not.toContain("- [x]");
    const replies = botComments(h.sandbox, dashboard);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain("😕");
    expect(replies[0]).toContain("`maintain`");
  });

  it("a maintainer ticking Pause pauses Orkestra", async () => {
    const { dashboard } = await withDashboard();
    h.sandbox.as("mona").editIssue(dashboard, { body: tick(bodyOf(h, dashboard), PAUSE_BOX) });
    await h.settle();
    expect(orkestraRefs(h)).toContain(PAUSE_REF);
    expect(bodyOf(h, dashboard)).not.toContain("- [x]");
    expect(botComments(h.sandbox, dashboard).at(-1)).toContain("✅ Pause Orkestra");
  });

  it("an edit event from a read-only person ticking the sweep runs nothing; the reply names `write`", async () => {
    // GitHub lets only write users edit another's issue, so the event is one a read user could
    // only cause by other means (or a forged delivery): take alice's real tick, made by rita.
    const { dashboard } = await withDashboard();
    const before = bodyOf(h, dashboard);
    h.sandbox.as("alice").editIssue(dashboard, { body: tick(before, SWEEP_BOX) });
    await h.settle();
    const edit = h.sandbox.deliveries.filter((event) => event.name === "issues" && (event.payload as { action?: string }).action === "edited" && event.actor.login === "alice").at(-1)!;
    const payload = structuredClone(edit.payload) as Record<string, unknown> & { sender: Record<string, unknown> };
    payload.sender = { ...payload.sender, login: "rita", id: 424242 };
    const repliesBefore = botComments(h.sandbox, dashboard).length;
    // A new open issue: a sweep run now would make it a task and the board would change.
    h.clock.advance(HOUR);
    h.sandbox.clearRequests();
    await h.deliver("issues", payload);
    const replies = botComments(h.sandbox, dashboard);
    expect(replies).toHaveLength(repliesBefore + 1);
    expect(replies.at(-1)).toContain("@rita");
    expect(replies.at(-1)).toContain("needs `write` permission");
    expect(replies.at(-1)).not.toMatch(/the sweep ran/);
    expect(bodyOf(h, dashboard)).not.toContain("- [x]");
    // No sweep ran: it would have listed the open issues.
    expect(h.sandbox.requests.filter((request) => request.method === "GET" && /\/issues\?/.test(request.path))).toEqual([]);
  });

  it("a board of many tasks stays under GitHub's 65,536 characters and says how many more there are", async () => {
    h = await startHarness(door, {}, { autoDeliver: false });
    const long = "Ünïcødé `code` <b>html</b> | pipes | and a very long title that goes on ".repeat(3);
    for (let i = 0; i < 300; i++) {
      h.sandbox.as("alice").openIssue({ title: `${i} ${long}`, body: "", labels: ["orkestra:task", "status:pending", "priority:medium", "type:technical"] });
    }
    await h.settle();
    h.clock.advance(HOUR);
    await h.sweep();
    const body = bodyOf(h, theDashboard(h).number);
    expect(body.length).toBeLessThan(65_536);
    expect(body).toMatch(/… and \d+ more tasks/);
  }, 60_000);
});
