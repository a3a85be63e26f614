import { describe, expect, it } from "vitest";
import { failure, octokitFor, repoOf, sandboxFor } from "./helpers.js";
import { webhookSchemaErrors } from "./webhook-schemas.js";

describe("issue_dependencies webhooks", () => {
  it("a relation added or removed is told to both sides, by whoever did it, in GitHub's schema", async () => {
    const { sandbox } = await sandboxFor({ collaborators: { maya: "triage" } });
    const design = sandbox.as("maya").openIssue({ title: "design" });
    const build = sandbox.as("maya").openIssue({ title: "build" });
    const octokit = octokitFor(sandbox, sandbox.tokenFor("maya"));
    const blocked = { ...repoOf(sandbox), issue_number: build.number };
    await sandbox.settled();
    const before = sandbox.deliveries.length;

    await octokit.rest.issues.addBlockedByDependency({ ...blocked, issue_id: design.id });
    // Refused: no event.
    expect((await failure(octokit.rest.issues.addBlockedByDependency({ ...blocked, issue_id: design.id }))).status).toBe(422);
    await octokit.rest.issues.removeDependencyBlockedBy({ ...blocked, issue_id: design.id });
    await sandbox.settled();

    const events = sandbox.deliveries.slice(before);
    expect(events.map((event) => `${event.name}.${String(event.payload.action)}`)).toEqual([
      "issue_dependencies.blocked_by_added",
      "issue_dependencies.blocking_added",
      "issue_dependencies.blocked_by_removed",
      "issue_dependencies.blocking_removed",
    ]);
    for (const event of events) {
      expect(event.payload).toMatchObject({ blocked_issue: { number: build.number }, blocking_issue: { number: design.number }, sender: { login: "maya" } });
      // The sandbox models no organisation, which these schemas require: everything else must fit.
      expect(webhookSchemaErrors(event.name, { organization: {}, ...event.payload }).filter((error) => !error.includes("organization"))).toEqual([]);
    }
    const here = `${sandbox.owner}/${sandbox.repo}`;
    expect(events[0]?.payload).toMatchObject({ blocked_issue_id: build.id, blocking_issue_id: design.id, blocking_issue_repo: { full_name: here } });
    expect(events[1]?.payload).toMatchObject({ blocked_issue_repo: { full_name: here } });
  });
});

describe("review comments on a diff line", () => {
  it("are created one at a time, and take reactions at their own endpoint only", async () => {
    const { sandbox } = await sandboxFor({ collaborators: { maya: "write", rita: "read" } });
    const pull = sandbox.as("maya").openPullRequest({ title: "Tidy", head: "tidy", files: [{ path: "a.ts", before: "a\n", after: "b\n" }] });
    const maya = octokitFor(sandbox, sandbox.tokenFor("maya"));
    const rita = octokitFor(sandbox, sandbox.tokenFor("rita"));
    const repo = repoOf(sandbox);

    const unplaced = await failure(rita.rest.pulls.createReviewComment({ ...repo, pull_number: pull.number, body: "x", commit_id: pull.head.sha, path: "a.ts", line: 9 }));
    expect(unplaced.status).toBe(422);
    const { data: comment, status } = await rita.rest.pulls.createReviewComment({ ...repo, pull_number: pull.number, body: "/help", commit_id: pull.head.sha, path: "a.ts", line: 1 });
    expect(status).toBe(201);
    await sandbox.settled();
    const created = sandbox.deliveries.filter((event) => event.name === "pull_request_review_comment");
    expect(created.map((event) => event.payload.action)).toEqual(["created"]);
    expect(webhookSchemaErrors("pull_request_review_comment", { organization: {}, ...created[0]!.payload }).filter((error) => !error.includes("organization"))).toEqual([]);

    expect((await maya.rest.reactions.createForPullRequestReviewComment({ ...repo, comment_id: comment.id, content: "eyes" })).status).toBe(201);
    expect((await maya.rest.reactions.createForPullRequestReviewComment({ ...repo, comment_id: comment.id, content: "eyes" })).status).toBe(200);
    const listed = await maya.rest.reactions.listForPullRequestReviewComment({ ...repo, comment_id: comment.id });
    expect(listed.data.map((reaction) => [reaction.content, reaction.user?.login])).toEqual([["eyes", "maya"]]);
    // An issue comment's endpoint does not know a review comment, nor the other way round.
    expect((await failure(maya.rest.reactions.createForIssueComment({ ...repo, comment_id: comment.id, content: "eyes" }))).status).toBe(404);
    const issueComment = sandbox.as("maya").comment(pull.number, "hello");
    expect((await failure(maya.rest.reactions.createForPullRequestReviewComment({ ...repo, comment_id: issueComment.id, content: "eyes" }))).status).toBe(404);
  });
});
