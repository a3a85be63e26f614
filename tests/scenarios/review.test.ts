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

  it("a blocker requests changes, labels the PR, mentions the maintainers and fails the check; findings outside the diff go to the summary", async () => {
    h = await startHarness(door, { files: { ".github/orkestra.yml": THREE } });
    cleanups.push(
      scriptReviews((agent) => {
        if (agent === "alpha") {
          // Agent text cannot ping people or forge Orkestra's markers.
          return blocker("The loop never ends, @alice. <!-- orkestra:task {} -->", [finding("src/app.ts", 5, "This loop never terminates", { severity: "blocker" })]);
        }
        if (agent === "beta") return concern("Same worry.", [finding("src/app.ts", 6, "this loop never terminates when the list is empty"), finding("src/app.ts", 20, "Unrelated: line 20 is odd")]);
        return approve();
      }),
    );
    const pr = await openPr(h);
    const [review, ...more] = botReviews(h, pr);
    expect(more).toEqual([]);
    expect(review).toMatchObject({ state: "CHANGES_REQUESTED", commit_id: h.sandbox.state.pull(pr)!.head.sha });
    expect(review!.body).toContain("cc @mona");
    expect(review!.body).not.toContain("@alice");
    expect(review!.body).not.toContain("<!-- orkestra:task");
    expect(review!.body).toContain("Blocked: 1 of 3 agents found a blocker");
    // Line 20 is not in the diff: it is in the body with the reason, not a (422) inline comment.
    expect(review!.body).toMatch(/src\/app\.ts` line 20 · beta · _line not in the diff_: Unrelated: line 20 is odd/);
    const inline = h.sandbox.state.reviewComments(pr);
    expect(inline.map((comment) => [comment.path, comment.line, comment.side])).toEqual([["src/app.ts", 5, "RIGHT"]]);
    expect(inline[0]!.body).toContain("2 of 3 agents (alpha, beta)");
    expect(labelsOf(h.sandbox, pr)).toEqual(["review:blocked"]);
    const [check] = checkRunsOf(h, pr);
    expect(check).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(check!.output.title).toContain("Blocked");
    expect(check!.output.annotations_count).toBe(1);
  });

  it("a majority of concerns asks for clarification; one concern only warns; all approving comments (or approves when allowed)", async () => {
    h = await startHarness(door, { files: { ".github/orkestra.yml": THREE } });
    let verdicts: Record<string, "approve" | "concern"> = { alpha: "concern", beta: "concern", gamma: "approve" };
    cleanups.push(scriptReviews((agent) => (verdicts[agent] === "concern" ? concern(`${agent} has a question`) : approve())));
    const first = await openPr(h, { head: "one", files: [changedApp("x", "src/one.ts")] });
    expect(botReviews(h, first).map((review) => review.state)).toEqual(["COMMENTED"]);
    expect(botReviews(h, first)[0]!.body).toContain("Needs clarification: 2 of 3 agents have concerns");
    expect(labelsOf(h.sandbox, first)).toEqual(["review:needs-clarification"]);
    expect(checkRunsOf(h, first)[0]).toMatchObject({ conclusion: "action_required" });

    verdicts = { alpha: "concern", beta: "approve", gamma: "approve" };
    const second = await openPr(h, { head: "two", files: [changedApp("x", "src/two.ts")] });
    expect(botReviews(h, second)[0]!.body).toContain("1 of 3 agents raised a concern");
    expect(labelsOf(h.sandbox, second)).toEqual([]);
    expect(checkRunsOf(h, second)[0]).toMatchObject({ conclusion: "neutral" });

    verdicts = { alpha: "approve", beta: "approve", gamma: "approve" };
    const third = await openPr(h, { head: "three", files: [changedApp("x", "src/three.ts")] });
    expect(botReviews(h, third).map((review) => review.state)).toEqual(["COMMENTED"]);
    expect(botReviews(h, third)[0]!.body).toContain("Approved by 3 of 3 agents");
    expect(checkRunsOf(h, third)[0]).toMatchObject({ conclusion: "success" });

    // With `allowApprove` (and the configured approved label) the same verdicts approve.
    h.sandbox.setFile(".github/orkestra.yml", reviewConfig({ alpha: {}, beta: {}, gamma: {} }, "allowApprove: true\nlabels: { approved: review:approved }"));
    const fourth = await openPr(h, { head: "four", files: [changedApp("x", "src/four.ts")] });
    expect(botReviews(h, fourth).map((review) => review.state)).toEqual(["APPROVED"]);
    expect(labelsOf(h.sandbox, fourth)).toEqual(["review:approved"]);
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

  it("an agent that times out and one that answers invalid output abstain; the review is still posted and lists them as missing", async () => {
    const config = reviewConfig({ alpha: {}, slow: { delayMs: 400, timeoutMs: 40, maxRetries: 0 }, broken: { invalidOutputs: 9 } });
    h = await startHarness(door, { files: { ".github/orkestra.yml": config } });
    const calls: string[] = [];
    cleanups.push(scriptReviews((agent) => (agent === "alpha" ? approve("Fine by me.") : concern("never seen")), calls));
    const pr = await openPr(h);
    const [review] = botReviews(h, pr);
    expect(review!.body).toContain("Approved by 1 of 1 agent");
    expect(review!.body).toContain("- ⏸️ **slow** — no answer (timed out)");
    expect(review!.body).toContain("- ⏸️ **broken** — no answer (invalid answer)");
    expect(review!.body).not.toContain("never seen");
    // The broken agent got its one correction turn; the slow one never answered.
    expect(calls.sort()).toEqual(["alpha"]);
    expect(checkRunsOf(h, pr)[0]).toMatchObject({ conclusion: "success" });
    expect(checkRunsOf(h, pr)[0]!.output.summary).toContain("- **slow**: no answer (timeout)");
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
