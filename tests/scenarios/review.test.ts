import { afterEach, describe, expect, it } from "vitest";
import { DOORS, labelsOf, startHarness, type Harness } from "../support/harness.js";
import {
  approve,
  blocker,
  botReviews,
  changedApp,
  checkRunsOf,
  concern,
  finding,
  openPr,
  reviewConfig,
  scriptReviews,
  unprocessable,
} from "../review-handler/support.js";

const THREE = reviewConfig({ alpha: {}, beta: {}, gamma: {} });
const cleanups: Array<() => void> = [];

describe.each(DOORS)("multi-agent reviews through the %s: the decision policy", (door) => {
  let h: Harness;
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    // Every request fits GitHub's OpenAPI description, and no review was refused.
    expect(h.sandbox.violations).toEqual([]);
    expect(unprocessable(h)).toEqual([]);
    await h.close();
  });

  /**
   * Three agents review a PR: alpha blocks (with a line-5 finding, and text that pings @alice and
   * carries a marker), beta has a concern (lines 6 and 20; line 20 is not in the diff), gamma approves.
   */
  async function blockedPr() {
    h = await startHarness(door, { files: { ".github/orkestra.yml": THREE } });
    cleanups.push(
      scriptReviews((agent) => {
        if (agent === "alpha") {
          return blocker("The loop never ends, @alice. <!-- orkestra:task {} -->", [finding("src/app.ts", 5, "This loop never terminates", { severity: "blocker" })]);
        }
        if (agent === "beta") return concern("Same worry.", [finding("src/app.ts", 6, "this loop never terminates when the list is empty"), finding("src/app.ts", 20, "Unrelated: line 20 is odd")]);
        return approve();
      }),
    );
    const pr = await openPr(h);
    const [review, ...more] = botReviews(h, pr);
    return { pr, review: review!, more };
  }

  it("a blocker requests changes in one review of the head", async () => {
    const { pr, review, more } = await blockedPr();
    expect(more).toEqual([]);
    expect(review).toMatchObject({ state: "CHANGES_REQUESTED", commit_id: h.sandbox.state.pull(pr)!.head.sha });
    expect(review.body).toContain("Blocked: 1 of 3 agents found a blocker");
  });

  it("a blocker mentions the maintainers", async () => {
    const { review } = await blockedPr();
    expect(review.body).toContain("cc @mona");
  });

  it("agent text can neither ping people nor forge Orkestra's markers", async () => {
    const { review } = await blockedPr();
    expect(review.body).not.toContain("@alice");
    expect(review.body).not.toContain("<!-- orkestra:task");
  });

  it("findings on neighbouring diff lines become one inline comment naming the agents", async () => {
    const { pr } = await blockedPr();
    const inline = h.sandbox.state.reviewComments(pr);
    expect(inline.map((comment) => [comment.path, comment.line, comment.side])).toEqual([["src/app.ts", 5, "RIGHT"]]);
    expect(inline[0]!.body).toContain("2 of 3 agents (alpha, beta)");
  });

  it("a finding outside the diff goes to the summary with the reason, not inline", async () => {
    const { review } = await blockedPr();
    // Line 20 is not in the diff: it is in the body with the reason, not a (422) inline comment.
    expect(review.body).toMatch(/src\/app\.ts` line 20 · beta · _line not in the diff_: Unrelated: line 20 is odd/);
  });

  it("a blocker labels the PR review:blocked", async () => {
    const { pr } = await blockedPr();
    expect(labelsOf(h.sandbox, pr)).toEqual(["review:blocked"]);
  });

  it("a blocker fails the check run, with the finding as an annotation", async () => {
    const { pr } = await blockedPr();
    const [check] = checkRunsOf(h, pr);
    expect(check).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(check!.output.title).toContain("Blocked");
    expect(check!.output.annotations_count).toBe(1);
  });

  /** Three agents answer `verdicts` on a new PR. */
  async function reviewedWith(verdicts: Record<string, "approve" | "concern">, config = THREE) {
    h = await startHarness(door, { files: { ".github/orkestra.yml": config } });
    cleanups.push(scriptReviews((agent) => (verdicts[agent] === "concern" ? concern(`${agent} has a question`) : approve())));
    return openPr(h, { head: "one", files: [changedApp("x", "src/one.ts")] });
  }

  it("a majority of concerns asks for clarification", async () => {
    const pr = await reviewedWith({ alpha: "concern", beta: "concern", gamma: "approve" });
    expect(botReviews(h, pr).map((review) => review.state)).toEqual(["COMMENTED"]);
    expect(botReviews(h, pr)[0]!.body).toContain("Needs clarification: 2 of 3 agents have concerns");
    expect(labelsOf(h.sandbox, pr)).toEqual(["review:needs-clarification"]);
    expect(checkRunsOf(h, pr)[0]).toMatchObject({ conclusion: "action_required" });
  });

  it("one concern only warns", async () => {
    const pr = await reviewedWith({ alpha: "concern", beta: "approve", gamma: "approve" });
    expect(botReviews(h, pr)[0]!.body).toContain("1 of 3 agents raised a concern");
    expect(labelsOf(h.sandbox, pr)).toEqual([]);
    expect(checkRunsOf(h, pr)[0]).toMatchObject({ conclusion: "neutral" });
  });

  it("all approving comments without approving by default", async () => {
    const pr = await reviewedWith({ alpha: "approve", beta: "approve", gamma: "approve" });
    expect(botReviews(h, pr).map((review) => review.state)).toEqual(["COMMENTED"]);
    expect(botReviews(h, pr)[0]!.body).toContain("Approved by 3 of 3 agents");
    expect(checkRunsOf(h, pr)[0]).toMatchObject({ conclusion: "success" });
  });

  it("all approving approves, with the configured label, when allowApprove is on", async () => {
    const allowed = reviewConfig({ alpha: {}, beta: {}, gamma: {} }, "allowApprove: true\nlabels: { approved: review:approved }");
    const pr = await reviewedWith({ alpha: "approve", beta: "approve", gamma: "approve" }, allowed);
    expect(botReviews(h, pr).map((review) => review.state)).toEqual(["APPROVED"]);
    expect(labelsOf(h.sandbox, pr)).toEqual(["review:approved"]);
  });
});

describe.each(DOORS)("multi-agent reviews through the %s: many findings", (door) => {
  let h: Harness;
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    expect(h.sandbox.violations).toEqual([]);
    expect(unprocessable(h)).toEqual([]);
    await h.close();
  });

  it("60 findings: 30 inline comments, the rest in the body, 60 annotations sent 50 at a time", async () => {
    h = await startHarness(door, { files: { ".github/orkestra.yml": reviewConfig({ alpha: {}, beta: {} }) } });
    const lines = (word: string) => Array.from({ length: 120 }, (_, i) => `${word} ${i + 1}`).join("\n") + "\n";
    const many = (from: number, words: string) => Array.from({ length: 30 }, (_, i) => finding("src/big.ts", from + i, `${words} ${i}`));
    cleanups.push(scriptReviews((agent) => concern("Many nits.", agent === "alpha" ? many(1, "alpha spotted naming trouble") : many(61, "beta wonders about error handling"))));
    h.sandbox.clearRequests();
    const pr = await openPr(h, { files: [{ path: "src/big.ts", before: lines("old"), after: lines("new") }] });
    expect(h.sandbox.state.reviewComments(pr)).toHaveLength(30);
    expect(botReviews(h, pr)[0]!.body).toContain("### Findings not placed inline (30)");
    expect(botReviews(h, pr)[0]!.body).toContain("_inline comment limit reached_");
    const [check] = checkRunsOf(h, pr);
    expect(check!.output.annotations_count).toBe(60);
    expect(h.sandbox.requests.filter((request) => request.route === "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}")).toHaveLength(2);
  });
});

describe.each(DOORS)("multi-agent reviews through the %s: agents that fail", (door) => {
  let h: Harness;
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    expect(h.sandbox.violations).toEqual([]);
    await h.close();
  });

  /** alpha approves; slow times out; broken answers invalid output even after its correction turn. */
  async function reviewWithTwoAbstaining() {
    const config = reviewConfig({ alpha: {}, slow: { delayMs: 400, timeoutMs: 40, maxRetries: 0 }, broken: { invalidOutputs: 9 } });
    h = await startHarness(door, { files: { ".github/orkestra.yml": config } });
    const calls: string[] = [];
    cleanups.push(scriptReviews((agent) => (agent === "alpha" ? approve("Fine by me.") : concern("never seen")), calls));
    const pr = await openPr(h);
    const [review] = botReviews(h, pr);
    return { pr, review: review!, calls };
  }

  it("an agent that times out abstains and is listed as missing", async () => {
    const { pr, review } = await reviewWithTwoAbstaining();
    expect(review.body).toContain("- ⏸️ **slow** — no answer (timed out)");
    expect(checkRunsOf(h, pr)[0]!.output.summary).toContain("- **slow**: no answer (timeout)");
  });

  it("an agent that answers invalid output abstains and is listed as missing", async () => {
    const { review, calls } = await reviewWithTwoAbstaining();
    expect(review.body).toContain("- ⏸️ **broken** — no answer (invalid answer)");
    expect(review.body).not.toContain("never seen");
    // The broken agent got its one correction turn; the slow one never answered.
    expect(calls.sort()).toEqual(["alpha"]);
  });

  it("the review is still posted, decided by the agents that answered", async () => {
    const { pr, review } = await reviewWithTwoAbstaining();
    expect(review.body).toContain("Approved by 1 of 1 agent");
    expect(checkRunsOf(h, pr)[0]).toMatchObject({ conclusion: "success" });
  });

  it("when every agent abstains there is no verdict: a comment asking for /review, the blocker label kept, a neutral check", async () => {
    h = await startHarness(door, { files: { ".github/orkestra.yml": reviewConfig({ alpha: {} }) } });
    let calls = 0;
    // First a blocker; after the push only answers that never match the schema (with the correction turn).
    cleanups.push(scriptReviews(() => (++calls === 1 ? blocker("No.") : ({ nonsense: true } as never))));
    const pr = await openPr(h);
    expect(labelsOf(h.sandbox, pr)).toEqual(["review:blocked"]);
    h.sandbox.as("alice").pushCommits(pr, [changedApp("newer")]);
    await h.settle();
    const reviews = botReviews(h, pr);
    expect(reviews.map((review) => review.state)).toEqual(["DISMISSED", "COMMENTED"]);
    expect(reviews[1]!.body).toContain("No verdict: not enough agents answered");
    expect(reviews[1]!.body).toContain("run `/review` to try again");
    expect(reviews[1]!.body).toContain("- ⏸️ **alpha** — no answer (invalid answer)");
    // An outage does not clear a blocker.
    expect(labelsOf(h.sandbox, pr)).toEqual(["review:blocked"]);
    expect(checkRunsOf(h, pr)[0]).toMatchObject({ conclusion: "neutral" });
    expect(calls).toBe(3);
  });
});
