/**
 * `/pause` and `/resume` (issue 14): the repository's pause is the ref `refs/orkestra/state/paused`,
 * a task's is its card's `paused` field. While paused, events and sweeps change nothing and
 * commands other than `/pause`, `/resume` and `/help` are refused with a reply saying who paused.
 */
import { afterEach, describe, expect, it } from "vitest";
import { parseCard } from "../../src/domain/task/card.js";
import { publishWorkerRun } from "../../src/handlers/index.js";
import { parsePause, pauseMessage } from "../../src/handlers/pause.js";
import { sandboxServices } from "../support/services.js";
import { scriptedAgentsConfig } from "../support/config.js";
import { botComments, DOORS, labelsOf, orkestraRequests, reactionsOn, startHarness, type Harness } from "../support/harness.js";

const PAUSE_REF = "refs/orkestra/state/paused";

function cardOf(h: Harness, number: number) {
  return botComments(h.sandbox, number).map(parseCard).find((meta) => meta !== null) ?? null;
}

function replyTo(h: Harness, number: number, commentId: number): string | undefined {
  return botComments(h.sandbox, number).find((body) => body.includes(`orkestra:reply-${commentId}`));
}

function writes(h: Harness): string[] {
  return orkestraRequests(h.sandbox).filter((line) => !line.startsWith("GET"));
}

function refs(h: Harness): string[] {
  return h.sandbox.state
    .refs()
    .map((ref) => ref.ref)
    .filter((ref) => ref.startsWith("refs/orkestra/"));
}

async function openTask(h: Harness, title = "Task"): Promise<number> {
  const issue = h.sandbox.as("alice").openIssue({ title, body: "" });
  await h.settle();
  return issue.number;
}

describe.each(DOORS)("pausing through the %s", (door) => {
  let h: Harness;
  afterEach(async () => h?.close());

  /** A task, then mona's `/pause` on it. */
  async function paused(): Promise<{ task: number; pause: number }> {
    h = await startHarness(door);
    const task = await openTask(h);
    const pause = h.sandbox.as("mona").comment(task, "/pause release freeze");
    await h.settle();
    return { task, pause: pause.id };
  }

  it("/pause writes the pause ref, and replies who paused and how to resume", async () => {
    const { task, pause } = await paused();
    expect(refs(h)).toContain(PAUSE_REF);
    expect(reactionsOn(h.sandbox, pause)).toEqual(["eyes", "+1"]);
    const reply = replyTo(h, task, pause)!;
    expect(reply).toContain("paused in this repository by @mona since 2026-11-21");
    expect(reply).toContain("release freeze");
    expect(reply).toContain("`/resume`");
  });

  it("while paused an opened issue makes no task: no label, no card, no write", async () => {
    await paused();
    h.sandbox.clearRequests();
    const issue = h.sandbox.as("alice").openIssue({ title: "While paused", body: "" });
    await h.settle();
    expect(labelsOf(h.sandbox, issue.number)).toEqual([]);
    expect(botComments(h.sandbox, issue.number)).toEqual([]);
    expect(writes(h)).toEqual([]);
    // The pause check: the ref (found), then its commit to say who paused and since when.
    expect(orkestraRequests(h.sandbox)).toEqual(["GET /repos/{owner}/{repo}/git/matching-refs/{ref}", "GET /repos/{owner}/{repo}/git/commits/{commit_sha}"]);
  });

  it("while paused a sweep writes nothing and says so", async () => {
    await paused();
    h.sandbox.as("alice").openIssue({ title: "While paused", body: "" });
    await h.settle();
    h.sandbox.clearRequests();
    h.clock.advance(60 * 60_000);
    const reports = await h.sweep();
    expect(writes(h)).toEqual([]);
    if (door === "action") expect(reports.flatMap((report) => report.notes).join("\n")).toContain("paused in this repository by @mona since");
  });

  it("a dry-run sweep while paused says so too", async () => {
    await paused();
    h.sandbox.clearRequests();
    h.clock.advance(60 * 60_000);
    const reports = await h.sweep({ dryRun: true });
    expect(writes(h)).toEqual([]);
    if (door === "action") expect(reports.flatMap((report) => report.notes).join("\n")).toContain("the sweep changed nothing");
  });

  it("while paused a command is refused with a reply naming who paused; /help still works", async () => {
    const { task } = await paused();
    const before = cardOf(h, task);
    const priority = h.sandbox.as("trish").comment(task, "/priority high");
    await h.settle();
    expect(labelsOf(h.sandbox, task)).toContain("priority:medium");
    expect(cardOf(h, task)).toEqual(before);
    expect(reactionsOn(h.sandbox, priority.id)).toEqual(["eyes", "confused"]);
    const reply = replyTo(h, task, priority.id)!;
    expect(reply).toContain("paused in this repository by @mona since");
    expect(reply).toContain("`/resume`");
    const help = h.sandbox.as("rita").comment(task, "/help");
    await h.settle();
    expect(reactionsOn(h.sandbox, help.id)).toEqual(["eyes", "+1"]);
    // Every reply says Orkestra is paused, /help's too.
    expect(replyTo(h, task, help.id)).toContain("⏸️ Orkestra is paused in this repository by @mona since");
  });

  it("/resume restores: commands act again and the issue opened while paused becomes a task", async () => {
    const { task } = await paused();
    const quiet = h.sandbox.as("alice").openIssue({ title: "While paused", body: "" });
    await h.settle();
    h.clock.advance(3 * 60 * 60_000);
    await h.sweep();
    h.clock.advance(3 * 60 * 60_000);
    const resume = h.sandbox.as("mona").comment(task, "/resume");
    await h.settle();
    expect(reactionsOn(h.sandbox, resume.id)).toEqual(["eyes", "+1"]);
    expect(refs(h)).not.toContain(PAUSE_REF);
    h.sandbox.as("trish").comment(task, "/priority high");
    await h.settle();
    expect(labelsOf(h.sandbox, task)).toContain("priority:high");
    h.clock.advance(60 * 60_000);
    await h.sweep();
    expect(labelsOf(h.sandbox, quiet.number)).toContain("status:pending");
    expect(cardOf(h, quiet.number)).toMatchObject({ status: "pending" });
    // The sweep re-checked the pause's changes: the marker /resume left is gone.
    expect(refs(h).filter((ref) => ref.startsWith("refs/orkestra/resumed/"))).toEqual([]);
  });

  it("/pause here pauses only that task: another task still changes", async () => {
    h = await startHarness(door);
    const one = await openTask(h, "One");
    const two = await openTask(h, "Two");
    h.sandbox.as("mona").comment(one, "/pause here");
    await h.settle();
    expect(refs(h)).not.toContain(PAUSE_REF);
    expect(cardOf(h, one)?.paused).toMatchObject({ by: "mona" });
    const refused = h.sandbox.as("trish").comment(one, "/priority high");
    h.sandbox.as("trish").comment(two, "/priority high");
    await h.settle();
    expect(labelsOf(h.sandbox, one)).toContain("priority:medium");
    expect(replyTo(h, one, refused.id)).toContain("this task is paused by @mona");
    expect(labelsOf(h.sandbox, two)).toContain("priority:high");
    // A label set by hand is not followed either, until /resume here.
    h.sandbox.as("alice").addLabels(one, ["priority:low"]);
    await h.settle();
    expect(labelsOf(h.sandbox, one)).toContain("priority:low");
    expect(cardOf(h, one)?.priority).toBe("medium");
    h.sandbox.as("mona").comment(one, "/resume here");
    await h.settle();
    expect(cardOf(h, one)?.paused).toBeNull();
    h.sandbox.as("trish").comment(one, "/priority high");
    await h.settle();
    expect(labelsOf(h.sandbox, one)).toContain("priority:high");
  });

  it("the sweep does not assign a paused task; it assigns another", async () => {
    h = await startHarness(door, { files: { ".github/orkestra.yml": scriptedAgentsConfig({ alpha: {}, beta: {} }) } });
    const one = await openTask(h, "One");
    const two = await openTask(h, "Two");
    h.sandbox.as("mona").comment(one, "/pause here");
    await h.settle();
    h.clock.advance(60 * 60_000);
    await h.sweep();
    expect(labelsOf(h.sandbox, one).filter((label) => label.startsWith("agent:"))).toEqual([]);
    expect(cardOf(h, one)).toMatchObject({ status: "pending", agent: null });
    expect(labelsOf(h.sandbox, two).filter((label) => label.startsWith("agent:"))).toHaveLength(1);
    expect(refs(h)).not.toContain(`refs/orkestra/locks/${one}`);
  });

  it("while paused a CLI worker's result is not published: the job fails saying to re-run it after /resume", async () => {
    const { task } = await paused();
    const before = writes(h).length;
    const outcome = { ok: true as const, summary: "done", changes: [{ path: "a.ts", kind: "modify" as const, mode: "100644" as const, content: "export {};\n", size: 11 }], baseSha: "a".repeat(40), usage: { inputTokens: 1, outputTokens: 1, costUsd: 0 } };
    const report = await publishWorkerRun(sandboxServices(h.sandbox, h.clock), { issue: task, agent: "alpha", attempt: 1, round: 1 }, outcome);
    expect(report.errors).toEqual([expect.stringMatching(new RegExp(`paused in this repository by @mona .*the worker's result for #${task} was not published; re-run this job after \`/resume\``))]);
    expect(writes(h)).toHaveLength(before);
  });

  it("a write user's /pause is refused (needs maintain) and changes nothing", async () => {
    h = await startHarness(door);
    const task = await openTask(h);
    const pause = h.sandbox.as("alice").comment(task, "/pause");
    await h.settle();
    expect(refs(h)).not.toContain(PAUSE_REF);
    expect(reactionsOn(h.sandbox, pause.id)).toEqual(["eyes", "confused"]);
    expect(replyTo(h, task, pause.id)).toContain("needs `maintain` permission");
  });

  it("a redelivered /pause is harmless, and a second /pause says it is paused already", async () => {
    const { task } = await paused();
    const event = h.sandbox.deliveries.filter((delivery) => delivery.name === "issue_comment").at(-1)!;
    h.sandbox.clearRequests();
    await h.redeliver(event);
    expect(writes(h)).toEqual([]);
    const again = h.sandbox.as("mona").comment(task, "/pause");
    await h.settle();
    expect(replyTo(h, task, again.id)).toContain("Already paused");
    expect(refs(h).filter((ref) => ref === PAUSE_REF)).toHaveLength(1);
  });

  it("the pause check costs one request per event when not paused, and gives the ledger's head: appending is two writes", async () => {
    h = await startHarness(door);
    await openTask(h, "First");
    h.sandbox.clearRequests();
    await openTask(h, "Second");
    expect(orkestraRequests(h.sandbox).filter((line) => line.includes("/git/"))).toEqual([
      "GET /repos/{owner}/{repo}/git/matching-refs/{ref}",
      "POST /repos/{owner}/{repo}/git/commits",
      "PATCH /repos/{owner}/{repo}/git/refs/{ref}",
    ]);
  });
});

describe("the pause's commit message", () => {
  it("records who, when and why, and reads garbage as paused by unknown since the commit's date", () => {
    const pause = { by: "mona", at: "2026-11-21T09:00:00.000Z", why: "release freeze" };
    expect(parsePause(pauseMessage(pause), "2026-11-22T00:00:00Z")).toEqual(pause);
    expect(parsePause("someone made this by hand", "2026-11-22T00:00:00Z")).toEqual({ by: "unknown", at: "2026-11-22T00:00:00Z", why: null });
    expect(parsePause('x\n\n{"by": 3}', "2026-11-22T00:00:00Z")).toMatchObject({ by: "unknown" });
  });
});
