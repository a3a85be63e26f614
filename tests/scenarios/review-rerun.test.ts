import { Octokit } from "@octokit/rest";
import { afterEach, describe, expect, it } from "vitest";
import { DOORS, startHarness, type Harness } from "../support/harness.js";
import { approve, botReviews, checkRunsOf, openPr, reviewConfig, scriptReviews } from "../review-handler/support.js";

const cleanups: Array<() => void> = [];

describe.each(DOORS)("Re-run on the orkestra/review check through the %s", (door) => {
  let h: Harness;
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    expect(h.sandbox.violations).toEqual([]);
    await h.close();
  });

  async function reviewedPr(calls: string[]): Promise<number> {
    h = await startHarness(door, { files: { ".github/orkestra.yml": reviewConfig({ alpha: {}, beta: {} }) } });
    cleanups.push(scriptReviews(() => approve(), calls));
    const pr = await openPr(h);
    expect(calls.sort()).toEqual(["alpha", "beta"]);
    return pr;
  }

  /** A person with write access presses Re-run; the clock moves on first, as between two clicks. */
  async function rerun(by: string, checkRunId: number) {
    h.clock.advance(60_000);
    h.sandbox.as(by).rerunCheck(checkRunId);
    await h.settle();
    return h.sandbox.deliveries.filter((event) => event.name === "check_run" && event.payload.action === "rerequested").at(-1)!;
  }

  it("reviews the unchanged head again: the agents are asked and a new check run concludes", async () => {
    const calls: string[] = [];
    const pr = await reviewedPr(calls);
    const [first] = checkRunsOf(h, pr);
    const event = await rerun("alice", first!.id);
    if (door === "action") {
      // The check run was made with the job's GITHUB_TOKEN, so it sits in GitHub Actions' suite: GitHub
      // starts no workflow on `check_run` for it (against recursion), and the Re-run reaches no Action.
      expect(event.viaActionsToken).toBe(true);
      expect(calls).toHaveLength(2);
      // Handed to the Action anyway (a workflow whose token is an App's gets its own check runs' events), the core re-reviews.
      await h.deliver("check_run", event.payload);
    }
    expect(calls.sort()).toEqual(["alpha", "alpha", "beta", "beta"]);
    const runs = checkRunsOf(h, pr);
    expect(runs).toHaveLength(2);
    expect(runs.at(-1)).toMatchObject({ status: "completed", conclusion: "success", head_sha: first!.head_sha });
    expect(botReviews(h, pr)).toHaveLength(2);

    // A redelivered Re-run finds the review that answered it: nobody is asked again.
    await h.redeliver(door === "action" ? { ...event, viaActionsToken: false } : event);
    expect(calls).toHaveLength(4);
    expect(checkRunsOf(h, pr)).toHaveLength(2);
  });

  it("does nothing for a Re-run of another app's check run of the same name", async () => {
    const calls: string[] = [];
    const pr = await reviewedPr(calls);
    // The other door's identity: GitHub Actions' token for the App, the App's installation for the Action.
    const other = new Octokit({ auth: door === "app" ? h.sandbox.tokens.actions : h.sandbox.tokens.installation, baseUrl: h.sandbox.url });
    const { data: foreign } = await other.rest.checks.create({
      owner: h.sandbox.owner,
      repo: h.sandbox.repo,
      name: "orkestra/review",
      head_sha: h.sandbox.state.pull(pr)!.head.sha,
      status: "completed",
      conclusion: "failure",
      output: { title: "Someone else's", summary: "Not Orkestra's check" },
    });
    await h.settle();
    const event = await rerun("alice", foreign.id);
    await h.deliver("check_run", event.payload);
    expect(calls).toHaveLength(2);
    expect(botReviews(h, pr)).toHaveLength(1);
    expect(checkRunsOf(h, pr).map((run) => run.id)).toEqual([checkRunsOf(h, pr)[0]!.id, foreign.id]);
  });

  it("is not Orkestra's to run for a person without write access: GitHub shows them no button, and a handed event asks no agent", async () => {
    const calls: string[] = [];
    const pr = await reviewedPr(calls);
    const [first] = checkRunsOf(h, pr);
    expect(() => h.sandbox.as("rita").rerunCheck(first!.id)).toThrow(/403/);
    const event = await rerun("alice", first!.id);
    // Without a completion time a Re-run is answered only by a review made after it: had rita counted, the agents would be asked.
    const checkRun = { ...(event.payload.check_run as object), completed_at: null };
    h.clock.advance(60_000);
    await h.deliver("check_run", { ...event.payload, check_run: checkRun, sender: { ...(event.payload.sender as object), login: "rita" } });
    // The App door heard alice's Re-run (one more review); rita's asked nobody in either door.
    expect(calls).toHaveLength(door === "app" ? 4 : 2);
  });
});
