import { describe, expect, it } from "vitest";
import { failure, octokitFor, repoOf, sandboxFor } from "./helpers.js";

describe("reactions", () => {
  it("answers 201 for a new reaction and 200 with the same one when repeated, keeping the rollup in sync", async () => {
    const { sandbox } = await sandboxFor();
    const comment = sandbox.as("ann").comment(sandbox.as("ann").openIssue({ title: "t" }).number, "proposal");
    const ann = octokitFor(sandbox, sandbox.tokenFor("ann"));
    const bob = octokitFor(sandbox, sandbox.tokenFor("bob"));
    const target = { ...repoOf(sandbox), comment_id: comment.id };

    const first = await bob.rest.reactions.createForIssueComment({ ...target, content: "+1" });
    expect(first.status).toBe(201);
    expect(first.data).toMatchObject({ content: "+1", user: { login: "bob" } });
    const again = await bob.rest.reactions.createForIssueComment({ ...target, content: "+1" });
    expect(again.status).toBe(200);
    expect(again.data.id).toBe(first.data.id);
    await ann.rest.reactions.createForIssueComment({ ...target, content: "+1" });
    await ann.rest.reactions.createForIssueComment({ ...target, content: "eyes" });

    const rollup = (await ann.rest.issues.getComment(target)).data.reactions;
    expect(rollup).toMatchObject({ total_count: 3, "+1": 2, eyes: 1, "-1": 0, url: `${sandbox.url}/repos/octo-org/orkestra-demo/issues/comments/${comment.id}/reactions` });
    expect((await ann.rest.reactions.listForIssueComment({ ...target, content: "+1" })).data.map((r) => r.user?.login)).toEqual(["bob", "ann"]);

    expect((await bob.rest.reactions.deleteForIssueComment({ ...target, reaction_id: first.data.id })).status).toBe(204);
    expect(sandbox.state.comments(1)[0]?.reactions).toMatchObject({ total_count: 2, "+1": 1 });
    expect(sandbox.state.reactions(comment.id).map((r) => r.content)).toEqual(["+1", "eyes"]);
    expect((await failure(bob.rest.reactions.deleteForIssueComment({ ...target, reaction_id: first.data.id }))).status).toBe(404);
  });

  it("reacts to issues and refuses unknown content", async () => {
    const { sandbox } = await sandboxFor();
    const issue = sandbox.as("ann").openIssue({ title: "t" });
    const octokit = octokitFor(sandbox, sandbox.tokenFor("bob"));
    const created = await octokit.rest.reactions.createForIssue({ ...repoOf(sandbox), issue_number: issue.number, content: "rocket" });
    expect(created.status).toBe(201);
    expect(sandbox.state.issue(issue.number)?.reactions).toMatchObject({ total_count: 1, rocket: 1 });
    const bad = await failure(
      octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/reactions", { ...repoOf(sandbox), issue_number: issue.number, content: "party" } as never),
    );
    expect(bad.status).toBe(422);
    expect(sandbox.violations).toMatchObject([{ kind: "request", message: expect.stringContaining('"party" is not a member of') }]);
    sandbox.clearViolations();
  });
});
