import { Octokit } from "@octokit/rest";
import { afterEach, describe, expect, it } from "vitest";
import { DOORS, orkestraRequests, startHarness, type Harness } from "../support/harness.js";
import { approve, checkRunsOf, concern, openPr, reviewConfig, scriptReviews } from "../review-handler/support.js";

const cleanups: Array<() => void> = [];
const REVIEWS = "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews";

describe.each(DOORS)("people's reviews in merge readiness through the %s", (door) => {
  let h: Harness;
  let calls: string[];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    expect(h.sandbox.violations).toEqual([]);
    await h.close();
  });

  /** alpha has a concern, beta approves: one approval does not outnumber one concern, so not ready. */
  async function concernedPr(method = "agents-and-people"): Promise<number> {
    h = await startHarness(door, { files: { ".github/orkestra.yml": reviewConfig({ alpha: {}, beta: {} }, `mergeReadiness: ${method}`) } });
    calls = [];
    cleanups.push(scriptReviews((agent) => (agent === "alpha" ? concern("A question.") : approve()), calls));
    const pr = await openPr(h);
    expect(checkRunsOf(h, pr)).toMatchObject([{ conclusion: method === "agents" ? "neutral" : "action_required" }]);
    h.sandbox.clearRequests();
    return pr;
  }

  async function reviewBy(login: string, pr: number, event: "APPROVE" | "REQUEST_CHANGES" | "COMMENT") {
    h.clock.advance(60_000);
    const review = h.sandbox.as(login).review(pr, { event, body: event === "APPROVE" ? "" : "See above." });
    await h.settle();
    return review;
  }

  it("an approval by a person with write access makes it ready, without asking the agents; its dismissal takes it back", async () => {
    const pr = await concernedPr();
    const [check] = checkRunsOf(h, pr);
    const review = await reviewBy("mona", pr, "APPROVE");
    // The same check run, concluded again: two approvals (beta, @mona) against one concern.
    expect(checkRunsOf(h, pr)).toMatchObject([{ id: check!.id, conclusion: "success" }]);
    expect(checkRunsOf(h, pr)[0]!.output.summary).toContain("**Merge readiness:** ready — 2 approval(s)");
    expect(calls).toHaveLength(2);
    // People's reviews cost one listing per decision.
    expect(orkestraRequests(h.sandbox).filter((line) => line === REVIEWS)).toHaveLength(1);

    h.clock.advance(60_000);
    const alice = new Octokit({ auth: h.sandbox.tokenFor("alice"), baseUrl: h.sandbox.url });
    await alice.rest.pulls.dismissReview({ owner: h.sandbox.owner, repo: h.sandbox.repo, pull_number: pr, review_id: review.id, message: "Approved too early" });
    await h.settle();
    expect(checkRunsOf(h, pr)).toMatchObject([{ id: check!.id, conclusion: "action_required" }]);
    expect(calls).toHaveLength(2);
  });

  it("a change request by a person with write access vetoes", async () => {
    const pr = await concernedPr();
    await reviewBy("mona", pr, "REQUEST_CHANGES");
    expect(checkRunsOf(h, pr)).toMatchObject([{ conclusion: "action_required" }]);
    expect(checkRunsOf(h, pr)[0]!.output.summary).toContain("Rejected by @\u200bmona");
  });

  it("a read-only person's approval and a bot's approval do not count", async () => {
    const pr = await concernedPr();
    await reviewBy("rita", pr, "APPROVE");
    h.sandbox.addCollaborator("helper-bot", "write");
    h.sandbox.addBot("helper-bot");
    await reviewBy("helper-bot", pr, "APPROVE");
    expect(checkRunsOf(h, pr)).toMatchObject([{ conclusion: "action_required" }]);
    expect(checkRunsOf(h, pr)[0]!.output.summary).toContain("1 approval(s) do not outnumber 1 concern");
    // A later decision (someone who counts) still leaves them out: beta and @mona, not rita or the bot.
    await reviewBy("mona", pr, "APPROVE");
    expect(checkRunsOf(h, pr)[0]!.output.summary).toContain("ready — 2 approval(s)");
  });

  it("with `mergeReadiness: agents` a person's review reads nothing and changes no check", async () => {
    const pr = await concernedPr("agents");
    await reviewBy("mona", pr, "APPROVE");
    expect(checkRunsOf(h, pr)).toMatchObject([{ conclusion: "neutral" }]);
    expect(orkestraRequests(h.sandbox)).not.toContain(REVIEWS);
  });
});
