import { describe, expect, it } from "vitest";
import type { SandboxEvent } from "../../tools/sandbox/index.js";
import { failure, octokitFor, repoOf, sandboxFor } from "./helpers.js";
import { webhookSchemaErrors } from "./webhook-schemas.js";

const lines = (items: string[]) => `${items.join("\n")}\n`;
const BEFORE = lines(["l1", "l2", "l3", "l4", "l5", "l6", "l7", "l8", "l9", "l10"]);
const AFTER = lines(["l1", "l2", "l3", "l4", "L5", "l6", "l7", "l8", "l9", "l10", "l11"]);

async function reviewSetup() {
  const { sandbox } = await sandboxFor({ collaborators: { maya: "write", rev: "write", lead: "maintain" }, files: { "src/app.ts": BEFORE } });
  // One hunk: @@ -2,9 +2,10 @@ with l5 → L5 and l11 added.
  const pull = sandbox.as("maya").openPullRequest({ title: "Shout", head: "shout", files: [{ path: "src/app.ts", after: AFTER }] });
  const target = { ...repoOf(sandbox), pull_number: pull.number };
  return { sandbox, pull, target };
}

const kinds = (events: readonly SandboxEvent[]) => events.map((e) => `${e.name}.${String(e.payload.action)}`);

describe("pull request reviews", () => {
  it("places comments on the diff's lines by side, range or position, as GitHub does", async () => {
    const { sandbox, pull, target } = await reviewSetup();
    const rev = octokitFor(sandbox, sandbox.tokenFor("rev"));
    const { data: review, status } = await rev.rest.pulls.createReview({
      ...target,
      event: "REQUEST_CHANGES",
      body: "Please reconsider",
      comments: [
        { path: "src/app.ts", line: 5, body: "Why capitals?" },
        { path: "src/app.ts", line: 5, side: "LEFT", body: "The old line" },
        { path: "src/app.ts", start_line: 8, line: 11, body: "This range" },
        { path: "src/app.ts", position: 1, body: "By position" },
      ],
    });
    expect(status).toBe(200);
    expect(review).toMatchObject({ state: "CHANGES_REQUESTED", user: { login: "rev" }, commit_id: pull.head.sha, body: "Please reconsider" });
    const { data: comments } = await rev.rest.pulls.listReviewComments(target);
    expect(comments.map((c) => [c.body, c.side, c.line, c.start_line, c.position, c.pull_request_review_id])).toEqual([
      ["Why capitals?", "RIGHT", 5, null, 5, review.id],
      ["The old line", "LEFT", 5, null, 4, review.id],
      ["This range", "RIGHT", 11, 8, 11, review.id],
      ["By position", "RIGHT", 2, null, 1, review.id],
    ]);
    expect(comments[0]?.diff_hunk).toBe("@@ -2,9 +2,10 @@\n l2\n l3\n l4\n-l5\n+L5");
    await sandbox.settled();
    expect(kinds(sandbox.deliveries)).toEqual([
      "pull_request.opened",
      "pull_request_review.submitted",
      "pull_request_review_comment.created",
      "pull_request_review_comment.created",
      "pull_request_review_comment.created",
      "pull_request_review_comment.created",
    ]);
    for (const event of sandbox.deliveries) expect(webhookSchemaErrors(event.name, event.payload)).toEqual([]);
    expect(sandbox.deliveries[1]?.payload).toMatchObject({ review: { state: "changes_requested", id: review.id }, pull_request: { number: pull.number } });
  });

  it("refuses lines outside the hunks, unknown paths and approving one's own pull request, storing nothing", async () => {
    const { sandbox, target } = await reviewSetup();
    const rev = octokitFor(sandbox, sandbox.tokenFor("rev"));
    const outside = await failure(rev.rest.pulls.createReview({ ...target, event: "COMMENT", body: "x", comments: [{ path: "src/app.ts", line: 1, body: "l1 is not shown" }] }));
    expect(outside).toMatchObject({ status: 422 });
    expect(outside.body).toEqual({
      message: "Unprocessable Entity",
      errors: ["Line could not be resolved"],
      documentation_url: "https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request",
      status: "422",
    });
    const leftOfAdded = await failure(rev.rest.pulls.createReview({ ...target, event: "COMMENT", comments: [{ path: "src/app.ts", line: 11, side: "LEFT", body: "x" }] }));
    expect(leftOfAdded.body).toMatchObject({ errors: ["Line could not be resolved"] });
    const unknownPath = await failure(rev.rest.pulls.createReview({ ...target, event: "COMMENT", comments: [{ path: "nope.ts", line: 2, body: "x" }] }));
    expect(unknownPath.body).toMatchObject({ errors: ["Path could not be resolved"] });
    const own = await failure(octokitFor(sandbox, sandbox.tokenFor("maya")).rest.pulls.createReview({ ...target, event: "APPROVE" }));
    expect(own.body).toMatchObject({ message: "Unprocessable Entity", errors: ["Can not approve your own pull request"] });
    expect(() => sandbox.as("maya").review(target.pull_number, { event: "REQUEST_CHANGES", body: "me" })).toThrow(/Can not request changes on your own/);
    const badEvent = await failure(rev.request("POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews", { ...target, event: "LGTM" } as never));
    expect(badEvent.body).toMatchObject({ message: expect.stringContaining(`For 'properties/event', "LGTM" is not a member of`) });
    expect(sandbox.violations.map((v) => v.kind)).toEqual(["request"]);
    sandbox.clearViolations();
    expect(sandbox.state.reviews(target.pull_number)).toEqual([]);
    expect(sandbox.state.reviewComments(target.pull_number)).toEqual([]);
  });

  /** An approval and a comment by rev (write), and a pending review by lead (maintain). */
  async function threeReviews() {
    const { sandbox, target } = await reviewSetup();
    const approval = sandbox.as("rev").review(target.pull_number, { event: "APPROVE" });
    const comment = sandbox.as("rev").review(target.pull_number, { event: "COMMENT", body: "Nice" });
    const pending = sandbox.as("lead").review(target.pull_number, { body: "draft thoughts" });
    const author = octokitFor(sandbox, sandbox.tokenFor("maya"));
    const lead = octokitFor(sandbox, sandbox.tokenFor("lead"));
    return { sandbox, target, approval, comment, pending, author, lead };
  }

  it("keeps a pending review private to its author", async () => {
    const { sandbox, target, pending, author, lead } = await threeReviews();
    expect(pending).toMatchObject({ state: "PENDING" });
    expect(pending.submitted_at).toBeUndefined();
    expect((await author.rest.pulls.listReviews(target)).data.map((r) => r.state)).toEqual(["APPROVED", "COMMENTED"]);
    expect((await lead.rest.pulls.listReviews(target)).data.map((r) => r.state)).toEqual(["APPROVED", "COMMENTED", "PENDING"]);
    expect((await failure(author.rest.pulls.getReview({ ...target, review_id: pending.id }))).status).toBe(404);
    await sandbox.settled();
    expect(kinds(sandbox.deliveries)).toEqual(["pull_request.opened", "pull_request_review.submitted", "pull_request_review.submitted"]);
  });

  it("needs push access to dismiss a review", async () => {
    const { sandbox, target, approval } = await threeReviews();
    const outsider = octokitFor(sandbox, sandbox.tokenFor("olaf"));
    expect((await failure(outsider.rest.pulls.dismissReview({ ...target, review_id: approval.id, message: "no" }))).status).toBe(403);
  });

  it("dismisses an approval and announces it", async () => {
    const { sandbox, target, approval, lead } = await threeReviews();
    const { data: dismissed } = await lead.rest.pulls.dismissReview({ ...target, review_id: approval.id, message: "Stale approval" });
    expect(dismissed.state).toBe("DISMISSED");
    await sandbox.settled();
    expect(kinds(sandbox.deliveries)).toEqual([
      "pull_request.opened",
      "pull_request_review.submitted",
      "pull_request_review.submitted",
      "pull_request_review.dismissed",
    ]);
    for (const event of sandbox.deliveries) expect(webhookSchemaErrors(event.name, event.payload)).toEqual([]);
  });

  it("refuses to dismiss a comment review", async () => {
    const { target, comment, lead } = await threeReviews();
    const refused = await failure(lead.rest.pulls.dismissReview({ ...target, review_id: comment.id, message: "x" }));
    expect(refused.body).toMatchObject({ errors: ["Can not dismiss a commented pull request review"] });
  });
});
