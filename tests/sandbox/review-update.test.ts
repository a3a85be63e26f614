import { Octokit } from "@octokit/rest";
import { afterEach, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../../tools/sandbox/index.js";

describe("editing a review", () => {
  let sandbox: Sandbox;
  afterEach(async () => {
    await sandbox.close();
    expect(sandbox.violations).toEqual([]);
  });

  it("lets its author change the body, announces it, and refuses anyone else", async () => {
    sandbox = await startSandbox({ collaborators: { alice: "write", bob: "write" } });
    const pr = sandbox.as("bob").openPullRequest({ title: "Change", head: "change", files: [{ path: "a.txt", after: "one\n" }] });
    const alice = new Octokit({ auth: sandbox.tokenFor("alice"), baseUrl: sandbox.url });
    const bob = new Octokit({ auth: sandbox.tokenFor("bob"), baseUrl: sandbox.url });
    const repo = { owner: sandbox.owner, repo: sandbox.repo, pull_number: pr.number };
    const { data: review } = await alice.rest.pulls.createReview({ ...repo, event: "COMMENT", body: "First thoughts" });
    const { data: edited } = await alice.rest.pulls.updateReview({ ...repo, review_id: review.id, body: "Superseded" });
    expect(edited.body).toBe("Superseded");
    const event = sandbox.deliveries.find((delivery) => delivery.name === "pull_request_review" && delivery.payload.action === "edited");
    expect(event?.payload.changes).toEqual({ body: { from: "First thoughts" } });
    await expect(bob.rest.pulls.updateReview({ ...repo, review_id: review.id, body: "mine now" })).rejects.toMatchObject({ status: 403 });
    await expect(alice.rest.pulls.updateReview({ ...repo, review_id: review.id, body: " " })).rejects.toMatchObject({ status: 422 });
  });
});
