import { afterEach, describe, expect, it } from "vitest";
import { DOORS, labelsOf, orkestraRequests, reactionsOn, startHarness, type Harness } from "../support/harness.js";
import {
  approve,
  blocker,
  botReviews,
  changedApp,
  checkRunsOf,
  concern,
  openPr,
  reviewConfig,
  scriptReviews,
  unprocessable,
} from "../review-handler/support.js";

const cleanups: Array<() => void> = [];

describe.each(DOORS)("the life of a review through the %s", (door) => {
  let h: Harness;
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    expect(h.sandbox.violations).toEqual([]);
    expect(unprocessable(h)).toEqual([]);
    await h.close();
  });

  it("a push supersedes the previous review: a change request is dismissed, a comment edited; redelivered events post nothing", async () => {
    h = await startHarness(door, { files: { ".github/orkestra.yml": reviewConfig({ alpha: {}, beta: {} }) } });
    let round = 0;
    cleanups.push(scriptReviews((agent) => (round === 0 && agent === "alpha" ? blocker("Broken.") : round === 1 ? concern("Hmm.") : approve())));
    const pr = await openPr(h);
    expect(labelsOf(h.sandbox, pr)).toEqual(["review:blocked"]);

    round = 1;
    h.sandbox.as("alice").pushCommits(pr, [changedApp("second")]);
    await h.settle();
    round = 2;
    h.sandbox.as("alice").pushCommits(pr, [changedApp("third")]);
    await h.settle();

    const reviews = botReviews(h, pr);
    const head = h.sandbox.state.pull(pr)!.head.sha;
    expect(reviews.map((review) => review.state)).toEqual(["DISMISSED", "COMMENTED", "COMMENTED"]);
    expect(reviews[1]!.body).toContain(`superseded by a review of \`${head.slice(0, 7)}\``);
    expect(reviews[1]!.body).toContain(`"supersededBy":"${head}"`);
    expect(reviews[2]).toMatchObject({ commit_id: head });
    expect(reviews[2]!.body).toContain("Approved by 2 of 2 agents");
    expect(labelsOf(h.sandbox, pr)).toEqual([]);
    expect(checkRunsOf(h, pr).map((run) => run.conclusion)).toEqual(["success"]);

    // GitHub redelivers every pull_request event: nothing new is written.
    const events = h.sandbox.deliveries.filter((event) => event.name === "pull_request");
    h.sandbox.clearRequests();
    for (const event of events) await h.redeliver(event);
    expect(orkestraRequests(h.sandbox).filter((line) => !line.startsWith("GET"))).toEqual([]);
    expect(botReviews(h, pr)).toHaveLength(3);
  });

  it("a push while the agents review abandons that review (check run skipped); the new head is reviewed", async () => {
    h = await startHarness(door, { files: { ".github/orkestra.yml": reviewConfig({ alpha: {} }) } });
    let pr = 0;
    let pushed = false;
    cleanups.push(
      scriptReviews(() => {
        if (!pushed) {
          pushed = true;
          h.sandbox.as("alice").pushCommits(pr, [changedApp("racing")]);
        }
        return approve();
      }),
    );
    const opened = h.sandbox.as("alice").openPullRequest({ title: "Race", head: "race", files: [changedApp()] });
    pr = opened.number;
    await h.settle();
    const reviews = botReviews(h, pr);
    const head = h.sandbox.state.pull(pr)!.head.sha;
    expect(reviews.map((review) => review.commit_id)).toEqual([head]);
    const first = h.sandbox.state.checkRuns(opened.head.sha).filter((run) => run.name === "orkestra/review");
    expect(first.map((run) => [run.conclusion, run.output.title])).toEqual([["skipped", `Superseded by ${head.slice(0, 7)}`]]);
    expect(checkRunsOf(h, pr).map((run) => run.conclusion)).toEqual(["success"]);
  });

  it("drafts wait for ready_for_review; /review reviews a draft at once and names its agents", async () => {
    h = await startHarness(door, { files: { ".github/orkestra.yml": reviewConfig({ alpha: {}, beta: {}, gamma: {} }) } });
    const calls: string[] = [];
    cleanups.push(scriptReviews(() => approve(), calls));
    const pr = await openPr(h, { draft: true });
    expect(botReviews(h, pr)).toEqual([]);
    expect(checkRunsOf(h, pr)).toEqual([]);

    h.clock.advance(60_000);
    const command = h.sandbox.as("alice").comment(pr, "/review beta nobody");
    await h.settle();
    expect(reactionsOn(h.sandbox, command.id)).toEqual(["eyes", "+1"]);
    expect(calls).toEqual(["beta"]);
    expect(botReviews(h, pr).map((review) => review.body.includes("Approved by 1 of 1 agent"))).toEqual([true]);
    const reply = h.sandbox.state.comments(pr).find((comment) => comment.user?.type === "Bot" && comment.body?.includes("Reviewed without"));
    expect(reply?.body).toContain("`nobody`: no enabled agent has that name");

    // The redelivered command finds its review and does nothing more.
    const delivered = h.sandbox.deliveries.filter((event) => event.name === "issue_comment").at(-1)!;
    await h.redeliver(delivered);
    expect(calls).toEqual(["beta"]);

    h.clock.advance(60_000);
    h.sandbox.as("alice").markReadyForReview(pr);
    await h.settle();
    // Ready for review: the same head was reviewed already (by /review), so nothing is asked again.
    expect(calls).toEqual(["beta"]);

    const unknown = h.sandbox.as("alice").comment(pr, "/review nobody");
    await h.settle();
    expect(reactionsOn(h.sandbox, unknown.id)).toEqual(["eyes", "confused"]);
    const refusal = h.sandbox.state.comments(pr).find((comment) => comment.user?.type === "Bot" && comment.body?.includes("no enabled agent named"));
    expect(refusal?.body).toContain("no enabled agent named `nobody` (enabled: `alpha`, `beta`, `gamma`)");
  });

  it("a draft marked ready for review is reviewed", async () => {
    h = await startHarness(door, { files: { ".github/orkestra.yml": reviewConfig({ alpha: {} }) } });
    cleanups.push(scriptReviews(() => approve()));
    const pr = await openPr(h, { draft: true });
    expect(botReviews(h, pr)).toEqual([]);
    h.sandbox.as("alice").markReadyForReview(pr);
    await h.settle();
    expect(botReviews(h, pr)).toHaveLength(1);
    expect(checkRunsOf(h, pr).map((run) => run.conclusion)).toEqual(["success"]);
  });

  it("/review claude gemini asks only those agents (offline built-in agents)", async () => {
    h = await startHarness(door, {}, { agentOptions: { offline: true } });
    const calls: string[] = [];
    cleanups.push(scriptReviews(() => approve(), calls));
    const pr = await openPr(h);
    expect(calls.sort()).toEqual(["chatgpt", "claude", "copilot", "gemini", "grok"]);
    calls.length = 0;
    h.clock.advance(60_000);
    h.sandbox.as("alice").comment(pr, "/review claude gemini");
    await h.settle();
    expect(calls.sort()).toEqual(["claude", "gemini"]);
    const reviews = botReviews(h, pr);
    expect(reviews).toHaveLength(2);
    // `/review` on the same head replaces the earlier review too.
    expect(reviews[0]!.body).toContain("was superseded by a review of");
    expect(reviews[1]!.body).toContain("Approved by 2 of 2 agents");
  });
});
