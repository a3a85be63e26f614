import { describe, expect, it } from "vitest";
import { failure, octokitFor, repoOf, sandboxFor } from "./helpers.js";

describe("issue comments", () => {
  it("creates, reads, edits and deletes, keeping the issue's comment count", async () => {
    const { sandbox, clock } = await sandboxFor();
    const octokit = octokitFor(sandbox, sandbox.tokenFor("ann"));
    const issue = { ...repoOf(sandbox), issue_number: sandbox.as("ann").openIssue({ title: "t" }).number };
    const { data: created, status } = await octokit.rest.issues.createComment({ ...issue, body: "/vote yes" });
    expect(status).toBe(201);
    expect(created).toMatchObject({
      body: "/vote yes",
      user: { login: "ann" },
      author_association: "NONE",
      issue_url: `${sandbox.url}/repos/octo-org/orkestra-demo/issues/1`,
      html_url: `${sandbox.url}/octo-org/orkestra-demo/issues/1#issuecomment-${created.id}`,
      performed_via_github_app: null,
    });
    expect(sandbox.state.issue(1)?.comments).toBe(1);

    clock.advance(5_000);
    const edited = await octokit.rest.issues.updateComment({ ...repoOf(sandbox), comment_id: created.id, body: "/vote no" });
    expect(edited.data).toMatchObject({ body: "/vote no", created_at: created.created_at, updated_at: "2030-01-01T00:00:05Z" });
    expect((await octokit.rest.issues.getComment({ ...repoOf(sandbox), comment_id: created.id })).data.body).toBe("/vote no");

    expect((await octokit.rest.issues.deleteComment({ ...repoOf(sandbox), comment_id: created.id })).status).toBe(204);
    expect((await failure(octokit.rest.issues.getComment({ ...repoOf(sandbox), comment_id: created.id }))).status).toBe(404);
    expect(sandbox.state.issue(1)?.comments).toBe(0);
  });

  it("accepts 65,536 characters and refuses one more", async () => {
    const { sandbox } = await sandboxFor();
    const octokit = octokitFor(sandbox, sandbox.tokenFor("ann"));
    const issue = { ...repoOf(sandbox), issue_number: sandbox.as("ann").openIssue({ title: "t" }).number };
    await octokit.rest.issues.createComment({ ...issue, body: "x".repeat(65_536) });
    const tooLong = await failure(octokit.rest.issues.createComment({ ...issue, body: "x".repeat(65_537) }));
    expect(tooLong.status).toBe(422);
    expect(tooLong.body).toMatchObject({
      message: "Validation Failed",
      errors: [{ resource: "IssueComment", code: "custom", field: "body", message: "body is too long (maximum is 65536 characters)" }],
      status: "422",
    });
    expect(sandbox.state.comments(issue.issue_number)).toHaveLength(1);
  });

  it("lets only the author (or write access) edit or delete a comment", async () => {
    const { sandbox } = await sandboxFor({ collaborators: { mod: "write" } });
    const comment = sandbox.as("ann").comment(sandbox.as("ann").openIssue({ title: "t" }).number, "mine");
    const other = octokitFor(sandbox, sandbox.tokenFor("bob"));
    expect((await failure(other.rest.issues.updateComment({ ...repoOf(sandbox), comment_id: comment.id, body: "x" }))).status).toBe(403);
    expect((await failure(other.rest.issues.deleteComment({ ...repoOf(sandbox), comment_id: comment.id }))).status).toBe(403);
    const mod = octokitFor(sandbox, sandbox.tokenFor("mod"));
    await mod.rest.issues.updateComment({ ...repoOf(sandbox), comment_id: comment.id, body: "moderated" });
    expect(sandbox.state.comments(1)[0]?.body).toBe("moderated");
  });

  it("lists an issue's comments and the repository's, with since", async () => {
    const { sandbox, clock } = await sandboxFor();
    const ann = sandbox.as("ann");
    const one = ann.openIssue({ title: "one" }).number;
    const two = ann.openIssue({ title: "two" }).number;
    ann.comment(one, "a");
    clock.advance(60_000);
    ann.comment(two, "b");
    ann.comment(one, "c");
    const octokit = octokitFor(sandbox, sandbox.tokenFor("ann"));
    const onIssue = await octokit.rest.issues.listComments({ ...repoOf(sandbox), issue_number: one });
    expect(onIssue.data.map((c) => c.body)).toEqual(["a", "c"]);
    const since = await octokit.rest.issues.listComments({ ...repoOf(sandbox), issue_number: one, since: "2030-01-01T00:00:30Z" });
    expect(since.data.map((c) => c.body)).toEqual(["c"]);
    const repoWide = await octokit.rest.issues.listCommentsForRepo({ ...repoOf(sandbox), sort: "created", direction: "desc" });
    expect(repoWide.data.map((c) => c.body)).toEqual(["c", "b", "a"]);
  });
});
