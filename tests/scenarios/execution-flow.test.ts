/**
 * Agents at work around the happy path: a result-comment task, the sweep assigning and starting
 * work, a dependent task starting once its dependency's pull request is merged, a dry run, and a
 * redelivered `/assign` that must not start a second attempt.
 */
import { afterEach, describe, expect, it } from "vitest";
import { parseCard } from "../../src/domain/task/card.js";
import { scriptedProvider } from "../../tools/scripted/index.js";
import { scriptedToolsProvider } from "../../tools/scripted/tools.js";
import { scriptedAgentsConfig } from "../support/config.js";
import { dryActionRun, emitted } from "../review-handler/action-run.js";
import { botComments, DOORS, labelsOf, orkestraRequests, startHarness, type Harness } from "../support/harness.js";

const FILES = { "README.md": "# Demo\n\nA small demo repository.\n", "src/greet.ts": "export const greet = () => 'hi';\n" };
const CONFIG = scriptedAgentsConfig({ alpha: {}, beta: {} }, ["execution:", "  enabled: true"].join("\n"));

function cardOf(h: Harness, number: number) {
  return botComments(h.sandbox, number).map(parseCard).find((meta) => meta !== null)!;
}

describe.each(DOORS)("agents' work around the happy path through the %s", (door) => {
  let h: Harness;
  afterEach(async () => h?.close());

  async function start(autoDeliver = true) {
    h = await startHarness(
      door,
      { files: { ".github/orkestra.yml": CONFIG, ...FILES } },
      { agentOptions: { scripted: scriptedProvider(), scriptedTools: scriptedToolsProvider() }, autoDeliver },
    );
  }

  it("a research task ends in one result comment: done, the issue closed as completed, no branch or pull request", async () => {
    await start();
    const task = h.sandbox.as("alice").openIssue({ title: "Compare greeting libraries", body: "Which library greets best?", labels: ["type:research"] });
    await h.settle();
    h.sandbox.as("alice").comment(task.number, "/assign alpha");
    await h.settle();

    const results = botComments(h.sandbox, task.number).filter((body) => body.includes("alpha's answer to"));
    expect(results).toHaveLength(1);
    expect(results[0]).toContain("### 🎼 Result from `alpha`");
    expect(results[0]).toContain("[scripted] alpha's answer to \"Compare greeting libraries\"");
    const card = cardOf(h, task.number);
    expect(card.status).toBe("done");
    expect(card.agent).toBeNull();
    expect(card.execution).toMatchObject({ agent: "alpha", output: "comment", branch: null, pr: null, commits: 0 });
    const comment = h.sandbox.state.comments(task.number).find((posted) => posted.body?.includes("alpha's answer to"));
    expect(card.execution!.comment).toBe(comment!.id);
    const issue = h.sandbox.state.issue(task.number)!;
    expect(issue.state).toBe("closed");
    expect(issue.state_reason).toBe("completed");
    expect(labelsOf(h.sandbox, task.number)).toContain("status:done");
    expect(h.sandbox.state.pulls()).toEqual([]);
    expect(h.sandbox.state.refs().filter((ref) => ref.ref.startsWith("refs/heads/orkestra/"))).toEqual([]);
    expect(h.sandbox.state.refs().some((ref) => ref.ref === `refs/orkestra/locks/${task.number}`)).toBe(false);
    expect(orkestraRequests(h.sandbox).filter((line) => /git\/(blobs|trees)$/.test(line))).toEqual([]);
  });

  it("the sweep assigns a ready task and starts the work", async () => {
    await start();
    const task = h.sandbox.as("alice").openIssue({ title: "Greet people by name", body: "Greet by name." });
    await h.settle();
    expect(cardOf(h, task.number).status).toBe("pending");
    await h.sweep();
    const card = cardOf(h, task.number);
    expect(card.status).toBe("review");
    expect(card.execution).toMatchObject({ attempt: 1, commits: 1, round: 1 });
    expect(card.history.some((decision) => decision.why === "the sweep assigned the best agent" && decision.what === "status `assigned` → `in-progress`")).toBe(true);
    const pulls = h.sandbox.state.pulls();
    expect(pulls).toHaveLength(1);
    expect(pulls[0]!.body).toContain(`Closes #${task.number}`);
  });

  it("merging task A's pull request unblocks B; the next sweep assigns and starts B", async () => {
    await start();
    const a = h.sandbox.as("alice").openIssue({ title: "Greet people by name", body: "Greet by name." });
    await h.settle();
    const b = h.sandbox.as("alice").openIssue({ title: "Say goodbye too", body: `Depends on #${a.number}` });
    await h.settle();
    expect(cardOf(h, b.number).status).toBe("blocked");
    h.sandbox.as("alice").comment(a.number, "/assign alpha");
    await h.settle();
    const [pr] = h.sandbox.state.pulls();
    h.sandbox.as("alice").closePullRequest(pr!.number, { merge: true });
    await h.settle();
    expect(cardOf(h, a.number).status).toBe("done");
    expect(cardOf(h, b.number).status).toBe("pending");

    await h.sweep();
    const card = cardOf(h, b.number);
    expect(card.status).toBe("review");
    expect(card.execution).toMatchObject({ attempt: 1, commits: 1 });
    const pulls = h.sandbox.state.pulls();
    expect(pulls).toHaveLength(2);
    expect(pulls[1]!.body).toContain(`Closes #${b.number}`);
  });

  it("a dry sweep says it would assign a ready task and start the work, and writes nothing", async () => {
    await start();
    const task = h.sandbox.as("alice").openIssue({ title: "Greet people by name", body: "Greet by name." });
    await h.settle();
    const before = botComments(h.sandbox, task.number);
    h.sandbox.clearRequests();
    const reports = await h.sweep({ dryRun: true });
    const actions = reports.flatMap((report) => report.actions);
    expect(actions).toContain(`#${task.number}: assign \`alpha\` — alpha 50: base 50 (dry run: not claimed)`);
    expect(actions).toContain(`#${task.number}: then start the agent's work — the sweep assigned the best agent (dry run: no agent is asked)`);
    expect(orkestraRequests(h.sandbox).filter((line) => !line.startsWith("GET"))).toEqual([]);
    expect(botComments(h.sandbox, task.number)).toEqual(before);
    expect(labelsOf(h.sandbox, task.number)).toContain("status:pending");
    expect(h.sandbox.state.pulls()).toEqual([]);
  });

  it.runIf(door === "action")("a dry run of `/start` on a held task says it would start the work, and writes nothing", async () => {
    // Events reach Orkestra only when the test hands them over: the `/start` goes to a dry run only.
    await start(false);
    // rita may only read: the sweep assigns her task and a pre-task check holds the work back.
    const task = h.sandbox.as("rita").openIssue({ title: "Greet people by name", body: "Greet by name." });
    await h.redeliver(emitted(h, "issues", (payload) => payload.action === "opened"));
    await h.sweep();
    const held = cardOf(h, task.number);
    expect(held.status).toBe("assigned");
    const comment = h.sandbox.as("alice").comment(task.number, "/start");
    await h.settle();
    const before = botComments(h.sandbox, task.number);
    h.sandbox.clearRequests();
    const report = await dryActionRun(h, emitted(h, "issue_comment", (payload) => (payload.comment as { id: number }).id === comment.id));
    expect(report.actions).toContain(`#${task.number}: start \`${held.agent!.name}\`'s work in API mode (pull-request) — \`/start\` by @alice (dry run: no agent is asked)`);
    expect(report.errors).toEqual([]);
    expect(orkestraRequests(h.sandbox).filter((line) => !line.startsWith("GET"))).toEqual([]);
    expect(botComments(h.sandbox, task.number)).toEqual(before);
    expect(cardOf(h, task.number)).toEqual(held);
    expect(h.sandbox.state.pulls()).toEqual([]);
  });

  it("a redelivered `/assign` does not start a second attempt", async () => {
    await start();
    const task = h.sandbox.as("alice").openIssue({ title: "Greet people by name", body: "Greet by name." });
    await h.settle();
    h.sandbox.as("alice").comment(task.number, "/assign alpha");
    await h.settle();
    const before = cardOf(h, task.number);
    expect(before.execution).toMatchObject({ attempt: 1, commits: 1 });
    const event = h.sandbox.deliveries.find((delivery) => delivery.name === "issue_comment" && (delivery.payload.comment as { body: string }).body === "/assign alpha")!;
    expect((event.payload.comment as { body: string }).body).toBe("/assign alpha");
    h.sandbox.clearRequests();
    await h.redeliver(event);
    const after = cardOf(h, task.number);
    expect(after.execution).toEqual(before.execution);
    expect(after.status).toBe("review");
    expect(h.sandbox.state.pulls()).toHaveLength(1);
    expect(orkestraRequests(h.sandbox).filter((line) => /^POST .*(git\/(blobs|trees|commits|refs)|pulls)$/.test(line))).toEqual([]);
  });
});
