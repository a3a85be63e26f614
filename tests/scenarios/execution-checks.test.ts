/**
 * Pre-task checks end to end (the ones an event can reach; the rest are covered by the pure
 * `preTaskChecks` in tests/domain/execution/pre-task.test.ts), each failure a "work not started"
 * line on the card with nothing written for the work; and `/stop`.
 */
import { afterEach, describe, expect, it } from "vitest";
import { parseCard } from "../../src/domain/task/card.js";
import { scriptedProvider } from "../../tools/scripted/index.js";
import { scriptedToolsProvider } from "../../tools/scripted/tools.js";
import { scriptedAgentsConfig } from "../support/config.js";
import { botComments, DOORS, labelsOf, orkestraRequests, reactionsOn, startHarness, type Harness } from "../support/harness.js";

const FILES = { "README.md": "# Demo\n", "src/greet.ts": "export const greet = () => 'hi';\n" };
const config = (extra: string[] = []) => scriptedAgentsConfig({ alpha: {}, beta: {} }, ["execution:", "  enabled: true", ...extra].join("\n"));

function cardOf(h: Harness, number: number) {
  return botComments(h.sandbox, number).map(parseCard).find((meta) => meta !== null)!;
}

const WORK_WRITES = /^POST \/repos\/\{owner\}\/\{repo\}\/(git\/blobs|git\/trees|pulls)$/;

/** No blob, tree, agent branch or pull request by Orkestra. */
function expectNoWork(h: Harness) {
  expect(orkestraRequests(h.sandbox).filter((line) => WORK_WRITES.test(line))).toEqual([]);
  expect(h.sandbox.state.refs().filter((ref) => ref.ref.startsWith("refs/heads/orkestra/"))).toEqual([]);
}

/** The card's "work not started" line. */
function notStarted(h: Harness, number: number): string | undefined {
  return cardOf(h, number).history.find((decision) => decision.what === "work not started")?.why;
}

describe.each(DOORS)("pre-task checks and /stop through the %s", (door) => {
  let h: Harness;
  afterEach(async () => h?.close());

  async function start(extra: string[] = []) {
    h = await startHarness(
      door,
      { files: { ".github/orkestra.yml": config(extra), ...FILES } },
      { agentOptions: { scripted: scriptedProvider(), scriptedTools: scriptedToolsProvider() } },
    );
  }

  async function openTask(input: { title?: string; body?: string; labels?: string[] } = {}, by = "alice") {
    const task = h.sandbox.as(by).openIssue({ title: input.title ?? "Greet people by name", body: input.body ?? "Greet by name.", ...(input.labels ? { labels: input.labels } : {}) });
    await h.settle();
    return task.number;
  }

  it("a type agents do not work on: assigned, not started, the line on the card", async () => {
    await start();
    const number = await openTask({ labels: ["type:code-review"] });
    h.sandbox.as("alice").comment(number, "/assign alpha");
    await h.settle();
    const card = cardOf(h, number);
    expect(card.type).toBe("code-review");
    expect(card.status).toBe("assigned");
    expect(card.execution).toBeNull();
    expect(notStarted(h, number)).toBe("agents do not work on `code-review` tasks (execution.types: `technical`; execution.resultTypes: `research`, `content`)");
    expect(labelsOf(h.sandbox, number)).toContain("status:assigned");
    expectNoWork(h);

    // `/start` cannot override that check: a clear refusal, not a 👍 for work that never started.
    const command = h.sandbox.as("alice").comment(number, "/start");
    await h.settle();
    expect(botComments(h.sandbox, number).at(-1)).toContain("the work did not start: agents do not work on `code-review` tasks");
    expect(reactionsOn(h.sandbox, command.id)).toEqual(["eyes", "confused"]);
    expect(cardOf(h, number).status).toBe("assigned");
    expectNoWork(h);
  });

  it("an issue by a read-only user, assigned by the sweep, is refused; `/start` by a writer starts it", async () => {
    await start();
    const number = await openTask({}, "rita");
    await h.sweep();
    let card = cardOf(h, number);
    expect(card.status).toBe("assigned");
    expect(card.agent?.name).toBeDefined();
    expect(notStarted(h, number)).toBe("@rita does not have write permission on the repository (execution.trustedAuthorsOnly): a maintainer can start it with `/start`");
    expectNoWork(h);

    h.sandbox.as("rita").comment(number, "/start");
    await h.settle();
    expect(botComments(h.sandbox, number).at(-1)).toContain("@rita needs `write` permission");
    expect(cardOf(h, number).status).toBe("assigned");
    expectNoWork(h);

    h.sandbox.as("alice").comment(number, "/start");
    await h.settle();
    card = cardOf(h, number);
    expect(card.status).toBe("review");
    expect(card.execution).toMatchObject({ attempt: 1, commits: 1, round: 1 });
    expect(h.sandbox.state.pulls()).toHaveLength(1);
    expect(card.history.some((decision) => decision.why === "`/start` by @alice")).toBe(true);
  });

  it("an issue by a read-only user assigned by a writer starts (the writer stands behind it)", async () => {
    await start();
    const number = await openTask({}, "rita");
    h.sandbox.as("alice").comment(number, "/assign alpha");
    await h.settle();
    expect(cardOf(h, number).status).toBe("review");
    expect(notStarted(h, number)).toBeUndefined();
  });

  it("another open pull request already linked to the task: refused with its number", async () => {
    await start();
    const number = await openTask();
    const other = h.sandbox.as("alice").openPullRequest({ title: "My own take", body: `Closes #${number}`, head: "feature/greet", files: [{ path: "src/greet.ts", after: "export const greet = (n: string) => `hi ${n}`;\n" }] });
    await h.settle();
    h.sandbox.as("alice").comment(number, "/assign alpha");
    await h.settle();
    expect(cardOf(h, number).status).toBe("assigned");
    expect(notStarted(h, number)).toBe(`#${other.number} already works on this task: close it or unlink the issue first`);
    expect(h.sandbox.state.pulls()).toHaveLength(1);
    expectNoWork(h);
  });

  it("`/stop` while the pull request is in review: `pending`, lock released, the pull request left open", async () => {
    await start();
    const number = await openTask();
    h.sandbox.as("alice").comment(number, "/assign alpha");
    await h.settle();
    const [pr] = h.sandbox.state.pulls();
    expect(cardOf(h, number).status).toBe("review");
    h.sandbox.as("alice").comment(number, "/stop");
    await h.settle();
    const card = cardOf(h, number);
    expect(card.status).toBe("pending");
    expect(card.agent).toBeNull();
    expect(labelsOf(h.sandbox, number)).toContain("status:pending");
    expect(labelsOf(h.sandbox, number).some((label) => label.startsWith("agent:"))).toBe(false);
    expect(h.sandbox.state.refs().some((ref) => ref.ref === `refs/orkestra/locks/${number}`)).toBe(false);
    expect(h.sandbox.state.pull(pr!.number)!.state).toBe("open");
    expect(botComments(h.sandbox, number).at(-1)).toContain(`Stopped \`alpha\`'s work; the task is \`pending\` again. Its pull request #${pr!.number} stays open for people to use or close.`);
  });

  it("after `/stop`, another agent's attempt carries on the same branch and pull request, reviewed by the first agent", async () => {
    await start();
    const number = await openTask();
    h.sandbox.as("alice").comment(number, "/assign alpha");
    await h.settle();
    const [pr] = h.sandbox.state.pulls();
    h.sandbox.as("alice").comment(number, "/stop");
    await h.settle();
    h.sandbox.as("alice").comment(number, "/assign beta");
    await h.settle();
    const card = cardOf(h, number);
    expect(card.status).toBe("review");
    expect(card.execution).toMatchObject({ agent: "beta", attempt: 2, pr: pr!.number, branch: pr!.head.ref });
    expect(h.sandbox.state.pulls()).toHaveLength(1);
    const reviews = h.sandbox.state.reviews(pr!.number);
    expect(reviews).toHaveLength(2);
    expect(reviews[1]!.body).toContain("alpha");
    expect(reviews[1]!.body).not.toMatch(/`beta`/);
  });

  it("`/stop` on a task nobody works on is refused with a clear reply", async () => {
    await start();
    const number = await openTask();
    const before = cardOf(h, number);
    h.sandbox.as("alice").comment(number, "/stop");
    await h.settle();
    expect(botComments(h.sandbox, number).at(-1)).toContain("no agent is working on this task (it is `pending`)");
    expect(cardOf(h, number)).toEqual(before);
  });
});
