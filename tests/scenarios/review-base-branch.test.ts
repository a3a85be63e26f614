import { afterEach, describe, expect, it } from "vitest";
import type { DayUsage } from "../../src/agents/index.js";
import { GitUsageStore } from "../../src/runtime/usage-store.js";
import { DOORS, reactionsOn, startHarness, type Harness } from "../support/harness.js";
import { sandboxServices } from "../support/services.js";
import { approve, botReviews, changedApp, openPr, reviewConfig, scriptReviews, unprocessable } from "../review-handler/support.js";

const cleanups: Array<() => void> = [];
const DAY = "2026-11-21";

/** Today's agent spending as recorded in GitHub (refs/orkestra/usage/<day>). */
function recordedUsage(h: Harness): Promise<DayUsage> {
  const services = sandboxServices(h.sandbox, h.clock);
  // Reading needs no writer: a store that is only loaded never writes.
  return new GitUsageStore(services.github, () => Promise.reject(new Error("read only")), h.sandbox.defaultBranch).load(DAY);
}

describe.each(DOORS)("/review of a PR to another branch than the default one, through the %s", (door) => {
  let h: Harness;
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    expect(h.sandbox.violations).toEqual([]);
    expect(unprocessable(h)).toEqual([]);
    await h.close();
  });

  async function commentReview(pr: number, text = "/review"): Promise<number> {
    h.clock.advance(60_000);
    const comment = h.sandbox.as("alice").comment(pr, text);
    await h.settle();
    return comment.id;
  }

  it("records the day's agent spending when the base branch sets up the same agents", async () => {
    const config = reviewConfig({ alpha: {} }, "enabled: false");
    h = await startHarness(door, { files: { ".github/orkestra.yml": config } });
    h.sandbox.setFile(".github/orkestra.yml", config, { ref: "release" });
    const calls: string[] = [];
    cleanups.push(scriptReviews(() => approve(), calls));
    const pr = await openPr(h, { head: "fix", base: "release", files: [changedApp("fix", "src/release.ts")] });
    await commentReview(pr);
    expect(calls).toEqual(["alpha"]);
    expect(botReviews(h, pr)).toHaveLength(1);
    const usage = await recordedUsage(h);
    expect(usage.byAgent.alpha?.calls).toBe(1);
    expect(usage.tokens).toBeGreaterThan(0);
  });

  it("records the day's agent spending of the base branch's own agents", async () => {
    h = await startHarness(door, { files: { ".github/orkestra.yml": reviewConfig({ alpha: {} }) } });
    h.sandbox.setFile(".github/orkestra.yml", reviewConfig({ beta: {} }, "enabled: false"), { ref: "release" });
    const calls: string[] = [];
    cleanups.push(scriptReviews(() => approve(), calls));
    const pr = await openPr(h, { head: "fix", base: "release", files: [changedApp("fix", "src/release.ts")] });
    await commentReview(pr);
    expect(calls).toEqual(["beta"]);
    const usage = await recordedUsage(h);
    expect(Object.keys(usage.byAgent)).toEqual(["beta"]);
    expect(usage.byAgent.beta?.calls).toBe(1);
  });

  it("shares the run's budget with the other commands of the same comment instead of getting a second one", async () => {
    // One ballot fits the run's budget, a ballot and a review do not; each alone does.
    const config = reviewConfig({ alpha: {} }, "enabled: false", "budgets:\n  perRun: { maxTokens: 4000 }\n  perCall: { maxOutputTokens: 2000 }\n");
    h = await startHarness(door, { files: { ".github/orkestra.yml": config } });
    h.sandbox.setFile(".github/orkestra.yml", config, { ref: "release" });
    const calls: string[] = [];
    cleanups.push(scriptReviews(() => approve(), calls));
    const pr = await openPr(h, { head: "fix", base: "release", files: [changedApp("fix", "src/release.ts")] });
    const comment = await commentReview(pr, "/propose Ship it? voters=alpha\n/review");
    expect(reactionsOn(h.sandbox, comment)).toContain("+1");
    expect(calls).toEqual([]);
    // The budget refused the call before any agent was asked.
    expect(botReviews(h, pr)[0]?.body).toContain("**alpha** — no answer (error)");
    // Alone, the review fits.
    await commentReview(pr);
    expect(calls).toEqual(["alpha"]);
    expect(botReviews(h, pr).at(-1)?.body).toContain("Approved by 1 of 1 agent");
  });

  it("gives the base branch's own agents only what is left of the run's budget", async () => {
    const budgets = "budgets:\n  perRun: { maxTokens: 4000 }\n  perCall: { maxOutputTokens: 2000 }\n";
    h = await startHarness(door, { files: { ".github/orkestra.yml": reviewConfig({ alpha: {} }, "", budgets) } });
    h.sandbox.setFile(".github/orkestra.yml", reviewConfig({ beta: {} }, "enabled: false", budgets), { ref: "release" });
    const calls: string[] = [];
    cleanups.push(scriptReviews(() => approve(), calls));
    const pr = await openPr(h, { head: "fix", base: "release", files: [changedApp("fix", "src/release.ts")] });
    await commentReview(pr, "/propose Ship it? voters=alpha\n/review");
    expect(calls).toEqual([]);
    expect(botReviews(h, pr)[0]?.body).toContain("**beta** — no answer (error)");
    await commentReview(pr);
    expect(calls).toEqual(["beta"]);
  });
});
