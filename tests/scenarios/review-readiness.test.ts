import { afterEach, describe, expect, it } from "vitest";
import { DOORS, startHarness, type Harness } from "../support/harness.js";
import { approve, checkRunsOf, concern, openPr, reviewConfig, scriptReviews } from "../review-handler/support.js";

const cleanups: Array<() => void> = [];

async function say(h: Harness, by: string, pr: number, text: string): Promise<void> {
  h.clock.advance(60_000);
  h.sandbox.as(by).comment(pr, text);
  await h.settle();
}

const latestCheck = (h: Harness, pr: number) => checkRunsOf(h, pr).at(-1)!;

describe.each(DOORS)("merge readiness with people's votes through the %s", (door) => {
  let h: Harness;
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    expect(h.sandbox.violations).toEqual([]);
    await h.close();
  });

  async function concernOnlyReview(): Promise<number> {
    h = await startHarness(door, { files: { ".github/orkestra.yml": reviewConfig({ alpha: {}, beta: {} }, "mergeReadiness: agents-and-people") } });
    cleanups.push(scriptReviews((agent) => (agent === "alpha" ? concern("A question.") : approve())));
    const pr = await openPr(h);
    await say(h, "alice", pr, "/propose Merge this? voters=@alice,@bob");
    return pr;
  }

  it("agents-and-people: a review with one concern and one approval is not ready", async () => {
    h = await startHarness(door, { files: { ".github/orkestra.yml": reviewConfig({ alpha: {}, beta: {} }, "mergeReadiness: agents-and-people") } });
    cleanups.push(scriptReviews((agent) => (agent === "alpha" ? concern("A question.") : approve())));
    const pr = await openPr(h);
    expect(latestCheck(h, pr)).toMatchObject({ conclusion: "action_required" });
    expect(latestCheck(h, pr).output.summary).toContain("method `agents-and-people`");
    expect(latestCheck(h, pr).output.summary).toContain("1 approval(s) do not outnumber 1 concern");
  });

  it("agents-and-people: a person's approval makes a concern-only review ready", async () => {
    const pr = await concernOnlyReview();
    await say(h, "alice", pr, "/vote approve");
    await say(h, "alice", pr, "/review");
    expect(latestCheck(h, pr)).toMatchObject({ conclusion: "success" });
    expect(latestCheck(h, pr).output.summary).toContain("**Merge readiness:** ready — 2 approval(s)");
  });

  it("agents-and-people: a person's reject vetoes a review other people approved", async () => {
    const pr = await concernOnlyReview();
    await say(h, "alice", pr, "/vote approve");
    await say(h, "bob", pr, "/vote reject -- not before the release");
    await say(h, "alice", pr, "/review");
    expect(latestCheck(h, pr)).toMatchObject({ conclusion: "action_required" });
    expect(latestCheck(h, pr).output.summary).toContain("Rejected by @\u200bbob");
  });

  it("consensus: agents and people count as one Approve/Reject vote by the PR vote's method", async () => {
    h = await startHarness(door, { files: { ".github/orkestra.yml": reviewConfig({ alpha: {}, beta: {} }, "mergeReadiness: consensus") } });
    cleanups.push(scriptReviews(() => approve()));
    const pr = await openPr(h);
    // No vote yet: `voting.defaultMethod` (majority) over the two approving agents.
    expect(latestCheck(h, pr)).toMatchObject({ conclusion: "success" });
    expect(latestCheck(h, pr).output.summary).toContain("Majority (`voting.defaultMethod`) over 2 ballot(s) of agents and people: Approve carried");

    await say(h, "alice", pr, "/propose Merge this? method=unanimous voters=@alice,@bob");
    await say(h, "bob", pr, "/vote reject");
    await say(h, "alice", pr, "/review");
    expect(latestCheck(h, pr)).toMatchObject({ conclusion: "action_required" });
    expect(latestCheck(h, pr).output.summary).toContain("Unanimous (the method of the vote on this PR) over 3 ballot(s) of agents and people: no decision");
  });
});
