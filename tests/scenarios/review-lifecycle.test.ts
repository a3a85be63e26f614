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

  /**
   * Two agents review a PR (alpha blocks), then two pushes: a concern from both, then two approvals.
   * Returns the PR and its labels after the first review.
   */
  async function reviewedThenPushedTwice() {
    h = await startHarness(door, { files: { ".github/orkestra.yml": reviewConfig({ alpha: {}, beta: {} }) } });
    let round = 0;
    cleanups.push(scriptReviews((agent) => (round === 0 && agent === "alpha" ? blocker("Broken.") : round === 1 ? concern("Hmm.") : approve())));
    const pr = await openPr(h);
    const labelsAfterBlocker = labelsOf(h.sandbox, pr);

    round = 1;
    h.sandbox.as("alice").pushCommits(pr, [changedApp("second")]);
    await h.settle();
    round = 2;
    h.sandbox.as("alice").pushCommits(pr, [changedApp("third")]);
    await h.settle();
    return { pr, labelsAfterBlocker, reviews: botReviews(h, pr), head: h.sandbox.state.pull(pr)!.head.sha };
  }

  it("a push dismisses the change request of the review it supersedes", async () => {
    const { reviews } = await reviewedThenPushedTwice();
    expect(reviews[0]?.state).toBe("DISMISSED");
  });

  it("a push edits the comment review it supersedes to name the review of the new head", async () => {
    const { reviews, head } = await reviewedThenPushedTwice();
    expect(reviews[1]?.state).toBe("COMMENTED");
    expect(reviews[1]!.body).toContain(`superseded by a review of \`${head.slice(0, 7)}\``);
    expect(reviews[1]!.body).toContain(`"supersededBy":"${head}"`);
  });

  it("a push is reviewed at its new head", async () => {
    const { reviews, head } = await reviewedThenPushedTwice();
    expect(reviews[2]?.state).toBe("COMMENTED");
    expect(reviews[2]).toMatchObject({ commit_id: head });
    expect(reviews[2]!.body).toContain("Approved by 2 of 2 agents");
  });

  it("the labels and the check run follow the review of the newest head", async () => {
    const { pr, labelsAfterBlocker } = await reviewedThenPushedTwice();
    expect(labelsAfterBlocker).toEqual(["review:blocked"]);
    expect(labelsOf(h.sandbox, pr)).toEqual([]);
    expect(checkRunsOf(h, pr).map((run) => run.conclusion)).toEqual(["success"]);
  });

  it("redelivered pull_request events post nothing", async () => {
    const { pr } = await reviewedThenPushedTwice();
    const events = h.sandbox.deliveries.filter((event) => event.name === "pull_request");
    h.sandbox.clearRequests();
    for (const event of events) await h.redeliver(event);
    expect(orkestraRequests(h.sandbox).filter((line) => !line.startsWith("GET"))).toEqual([]);
    expect(botReviews(h, pr)).toHaveLength(3);
  });

  /** Opens a PR and pushes to it while the one agent reviews its first head. */
  async function pushedDuringReview() {
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
    return { pr, firstHead: opened.head.sha, head: h.sandbox.state.pull(pr)!.head.sha };
  }

  it("a push while the agents review skips that review's check run, naming the new head", async () => {
    const { firstHead, head } = await pushedDuringReview();
    const first = h.sandbox.state.checkRuns(firstHead).filter((run) => run.name === "orkestra/review");
    expect(first.map((run) => [run.conclusion, run.output.title])).toEqual([["skipped", `Superseded by ${head.slice(0, 7)}`]]);
  });

  it("a push while the agents review leaves only the new head reviewed", async () => {
    const { pr, head } = await pushedDuringReview();
    expect(botReviews(h, pr).map((review) => review.commit_id)).toEqual([head]);
    expect(checkRunsOf(h, pr).map((run) => run.conclusion)).toEqual(["success"]);
  });

  /** A draft PR with three agents; `calls` lists the agents asked. */
  async function draftWithThreeAgents() {
    h = await startHarness(door, { files: { ".github/orkestra.yml": reviewConfig({ alpha: {}, beta: {}, gamma: {} }) } });
    const calls: string[] = [];
    cleanups.push(scriptReviews(() => approve(), calls));
    const pr = await openPr(h, { draft: true });
    return { pr, calls };
  }

  /** As draftWithThreeAgents, then a minute later alice comments "/review beta nobody". */
  async function draftReviewedByCommand() {
    const { pr, calls } = await draftWithThreeAgents();
    h.clock.advance(60_000);
    const command = h.sandbox.as("alice").comment(pr, "/review beta nobody");
    await h.settle();
    return { pr, calls, command };
  }

  it("a draft is not reviewed when opened", async () => {
    const { pr } = await draftWithThreeAgents();
    expect(botReviews(h, pr)).toEqual([]);
    expect(checkRunsOf(h, pr)).toEqual([]);
  });

  it("/review reviews a draft at once, by the agents it names", async () => {
    const { pr, calls, command } = await draftReviewedByCommand();
    expect(reactionsOn(h.sandbox, command.id)).toEqual(["eyes", "+1"]);
    expect(calls).toEqual(["beta"]);
    expect(botReviews(h, pr).map((review) => review.body.includes("Approved by 1 of 1 agent"))).toEqual([true]);
  });

  it("/review replies which of the names it was given are no enabled agent", async () => {
    const { pr } = await draftReviewedByCommand();
    const reply = h.sandbox.state.comments(pr).find((comment) => comment.user?.type === "Bot" && comment.body?.includes("Reviewed without"));
    expect(reply?.body).toContain("`nobody`: no enabled agent has that name");
  });

  it("a redelivered /review finds its review and asks no agent again", async () => {
    const { calls } = await draftReviewedByCommand();
    const delivered = h.sandbox.deliveries.filter((event) => event.name === "issue_comment").at(-1)!;
    await h.redeliver(delivered);
    expect(calls).toEqual(["beta"]);
  });

  it("a draft whose head /review reviewed asks no agent again when marked ready for review", async () => {
    const { pr, calls } = await draftReviewedByCommand();
    h.clock.advance(60_000);
    h.sandbox.as("alice").markReadyForReview(pr);
    await h.settle();
    expect(calls).toEqual(["beta"]);
  });

  it("/review naming no enabled agent is refused with the enabled agents listed", async () => {
    const { pr } = await draftWithThreeAgents();
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
