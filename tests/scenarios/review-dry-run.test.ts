import { afterEach, describe, expect, it } from "vitest";
import { orkestraRequests, startHarness, type Harness } from "../support/harness.js";
import { dryActionRun, emitted } from "../review-handler/action-run.js";
import { approve, botReviews, checkRunsOf, openPr, reviewConfig, scriptReviews } from "../review-handler/support.js";

const cleanups: Array<() => void> = [];
const WOULD_ASK = (pr: number, agent: string) => new RegExp(`^#${pr}: would ask \`${agent}\` to review [0-9a-f]{7}: ~\\d+ prompt tokens, 1 file \\(dry run: not asked\\)$`);

describe("a dry run of a review through the action", () => {
  let h: Harness;
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    expect(h.sandbox.violations).toEqual([]);
    await h.close();
  });

  async function start(): Promise<string[]> {
    // Events are handed to the dry runs below only.
    h = await startHarness("action", { files: { ".github/orkestra.yml": reviewConfig({ alpha: {}, beta: {} }) } }, { autoDeliver: false });
    const calls: string[] = [];
    cleanups.push(scriptReviews(() => approve(), calls));
    return calls;
  }

  it("of a pull_request event asks no agent, says whom it would ask with the prompt size, and writes nothing", async () => {
    const calls = await start();
    const pr = await openPr(h);
    h.sandbox.clearRequests();
    const report = await dryActionRun(h, emitted(h, "pull_request", (payload) => payload.action === "opened"));
    expect(calls).toEqual([]);
    const asked = report.actions.filter((line) => line.includes("would ask"));
    expect(asked).toHaveLength(2);
    expect(asked[0]).toMatch(WOULD_ASK(pr, "alpha"));
    expect(asked[1]).toMatch(WOULD_ASK(pr, "beta"));
    expect(report.actions.some((line) => line.includes("post review") || line.includes("check run"))).toBe(false);
    expect(report.errors).toEqual([]);
    expect(orkestraRequests(h.sandbox).filter((line) => !line.startsWith("GET"))).toEqual([]);
    expect(botReviews(h, pr)).toEqual([]);
    expect(checkRunsOf(h, pr)).toEqual([]);
  });

  it("of `/review` asks no agent either and writes nothing", async () => {
    const calls = await start();
    const pr = await openPr(h);
    const command = h.sandbox.as("alice").comment(pr, "/review alpha");
    await h.settle();
    h.sandbox.clearRequests();
    const report = await dryActionRun(h, emitted(h, "issue_comment", (payload) => (payload.comment as { id: number }).id === command.id));
    expect(calls).toEqual([]);
    expect(report.actions.filter((line) => line.includes("would ask"))).toEqual([expect.stringMatching(WOULD_ASK(pr, "alpha"))]);
    expect(orkestraRequests(h.sandbox).filter((line) => !line.startsWith("GET"))).toEqual([]);
    expect(botReviews(h, pr)).toEqual([]);
  });
});
