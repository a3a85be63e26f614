/**
 * Autonomy levels (issue 14, docs/autonomy.md): `/autonomy` on one task, `manual` tasks only
 * recommended by the sweep and reviewed as suggestions, `full` turning on GitHub's auto-merge
 * once the review policy passes on an agent's pull request, `supervised` as before.
 */
import { afterEach, describe, expect, it } from "vitest";
import { parseCard } from "../../src/domain/task/card.js";
import { scriptedProvider } from "../../tools/scripted/index.js";
import { scriptedToolsProvider } from "../../tools/scripted/tools.js";
import { approve, botReviews, changedApp, checkRunsOf, openPr, reviewConfig, scriptReviews } from "../review-handler/support.js";
import { scriptedAgentsConfig } from "../support/config.js";
import { botComments, DOORS, labelsOf, orkestraRequests, startHarness, type Harness } from "../support/harness.js";

const FILES = { "README.md": "# Demo\n", "src/greet.ts": "export const greet = () => 'hi';\n" };
const EXECUTION = ["execution:", "  enabled: true"].join("\n");
const config = (extra = "") => scriptedAgentsConfig({ alpha: {}, beta: {} }, `${EXECUTION}\n${extra}`);
const cleanups: Array<() => void> = [];

function cardOf(h: Harness, number: number) {
  return botComments(h.sandbox, number).map(parseCard).find((meta) => meta !== null)!;
}

const suggestions = (h: Harness, number: number) => botComments(h.sandbox, number).filter((body) => body.includes("orkestra:assignment-suggestion"));
const writes = (h: Harness) => orkestraRequests(h.sandbox).filter((line) => !line.startsWith("GET "));

describe.each(DOORS)("autonomy levels through the %s", (door) => {
  let h: Harness;
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    await h?.close();
  });

  async function start(yaml = config(), options: { allowAutoMerge?: boolean } = {}) {
    h = await startHarness(
      door,
      { files: { ".github/orkestra.yml": yaml, ...FILES }, ...options },
      { agentOptions: { scripted: scriptedProvider(), scriptedTools: scriptedToolsProvider() } },
    );
  }

  async function openTask(title = "Greet people by name"): Promise<number> {
    const issue = h.sandbox.as("alice").openIssue({ title, body: "Greet by name." });
    await h.settle();
    return issue.number;
  }

  it("/autonomy manual by a maintainer sets it on the card; /autonomy default follows the repository again", async () => {
    await start();
    const task = await openTask();
    h.sandbox.as("mona").comment(task, "/autonomy manual");
    await h.settle();
    expect(cardOf(h, task).autonomy).toBe("manual");
    expect(botComments(h.sandbox, task).some((body) => body.includes("Autonomy for this task is now `manual`"))).toBe(true);
    h.sandbox.as("mona").comment(task, "/autonomy default");
    await h.settle();
    expect(cardOf(h, task).autonomy).toBeNull();
  });

  it("/autonomy needs maintain, and an unknown level is refused with the list", async () => {
    await start();
    const task = await openTask();
    h.sandbox.as("alice").comment(task, "/autonomy manual");
    await h.settle();
    expect(cardOf(h, task).autonomy).toBeNull();
    h.sandbox.as("mona").comment(task, "/autonomy reckless");
    await h.settle();
    expect(cardOf(h, task).autonomy).toBeNull();
    expect(botComments(h.sandbox, task).some((body) => body.includes("`full`, `supervised`, `manual`, `default`"))).toBe(true);
  });

  it("the sweep does not claim a manual task: one suggestion, no new write on the next sweep; /assign still starts it", async () => {
    await start();
    const task = await openTask();
    h.sandbox.as("mona").comment(task, "/autonomy manual");
    await h.settle();
    await h.sweep();
    expect(cardOf(h, task).status).toBe("pending");
    expect(cardOf(h, task).agent).toBeNull();
    expect(h.sandbox.state.pulls()).toEqual([]);
    const [suggestion, ...more] = suggestions(h, task);
    expect(more).toEqual([]);
    expect(suggestion).toMatch(/Suggested agent: `(alpha|beta)`/);
    expect(suggestion).toContain("/assign ");

    h.clock.advance(61 * 60_000);
    const before = writes(h).length;
    await h.sweep();
    const sweepWrites = writes(h).slice(before).filter((line) => /comments/.test(line));
    expect(sweepWrites).toEqual([]);
    expect(suggestions(h, task)).toHaveLength(1);

    h.sandbox.as("alice").comment(task, "/assign alpha");
    await h.settle();
    expect(cardOf(h, task).status).toBe("review");
    expect(h.sandbox.state.pulls()).toHaveLength(1);
  });

  it("`autonomy: manual` makes reviews suggestions: a comment and a neutral check", async () => {
    h = await startHarness(door, { files: { ".github/orkestra.yml": reviewConfig({ alpha: {}, beta: {} }, "allowApprove: true", "autonomy: manual") } });
    cleanups.push(scriptReviews(() => approve()));
    const pr = await openPr(h, { head: "one", files: [changedApp("x", "src/one.ts")] });
    expect(botReviews(h, pr).map((review) => review.state)).toEqual(["COMMENTED"]);
    const [check] = checkRunsOf(h, pr);
    expect(check).toMatchObject({ status: "completed", conclusion: "neutral" });
    expect(check!.output.title).toMatch(/^Suggestion: /);
  });

  it("`supervised` is unchanged: an approving review approves and the check passes", async () => {
    h = await startHarness(door, { files: { ".github/orkestra.yml": reviewConfig({ alpha: {}, beta: {} }, "allowApprove: true") } });
    cleanups.push(scriptReviews(() => approve()));
    const pr = await openPr(h, { head: "one", files: [changedApp("x", "src/one.ts")] });
    expect(botReviews(h, pr).map((review) => review.state)).toEqual(["APPROVED"]);
    expect(checkRunsOf(h, pr)[0]).toMatchObject({ conclusion: "success" });
  });

  it("`autonomy: full` turns on auto-merge for an agent's pull request once the review approves", async () => {
    await start(config("autonomy: full"), { allowAutoMerge: true });
    cleanups.push(scriptReviews(() => approve()));
    const task = await openTask();
    h.sandbox.as("alice").comment(task, "/assign alpha");
    await h.settle();
    const [pull] = h.sandbox.state.pulls();
    expect(pull).toBeDefined();
    expect(checkRunsOf(h, pull!.number)[0]).toMatchObject({ conclusion: "success" });
    expect(h.sandbox.state.pull(pull!.number)!.auto_merge).toMatchObject({ merge_method: "squash" });
    const mutations = () => h.sandbox.requests.filter((request) => request.path === "/graphql" && request.method === "POST").length;
    const once = mutations();
    // A second review of the same head (a person's /review) does not turn it on again.
    h.sandbox.as("alice").comment(pull!.number, "/review");
    await h.settle();
    expect(mutations()).toBe(once);
  });

  it("`autonomy: full` says clearly when the repository does not allow auto-merge", async () => {
    await start(config("autonomy: full"));
    cleanups.push(scriptReviews(() => approve()));
    const task = await openTask();
    h.sandbox.as("alice").comment(task, "/assign alpha");
    await h.settle();
    const [pull] = h.sandbox.state.pulls();
    expect(h.sandbox.state.pull(pull!.number)!.auto_merge).toBeNull();
    const notice = botComments(h.sandbox, pull!.number).filter((body) => body.includes("orkestra:auto-merge-notice"));
    expect(notice).toHaveLength(1);
    expect(notice[0]).toContain("does not allow auto-merge");
    expect(cardOf(h, task).status).toBe("review");
    expect(labelsOf(h.sandbox, task)).toContain("status:review");
  });

  it("a manual task's agent pull request is reviewed as a suggestion and starts no round by itself", async () => {
    await start();
    cleanups.push(scriptReviews(() => ({ verdict: "blocker", summary: "Must not merge.", findings: [] })));
    const task = await openTask();
    h.sandbox.as("mona").comment(task, "/autonomy manual");
    await h.settle();
    h.sandbox.as("alice").comment(task, "/assign alpha");
    await h.settle();
    const [pull] = h.sandbox.state.pulls();
    expect(checkRunsOf(h, pull!.number)[0]).toMatchObject({ conclusion: "neutral" });
    const card = cardOf(h, task);
    expect(card.status).toBe("review");
    expect(card.execution).toMatchObject({ round: 1 });
  });
});
