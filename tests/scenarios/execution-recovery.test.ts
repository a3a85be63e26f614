/**
 * The sweep follows agents' work in flight: a CLI worker run still going keeps its task (the lease
 * renewed, the run linked on the card), one that failed or was cancelled is a failed attempt, and
 * so is an agent's pull request closed without merging.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { parseCard } from "../../src/domain/task/card.js";
import { scriptedToolsProvider } from "../../tools/scripted/tools.js";
import { scriptedProvider } from "../../tools/scripted/index.js";
import { scriptedAgentsConfig } from "../support/config.js";
import { botComments, DOORS, labelsOf, startHarness, type Harness } from "../support/harness.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const WORKER = readFileSync(join(ROOT, "examples/workflows/orkestra-worker.yml"), "utf8");
const MINUTE = 60_000;

const ASSIGNMENT = ["assignment:", "  auto: false", "  leaseMinutes: 60", "  maxRetries: 2"];
const CLI = scriptedAgentsConfig({ alpha: {}, beta: {} }, ["execution:", "  enabled: true", "  mode: cli", ...ASSIGNMENT].join("\n"));
const API = scriptedAgentsConfig({ alpha: {}, beta: {} }, ["execution:", "  enabled: true", ...ASSIGNMENT].join("\n"));

function cardOf(h: Harness, number: number) {
  return botComments(h.sandbox, number).map(parseCard).find((meta) => meta !== null)!;
}

describe.each(DOORS)("the sweep recovers agents' work through the %s", (door) => {
  let h: Harness;
  afterEach(async () => h?.close());

  async function start(config: string) {
    h = await startHarness(
      door,
      {
        files: {
          ".github/orkestra.yml": config,
          ".github/workflows/orkestra-worker.yml": WORKER,
          "README.md": "# Demo\n",
          "src/greet.ts": "export const greet = () => 'hi';\n",
        },
        // Web links as github.com's: https (the card keeps only those).
        htmlBase: "https://github.test",
      },
      { agentOptions: { scripted: scriptedProvider(), scriptedTools: scriptedToolsProvider() } },
    );
  }

  /** A task assigned to `alpha` in CLI mode: in progress, its worker run dispatched and queued. */
  async function dispatched() {
    const task = h.sandbox.as("alice").openIssue({ title: "Greet people by name", body: "## Acceptance criteria\n\n- greets by name" });
    await h.settle();
    h.sandbox.as("alice").comment(task.number, "/assign alpha");
    await h.settle();
    const runs = h.sandbox.actions.runs();
    expect(runs).toHaveLength(1);
    const run = runs[0]!;
    expect(run.inputs).toMatchObject({ issue: String(task.number), agent: "alpha", attempt: "1" });
    expect(cardOf(h, task.number)).toMatchObject({ status: "in-progress", execution: { mode: "cli", run: null } });
    return { task, run };
  }

  async function sweepAfter(minutes: number) {
    h.clock.advance(minutes * MINUTE);
    await h.sweep();
  }

  it("a worker run still going renews the lease and is linked on the card; once cancelled it is a failed attempt", async () => {
    await start(CLI);
    const { task, run } = await dispatched();
    h.sandbox.actions.start(run.id);
    await h.settle();
    // Past the 60-minute lease: without the running worker the sweep would release the task.
    await sweepAfter(61);
    const card = cardOf(h, task.number);
    expect(card.status).toBe("in-progress");
    expect(labelsOf(h.sandbox, task.number)).toContain("status:in-progress");
    expect(card.execution?.run).toEqual({ id: run.id, url: run.html_url });
    expect(Date.parse(card.agent!.leaseUntil!)).toBe(h.clock.now().getTime() + 60 * MINUTE);
    expect(botComments(h.sandbox, task.number).join("\n")).toContain(`](<${run.html_url}>)`);

    // A second sweep renews again and finds the run by its id on the card.
    await sweepAfter(50);
    expect(cardOf(h, task.number)).toMatchObject({ status: "in-progress", agent: { name: "alpha" } });

    h.sandbox.actions.complete(run.id, "cancelled");
    await h.settle();
    await sweepAfter(20);
    const failed = cardOf(h, task.number);
    expect(failed.status).toBe("pending");
    expect(failed.agent).toBeNull();
    expect(failed.retry).toMatchObject({ count: 1, avoid: ["alpha"] });
    expect(failed.history.at(-1)!.why).toContain(`the worker run ${run.html_url} ended: cancelled`);
    expect(labelsOf(h.sandbox, task.number)).toContain("status:pending");
    // Nothing is dispatched again by the recovery itself.
    expect(h.sandbox.actions.runs()).toHaveLength(1);
  });

  it("a worker run that failed is a failed attempt at the next sweep", async () => {
    await start(CLI);
    const { task, run } = await dispatched();
    h.sandbox.actions.complete(run.id, "failure");
    await h.settle();
    // Not a pull request of the task: the worker's own check suite on the default branch changes nothing.
    expect(cardOf(h, task.number).status).toBe("in-progress");
    await sweepAfter(15);
    const card = cardOf(h, task.number);
    expect(card.status).toBe("pending");
    expect(card.retry.count).toBe(1);
    expect(card.execution?.run).toEqual({ id: run.id, url: run.html_url });
    expect(card.history.at(-1)!.why).toContain("ended: failure");
  });

  it("a worker run still queued within the lease leaves the task alone", async () => {
    await start(CLI);
    const { task, run } = await dispatched();
    await sweepAfter(15);
    const card = cardOf(h, task.number);
    expect(card).toMatchObject({ status: "in-progress", agent: { name: "alpha" }, retry: { count: 0 } });
    expect(card.execution?.run).toEqual({ id: run.id, url: run.html_url });
  });

  it("a worker run that never shows up is a failed attempt once the grace period is over", async () => {
    await start(CLI);
    const { task } = await dispatched();
    // The dispatched run is not the worker's any more (its workflow was renamed): as if GitHub never started it.
    h.sandbox.setFile(".github/workflows/orkestra-worker.yml", WORKER.replace(/^name: .*$/m, "name: Renamed worker"));
    await h.settle();
    await sweepAfter(5);
    expect(cardOf(h, task.number)).toMatchObject({ status: "in-progress", retry: { count: 0 } });
    await sweepAfter(15);
    const card = cardOf(h, task.number);
    expect(card.status).toBe("pending");
    expect(card.history.at(-1)!.why).toContain("the worker run for round 1 did not appear within 10 minutes");
  });

  it("an agent's pull request closed without merging is a failed attempt; an open one is left in review", async () => {
    await start(API);
    const task = h.sandbox.as("alice").openIssue({ title: "Greet people by name", body: "## Acceptance criteria\n\n- greets by name" });
    await h.settle();
    h.sandbox.as("alice").comment(task.number, "/assign alpha");
    await h.settle();
    const pr = h.sandbox.state.pulls()[0]!;
    expect(cardOf(h, task.number).status).toBe("review");

    await sweepAfter(15);
    expect(cardOf(h, task.number)).toMatchObject({ status: "review", retry: { count: 0 } });

    h.sandbox.as("alice").closePullRequest(pr.number);
    await h.settle();
    await sweepAfter(15);
    const card = cardOf(h, task.number);
    expect(card.status).toBe("pending");
    expect(card.retry).toMatchObject({ count: 1, avoid: ["alpha"] });
    expect(card.history.at(-1)!.why).toContain(`the pull request #${pr.number} was closed unmerged`);
    expect(h.sandbox.state.issue(task.number)!.state).toBe("open");
  });
});
