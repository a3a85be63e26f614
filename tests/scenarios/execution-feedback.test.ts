/**
 * What reaches an agent's pull request in review and is fed back to the agent: a person's change
 * request, red checks. Each at most once per head commit; reviews without write permission, other
 * branches and green suites start no round.
 */
import { afterEach, describe, expect, it } from "vitest";
import { parseCard } from "../../src/domain/task/card.js";
import { scriptedToolsProvider } from "../../tools/scripted/tools.js";
import { scriptedProvider } from "../../tools/scripted/index.js";
import type { SandboxEvent } from "../../tools/sandbox/index.js";
import { scriptedAgentsConfig } from "../support/config.js";
import { botComments, DOORS, startHarness, type Harness } from "../support/harness.js";

const CONFIG = scriptedAgentsConfig({ alpha: {}, beta: {} }, ["execution:", "  enabled: true", "  maxRounds: 3"].join("\n"));

function cardOf(h: Harness, number: number) {
  return botComments(h.sandbox, number).map(parseCard).find((meta) => meta !== null)!;
}

describe.each(DOORS)("feedback on agents' pull requests through the %s", (door) => {
  let h: Harness;
  /** Every request the agents' tool loops sent, as text: what the agent was told. */
  let seen: string[];
  afterEach(async () => h?.close());

  async function start() {
    seen = [];
    const tools = scriptedToolsProvider();
    const recording: typeof tools = (options) => {
      const inner = tools(options);
      return {
        send: async (request) => {
          seen.push(JSON.stringify(request));
          return inner.send(request);
        },
      };
    };
    h = await startHarness(
      door,
      { files: { ".github/orkestra.yml": CONFIG, "README.md": "# Demo\n", "src/greet.ts": "export const greet = () => 'hi';\n" } },
      { agentOptions: { scripted: scriptedProvider(), scriptedTools: recording } },
    );
  }

  /** A task `alpha` delivered: its pull request reviewed by `beta`, the task in review. */
  async function inReview() {
    const task = h.sandbox.as("alice").openIssue({ title: "Greet people by name", body: "## Acceptance criteria\n\n- greets by name" });
    await h.settle();
    h.sandbox.as("alice").comment(task.number, "/assign alpha");
    await h.settle();
    const pr = h.sandbox.state.pulls()[0]!;
    expect(cardOf(h, task.number)).toMatchObject({ status: "review", execution: { round: 1, commits: 1, pr: pr.number } });
    seen.length = 0;
    return { task, pr };
  }

  const head = (number: number) => h.sandbox.state.pull(number)!.head.sha;
  const lastEvent = (name: string, match: (event: SandboxEvent) => boolean) => [...h.sandbox.deliveries].reverse().find((event) => event.name === name && match(event))!;

  it("a change request by a person with write permission gives the agent another round with the review's words, once", async () => {
    await start();
    const { task, pr } = await inReview();
    const before = head(pr.number);
    h.sandbox.as("alice").review(pr.number, { event: "REQUEST_CHANGES", body: "Please also greet in French." });
    await h.settle();
    const card = cardOf(h, task.number);
    expect(card.status).toBe("review");
    expect(card.execution).toMatchObject({ agent: "alpha", round: 2, commits: 2, pr: pr.number });
    expect(head(pr.number)).not.toBe(before);
    expect(seen.some((text) => text.includes("Please also greet in French."))).toBe(true);
    expect(card.history.some((entry) => entry.why.includes("@alice requested changes"))).toBe(true);

    // GitHub redelivers the review: it is about a commit the agent has moved on from.
    const after = head(pr.number);
    seen.length = 0;
    await h.redeliver(lastEvent("pull_request_review", (event) => (event.payload.review as { user: { login: string } }).user.login === "alice"));
    expect(cardOf(h, task.number).execution).toMatchObject({ round: 2, commits: 2 });
    expect(head(pr.number)).toBe(after);
    expect(seen).toEqual([]);
  });

  it("a change request without write permission is only noted", async () => {
    await start();
    const { task, pr } = await inReview();
    const before = head(pr.number);
    h.sandbox.as("rita").review(pr.number, { event: "REQUEST_CHANGES", body: "Rewrite it all in Rust." });
    await h.settle();
    expect(cardOf(h, task.number).execution).toMatchObject({ round: 1, commits: 1 });
    expect(head(pr.number)).toBe(before);
    expect(seen).toEqual([]);
    if (door === "action") expect(h.reports.at(-1)!.notes.join("\n")).toContain("@rita requested changes without write permission");
  });

  it("a change request by a bot with write permission starts no round", async () => {
    await start();
    const { task, pr } = await inReview();
    const before = head(pr.number);
    h.sandbox.addBot("lint-bot[bot]");
    h.sandbox.addCollaborator("lint-bot[bot]", "write");
    h.sandbox.as("lint-bot[bot]").review(pr.number, { event: "REQUEST_CHANGES", body: "Style nits." });
    await h.settle();
    expect(cardOf(h, task.number).execution).toMatchObject({ round: 1, commits: 1 });
    expect(head(pr.number)).toBe(before);
    expect(seen).toEqual([]);
  });

  it("red checks on the head are findings for the next round; a redelivered suite starts no other", async () => {
    await start();
    const { task, pr } = await inReview();
    const before = head(pr.number);
    h.sandbox.addCheckSuite({ ref: before, conclusion: "failure", app: "ci" });
    await h.settle();
    const card = cardOf(h, task.number);
    expect(card.status).toBe("review");
    // The new head's checks are unknown again (a job token's pushes start no workflow: not run).
    expect(card.execution).toMatchObject({ round: 2, commits: 2, checks: door === "app" ? "pending" : "not-run" });
    expect(head(pr.number)).not.toBe(before);
    expect(seen.some((text) => text.includes("sandbox-ci") && text.includes("failure"))).toBe(true);
    expect(card.history.some((entry) => entry.why.includes("checks failed on #"))).toBe(true);

    seen.length = 0;
    const after = head(pr.number);
    await h.redeliver(lastEvent("check_suite", (event) => (event.payload.check_suite as { head_sha: string }).head_sha === before));
    await h.sweep();
    expect(cardOf(h, task.number).execution).toMatchObject({ round: 2, commits: 2 });
    expect(head(pr.number)).toBe(after);
    expect(seen).toEqual([]);
  });

  it("green suites mark the checks passing and start nothing; red suites elsewhere are not the agent's", async () => {
    await start();
    const { task, pr } = await inReview();
    const before = head(pr.number);
    // A person's branch that is not Orkestra's, with red CI.
    h.sandbox.setFile("docs/notes.md", "notes\n", { ref: "feature/notes" });
    h.sandbox.addCheckSuite({ ref: "feature/notes", conclusion: "failure", app: "ci" });
    await h.settle();
    expect(cardOf(h, task.number).execution).toMatchObject({ round: 1, checks: door === "app" ? "pending" : "not-run" });

    h.sandbox.addCheckSuite({ ref: before, conclusion: "success", app: "ci" });
    await h.settle();
    const card = cardOf(h, task.number);
    expect(card.status).toBe("review");
    expect(card.execution).toMatchObject({ round: 1, commits: 1, checks: "passing" });
    expect(head(pr.number)).toBe(before);
    expect(seen).toEqual([]);
  });
});
