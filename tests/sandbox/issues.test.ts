import { describe, expect, it } from "vitest";
import { failure, octokitFor, repoOf, sandboxFor, START } from "./helpers.js";

describe("issues", () => {
  it("numbers issues and pull requests from one sequence; ids are distinct from numbers", async () => {
    const { sandbox } = await sandboxFor({ collaborators: { maya: "write" } });
    const octokit = octokitFor(sandbox, sandbox.tokenFor("maya"));
    const first = await octokit.rest.issues.create({ ...repoOf(sandbox), title: "one" });
    // The pull request side is not served yet; mark an issue record as the issue of a pull request.
    const second = sandbox.as("maya").openIssue({ title: "a pull request" });
    sandbox.internals.store.issues.get(second.number)!.pullRequest = { mergedAt: null, draft: false };
    const third = await octokit.rest.issues.create({ ...repoOf(sandbox), title: "three" });
    expect([first.data.number, second.number, third.data.number]).toEqual([1, 2, 3]);
    expect(first.data.id).not.toBe(first.data.number);
    expect(first.data.node_id).toBe(Buffer.from(`05:Issue${first.data.id}`).toString("base64"));

    const listed = await octokit.rest.issues.listForRepo({ ...repoOf(sandbox) });
    expect(listed.data.map((i) => i.number)).toEqual([3, 2, 1]);
    expect(listed.data.find((i) => i.number === 2)?.pull_request?.url).toBe(`${sandbox.url}/repos/octo-org/orkestra-demo/pulls/2`);
    expect(listed.data.find((i) => i.number === 1)).not.toHaveProperty("pull_request");
  });

  it("creates with the real shape and edits title, body, state and state_reason", async () => {
    const { sandbox } = await sandboxFor({ collaborators: { maya: "write" } });
    const octokit = octokitFor(sandbox, sandbox.tokenFor("maya"));
    const { data: issue } = await octokit.rest.issues.create({ ...repoOf(sandbox), title: "Plan", body: "Steps" });
    expect(issue).toMatchObject({
      number: 1,
      title: "Plan",
      body: "Steps",
      state: "open",
      state_reason: null,
      comments: 0,
      labels: [],
      assignees: [],
      locked: false,
      closed_at: null,
      created_at: START,
      updated_at: START,
      user: { login: "maya", type: "User" },
      author_association: "COLLABORATOR",
      html_url: `${sandbox.url}/octo-org/orkestra-demo/issues/1`,
      url: `${sandbox.url}/repos/octo-org/orkestra-demo/issues/1`,
      comments_url: `${sandbox.url}/repos/octo-org/orkestra-demo/issues/1/comments`,
      reactions: { total_count: 0, "+1": 0 },
    });

    const closed = await octokit.rest.issues.update({ ...repoOf(sandbox), issue_number: 1, state: "closed", state_reason: "not_planned" });
    expect(closed.data).toMatchObject({ state: "closed", state_reason: "not_planned", closed_by: { login: "maya" }, closed_at: START });
    const reopened = await octokit.rest.issues.update({ ...repoOf(sandbox), issue_number: 1, state: "open" });
    expect(reopened.data).toMatchObject({ state: "open", state_reason: "reopened", closed_at: null });
    const edited = await octokit.rest.issues.update({ ...repoOf(sandbox), issue_number: 1, title: "Plan v2", body: null });
    expect(edited.data).toMatchObject({ title: "Plan v2", body: null });

    const badState = await failure(octokit.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", { ...repoOf(sandbox), issue_number: 1, state: "merged" } as never));
    expect(badState.status).toBe(422);
    const noTitle = await failure(octokit.request("POST /repos/{owner}/{repo}/issues", { ...repoOf(sandbox), body: "x" } as never));
    // Both break GitHub's schema for the endpoint, so they are refused as GitHub words it.
    expect(noTitle.body).toEqual({
      message: 'Invalid request.\n\n"title" wasn\'t supplied.',
      documentation_url: "https://docs.github.com/rest/issues/issues#create-an-issue",
      status: "422",
    });
    expect(sandbox.violations.map((v) => `${v.method} ${v.kind}: ${v.message}`)).toEqual([
      `PATCH request: For 'properties/state', "merged" is not a member of ["open","closed"].`,
      `POST request: "title" wasn't supplied.`,
    ]);
    sandbox.clearViolations();
    // A title that fits the schema but is blank is refused by the issue rules themselves.
    const blank = await failure(octokit.rest.issues.create({ ...repoOf(sandbox), title: " " }));
    expect(blank.body).toMatchObject({ message: "Validation Failed", errors: [{ resource: "Issue", code: "missing_field", field: "title" }] });
  });

  it("answers 404 for an unknown issue and 410 for a deleted one", async () => {
    const { sandbox } = await sandboxFor({ collaborators: { boss: "admin" } });
    const octokit = octokitFor(sandbox, sandbox.tokenFor("boss"));
    const missing = await failure(octokit.rest.issues.get({ ...repoOf(sandbox), issue_number: 99 }));
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ message: "Not Found", documentation_url: "https://docs.github.com/rest", status: "404" });

    const issue = sandbox.as("boss").openIssue({ title: "doomed" });
    sandbox.as("boss").deleteIssue(issue.number);
    const deleted = await failure(octokit.rest.issues.get({ ...repoOf(sandbox), issue_number: issue.number }));
    expect(deleted.status).toBe(410);
    expect(deleted.body).toEqual({ message: "This issue was deleted", documentation_url: "https://docs.github.com/rest", status: "410" });
    expect((await failure(octokit.rest.issues.listComments({ ...repoOf(sandbox), issue_number: issue.number }))).status).toBe(410);
    expect(sandbox.state.issues()).toEqual([]);
  });

  it("bumps updated_at on edit, label change, new comment, close and reopen — not on reads", async () => {
    const { sandbox, clock } = await sandboxFor({ collaborators: { maya: "write" } });
    const octokit = octokitFor(sandbox, sandbox.tokenFor("maya"));
    const at = (minutes: number) => new Date(Date.parse(START) + minutes * 60_000).toISOString().replace(".000Z", "Z");
    const issue = { ...repoOf(sandbox), issue_number: 1 };
    await octokit.rest.issues.create({ ...repoOf(sandbox), title: "t" });
    const steps: [number, () => Promise<unknown>][] = [
      [1, () => octokit.rest.issues.update({ ...issue, body: "b" })],
      [2, () => octokit.rest.issues.addLabels({ ...issue, labels: ["x"] })],
      [3, () => octokit.rest.issues.removeLabel({ ...issue, name: "x" })],
      [4, () => octokit.rest.issues.createComment({ ...issue, body: "c" })],
      [5, () => octokit.rest.issues.update({ ...issue, state: "closed" })],
      [6, () => octokit.rest.issues.update({ ...issue, state: "open" })],
    ];
    for (const [minute, step] of steps) {
      clock.set(at(minute));
      await step();
      expect(sandbox.state.issue(1)?.updated_at).toBe(at(minute));
    }
    clock.set(at(10));
    await octokit.rest.issues.get(issue);
    await octokit.rest.issues.listComments(issue);
    expect(sandbox.state.issue(1)?.updated_at).toBe(at(6));
    expect(sandbox.state.issue(1)?.created_at).toBe(START);
  });

  it("filters by state, labels (all of them, any case), since and creator; sorts by updated", async () => {
    const { sandbox, clock } = await sandboxFor({ collaborators: { maya: "write" } });
    const octokit = octokitFor(sandbox, sandbox.tokenFor("maya"));
    const maya = sandbox.as("maya");
    const a = maya.openIssue({ title: "a", labels: ["task", "p1"] });
    clock.advance(60_000);
    const b = maya.openIssue({ title: "b", labels: ["task"] });
    clock.advance(60_000);
    sandbox.as("outsider").openIssue({ title: "c" });
    clock.advance(60_000);
    maya.closeIssue(b.number, "completed");
    maya.comment(a.number, "touch");

    const list = async (query: Record<string, string>) =>
      (await octokit.rest.issues.listForRepo({ ...repoOf(sandbox), ...query })).data.map((i) => i.title);
    expect(await list({})).toEqual(["c", "a"]);
    expect(await list({ state: "all", labels: "TASK" })).toEqual(["b", "a"]);
    expect(await list({ state: "all", labels: "task,p1" })).toEqual(["a"]);
    expect(await list({ state: "closed" })).toEqual(["b"]);
    expect(await list({ state: "all", since: new Date(Date.parse(START) + 150_000).toISOString() })).toEqual(["b", "a"]);
    expect(await list({ state: "all", creator: "outsider" })).toEqual(["c"]);
    expect(await list({ state: "all", sort: "updated", direction: "asc" })).toEqual(["c", "a", "b"]);
  });

  it("lets the author edit and close an issue, but not an outsider; drops an outsider's labels", async () => {
    const { sandbox } = await sandboxFor({ collaborators: { maya: "write" } });
    const author = octokitFor(sandbox, sandbox.tokenFor("ann"));
    const outsider = octokitFor(sandbox, sandbox.tokenFor("olaf"));
    const { data } = await author.rest.issues.create({ ...repoOf(sandbox), title: "mine", labels: ["p1"] });
    expect(data.labels).toEqual([]);
    expect(sandbox.state.labels()).toEqual([]);
    const issue = { ...repoOf(sandbox), issue_number: data.number };
    expect((await failure(outsider.rest.issues.update({ ...issue, title: "theirs" }))).status).toBe(403);
    expect((await failure(outsider.rest.issues.update({ ...issue, state: "closed" }))).status).toBe(403);
    expect((await failure(outsider.rest.issues.addLabels({ ...issue, labels: ["x"] }))).status).toBe(403);
    await author.rest.issues.update({ ...issue, title: "still mine", state: "closed" });
    expect(sandbox.state.issue(data.number)).toMatchObject({ title: "still mine", state: "closed" });
  });
});
