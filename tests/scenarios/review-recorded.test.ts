import { createRequire } from "node:module";
import type { WebhookDefinition } from "@octokit/webhooks-examples";
import { afterEach, describe, expect, it } from "vitest";
import { DOORS, orkestraRequests, startHarness, type Door, type Harness } from "../support/harness.js";
import { approve, blocker, botReviews, changedApp, checkRunsOf, reviewConfig, scriptReviews } from "../review-handler/support.js";

const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as WebhookDefinition[];

/** GitHub's recorded `pull_request` delivery for `action`, pointed at the sandbox PR's head. */
function recorded(action: string, headSha: string, installation: number): Record<string, unknown> {
  const samples = examples.find((entry) => entry.name === "pull_request")!.examples as unknown as Array<Record<string, unknown>>;
  const payload = structuredClone(samples.find((sample) => sample.action === action)!) as Record<string, unknown> & { pull_request: { head: Record<string, unknown> } };
  payload.pull_request.head.sha = headSha;
  if (action === "synchronize") payload.after = headSha;
  return { ...payload, installation: { id: installation } };
}

const cleanups: Array<() => void> = [];

/** The samples' repository (Codertocat/Hello-World, default branch master) with PR #2 from `changes`. */
async function play(door: Door): Promise<{ h: Harness; requests: string[] }> {
  const h = await startHarness(
    door,
    { owner: "Codertocat", repo: "Hello-World", defaultBranch: "master", collaborators: { Codertocat: "admin" }, files: { ".github/orkestra.yml": reviewConfig({ alpha: {}, beta: {} }) } },
    { autoDeliver: false },
  );
  const installation = h.sandbox.app.installationId;
  h.sandbox.as("Codertocat").openIssue({ title: "Spelling error in the README file" });
  const pull = h.sandbox.as("Codertocat").openPullRequest({ title: "Update the README with new information.", head: "changes", files: [changedApp()] });
  expect(pull.number).toBe(2);
  h.sandbox.clearRequests();
  await h.deliver("pull_request", recorded("opened", pull.head.sha, installation));
  const requests = orkestraRequests(h.sandbox);
  const pushed = h.sandbox.as("Codertocat").pushCommits(2, [changedApp("pushed")]);
  await h.deliver("pull_request", recorded("synchronize", pushed.head.sha, installation));
  h.sandbox.clearRequests();
  await h.deliver("pull_request", recorded("synchronize", pushed.head.sha, installation));
  expect(orkestraRequests(h.sandbox).filter((line) => !line.startsWith("GET"))).toEqual([]);
  return { h, requests };
}

describe("recorded pull_request payloads", () => {
  const open: Harness[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    for (const h of open) expect(h.sandbox.violations).toEqual([]);
    await Promise.all(open.splice(0).map((h) => h.close()));
  });

  it("are reviewed, superseded and redelivered the same way through the app and the Action", async () => {
    // Alpha blocks the first head; after the push everybody approves.
    cleanups.push(scriptReviews((agent, call) => (agent === "alpha" && !call.data.some((block) => block.content.includes("pushed five")) ? blocker("Not yet.") : approve())));
    const runs: Array<{ h: Harness; requests: string[] }> = [];
    for (const door of DOORS) {
      runs.push(await play(door));
      open.push(runs.at(-1)!.h);
    }
    const [app, action] = runs;
    expect(action!.requests).toEqual(app!.requests);
    expect(app!.requests).toEqual([
      // Whether Orkestra is paused (no: the state refs list none), and the ledger's head.
      "GET /repos/{owner}/{repo}/git/matching-refs/{ref}",
      "GET /repos/{owner}/{repo}/contents/{path}",
      "GET /repos/{owner}/{repo}/pulls/{pull_number}",
      "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews",
      "GET /repos/{owner}/{repo}/pulls/{pull_number}/files",
      "POST /repos/{owner}/{repo}/check-runs",
      // Today's agent spending and health so far (budgets.perDay), read before the first call; none
      // yet today, so yesterday's record is looked for, to carry agents' health over.
      "GET /repos/{owner}/{repo}/git/ref/{ref}",
      "GET /repos/{owner}/{repo}/git/ref/{ref}",
      "GET /repos/{owner}/{repo}/pulls/{pull_number}",
      "POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews",
      "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}",
      "POST /repos/{owner}/{repo}/issues/{issue_number}/labels",
      "PATCH /repos/{owner}/{repo}/labels/{name}",
      "GET /repos/{owner}/{repo}/issues/{issue_number}/comments",
      "GET /repos/{owner}/{repo}/pulls",
      // What this run spent, added to the day's record: the first record of the day is a new ref.
      "GET /repos/{owner}/{repo}/git/ref/{ref}",
      "GET /repos/{owner}/{repo}/git/commits/{commit_sha}",
      "POST /repos/{owner}/{repo}/git/commits",
      "POST /repos/{owner}/{repo}/git/refs",
      // The run's entries in the decision ledger: its first batch, and the ledger's ref made.
      "POST /repos/{owner}/{repo}/git/commits",
      "POST /repos/{owner}/{repo}/git/refs",
    ]);
    for (const { h } of runs) {
      expect(botReviews(h, 2).map((review) => review.state)).toEqual(["DISMISSED", "COMMENTED"]);
      expect(checkRunsOf(h, 2).map((run) => run.conclusion)).toEqual(["success"]);
    }
  });
});
