import { afterEach, describe, expect, it } from "vitest";
import { parseCard } from "../../src/domain/task/card.js";
import { scriptedToolsProvider } from "../../tools/scripted/tools.js";
import { scriptedProvider } from "../../tools/scripted/index.js";
import { scriptedAgentsConfig } from "../support/config.js";
import { botComments, DOORS, labelsOf, startHarness, type Harness } from "../support/harness.js";

const EXECUTION = ["execution:", "  enabled: true"].join("\n");
const CONFIG = scriptedAgentsConfig({ alpha: {}, beta: {} }, EXECUTION);

function cardOf(h: Harness, number: number) {
  return botComments(h.sandbox, number).map(parseCard).find((meta) => meta !== null)!;
}

describe.each(DOORS)("agents at work through the %s", (door) => {
  let h: Harness;
  afterEach(async () => h?.close());

  async function start(config = CONFIG, sandbox: { actionsCanCreatePullRequests?: boolean } = {}) {
    h = await startHarness(
      door,
      { ...sandbox, files: { ".github/orkestra.yml": config, "README.md": "# Demo\n", "src/greet.ts": "export const greet = () => 'hi';\n" } },
      { agentOptions: { scripted: scriptedProvider(), scriptedTools: scriptedToolsProvider() } },
    );
  }

  it("an assigned task becomes a pull request reviewed by the other agent; merging it finishes the task", async () => {
    await start();
    const task = h.sandbox.as("alice").openIssue({ title: "Greet people by name", body: "## Acceptance criteria\n\n- greets by name" });
    await h.settle();
    h.sandbox.as("alice").comment(task.number, "/assign alpha");
    await h.settle();
    const pulls = h.sandbox.state.pulls();
    expect(pulls).toHaveLength(1);
    const pr = pulls[0]!;
    expect(pr.head.ref).toMatch(new RegExp(`^orkestra/${task.number}-greet-people-by-name$`));
    expect(pr.draft).toBe(false);
    expect(pr.body).toContain(`Closes #${task.number}`);
    const reviews = h.sandbox.state.reviews(pr.number);
    expect(reviews.length).toBe(1);
    // The review's marker names who reviewed: the author agent never does.
    expect(reviews[0]!.body).toContain('"agents":["beta"]');
    const card = cardOf(h, task.number);
    expect(card.status).toBe("review");
    expect(card.execution).toMatchObject({ agent: "alpha", attempt: 1, pr: pr.number, commits: 1, round: 1 });
    expect(labelsOf(h.sandbox, task.number)).toContain("status:review");

    // The app writes as itself, so CI runs; the job token's pull request starts no workflow.
    expect(card.execution?.checks).toBe(door === "app" ? "pending" : "not-run");
    expect(pr.body!.includes("CI has not run")).toBe(door === "action");

    h.sandbox.as("alice").closePullRequest(pr.number, { merge: true });
    await h.settle();
    expect(h.sandbox.state.issue(task.number)!.state).toBe("closed");
    expect(cardOf(h, task.number).status).toBe("done");
  });
});

describe.each(DOORS)("a new attempt through the %s", (door) => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("does not replace a branch whose latest commit is a person's", async () => {
    h = await startHarness(
      door,
      { files: { ".github/orkestra.yml": CONFIG, "src/greet.ts": "export const greet = () => 'hi';\n" } },
      { agentOptions: { scripted: scriptedProvider(), scriptedTools: scriptedToolsProvider() } },
    );
    const task = h.sandbox.as("alice").openIssue({ title: "Greet people by name" });
    await h.settle();
    h.sandbox.as("alice").comment(task.number, "/assign alpha");
    await h.settle();
    const pr = h.sandbox.state.pulls()[0]!;
    h.sandbox.as("alice").pushCommits(pr.number, [{ path: "src/greet.ts", after: "export const greet = (name: string) => `hi ${name}`;\n" }]);
    await h.settle();
    const pushed = h.sandbox.state.pull(pr.number)!.head.sha;
    h.sandbox.as("alice").comment(task.number, "/stop");
    await h.settle();
    h.sandbox.as("alice").comment(task.number, "/assign beta");
    await h.settle();
    const card = cardOf(h, task.number);
    expect(card.status).toBe("assigned");
    expect(card.history.at(-1)).toMatchObject({ what: "work not started" });
    expect(card.history.at(-1)?.why).toContain(`the latest commit on \`${pr.head.ref}\` is not Orkestra's`);
    expect(h.sandbox.state.pull(pr.number)!.head.sha).toBe(pushed);
  });
});

describe.each(DOORS)("a GitHub failure in the middle of the work, through the %s", (door) => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("the reply says what stays written instead of claiming nothing changed", async () => {
    h = await startHarness(
      door,
      { files: { ".github/orkestra.yml": CONFIG, "src/greet.ts": "export const greet = () => 'hi';\n" } },
      { agentOptions: { scripted: scriptedProvider(), scriptedTools: scriptedToolsProvider() } },
    );
    const task = h.sandbox.as("alice").openIssue({ title: "Greet people by name" });
    await h.settle();
    h.sandbox.faults.inject({ method: "POST", route: "/repos/{owner}/{repo}/git/blobs", status: 422, message: "Validation Failed", times: 5 });
    h.sandbox.as("alice").comment(task.number, "/assign alpha");
    await h.settle();
    const reply = botComments(h.sandbox, task.number).find((body) => body.includes("orkestra:reply-"))!;
    expect(reply).toMatch(/GitHub answered with an error \(422\) after part of it was done \(\d+ writes, which stay\); the task card says where it stands/);
    expect(reply).not.toContain("nothing was changed");
    expect(cardOf(h, task.number)).toMatchObject({ status: "in-progress", agent: { name: "alpha" } });
    expect(h.sandbox.state.pulls()).toEqual([]);
  });
});

describe("agents at work through the action, where GitHub keeps the job token from opening pull requests", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("fails the attempt with what to change, and opens nothing", async () => {
    h = await startHarness(
      "action",
      { actionsCanCreatePullRequests: false, files: { ".github/orkestra.yml": CONFIG, "src/greet.ts": "export const greet = () => 'hi';\n" } },
      { agentOptions: { scripted: scriptedProvider(), scriptedTools: scriptedToolsProvider() } },
    );
    const task = h.sandbox.as("alice").openIssue({ title: "Greet people by name" });
    await h.settle();
    h.sandbox.as("alice").comment(task.number, "/assign alpha");
    await h.settle();
    expect(h.sandbox.state.pulls()).toEqual([]);
    const card = cardOf(h, task.number);
    expect(card.status).toBe("pending");
    expect(card.retry.count).toBe(1);
    expect(card.history.at(-1)?.why).toContain("GitHub Actions is not permitted to create or approve pull requests.");
    expect(card.history.at(-1)?.why).toContain("Allow GitHub Actions to create and approve pull requests");
  });
});
