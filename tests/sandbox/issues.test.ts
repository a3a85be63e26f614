import { describe, expect, it } from "vitest";
import { failure, octokitFor, repoOf, sandboxFor, START } from "./helpers.js";

describe("issues", () => {
  /** Issue 1 and issue 3 created by maya, with issue 2 in between the issue of a pull request. */
  async function issueThenPullRequestThenIssue() {
    const { sandbox } = await sandboxFor({ collaborators: { maya: "write" } });
    const octokit = octokitFor(sandbox, sandbox.tokenFor("maya"));
    const first = await octokit.rest.issues.create({ ...repoOf(sandbox), title: "one" });
    // The pull request side is not served yet; mark an issue record as the issue of a pull request.
    const second = sandbox.as("maya").openIssue({ title: "a pull request" });
    sandbox.internals.store.issues.get(second.number)!.pullRequest = { mergedAt: null, draft: false };
    const third = await octokit.rest.issues.create({ ...repoOf(sandbox), title: "three" });
    const listed = async () => (await octokit.rest.issues.listForRepo({ ...repoOf(sandbox) })).data;
    return { sandbox, first: first.data, second, third: third.data, listed };
  }

  it("numbers issues and pull requests from one sequence", async () => {
    const { first, second, third } = await issueThenPullRequestThenIssue();
    expect([first.number, second.number, third.number]).toEqual([1, 2, 3]);
  });

  it("gives an issue an id distinct from its number, and a node_id made from the id", async () => {
    const { first } = await issueThenPullRequestThenIssue();
    expect(first.id).not.toBe(first.number);
    expect(first.node_id).toBe(Buffer.from(`05:Issue${first.id}`).toString("base64"));
  });

  it("lists pull requests among the issues, newest first, with a link to the pull request", async () => {
    const { sandbox, listed } = await issueThenPullRequestThenIssue();
    const issues = await listed();
    expect(issues.map((i) => i.number)).toEqual([3, 2, 1]);
    expect(issues.find((i) => i.number === 2)?.pull_request?.url).toBe(`${sandbox.url}/repos/octo-org/orkestra-demo/pulls/2`);
    expect(issues.find((i) => i.number === 1)).not.toHaveProperty("pull_request");
  });

  /** Issue 1, "Plan" / "Steps", created by maya (write). */
  async function mayasPlan() {
    const { sandbox } = await sandboxFor({ collaborators: { maya: "write" } });
    const octokit = octokitFor(sandbox, sandbox.tokenFor("maya"));
    const { data: issue } = await octokit.rest.issues.create({ ...repoOf(sandbox), title: "Plan", body: "Steps" });
    return { sandbox, octokit, issue };
  }

  it("creates an issue with the real shape", async () => {
    const { sandbox, issue } = await mayasPlan();
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
  });

  it("closes an issue with a state_reason, recording who closed it and when", async () => {
    const { sandbox, octokit } = await mayasPlan();
    const closed = await octokit.rest.issues.update({ ...repoOf(sandbox), issue_number: 1, state: "closed", state_reason: "not_planned" });
    expect(closed.data).toMatchObject({ state: "closed", state_reason: "not_planned", closed_by: { login: "maya" }, closed_at: START });
  });

  it("reopens an issue with the state_reason reopened", async () => {
    const { sandbox, octokit } = await mayasPlan();
    await octokit.rest.issues.update({ ...repoOf(sandbox), issue_number: 1, state: "closed", state_reason: "not_planned" });
    const reopened = await octokit.rest.issues.update({ ...repoOf(sandbox), issue_number: 1, state: "open" });
    expect(reopened.data).toMatchObject({ state: "open", state_reason: "reopened", closed_at: null });
  });

  it("edits the title and clears the body", async () => {
    const { sandbox, octokit } = await mayasPlan();
    const edited = await octokit.rest.issues.update({ ...repoOf(sandbox), issue_number: 1, title: "Plan v2", body: null });
    expect(edited.data).toMatchObject({ title: "Plan v2", body: null });
  });

  it("refuses requests that break the endpoint's schema as GitHub words it", async () => {
    const { sandbox, octokit } = await mayasPlan();
    const badState = await failure(octokit.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", { ...repoOf(sandbox), issue_number: 1, state: "merged" } as never));
    expect(badState.status).toBe(422);
    const noTitle = await failure(octokit.request("POST /repos/{owner}/{repo}/issues", { ...repoOf(sandbox), body: "x" } as never));
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
  });

  it("refuses a blank title that fits the schema by the issue rules themselves", async () => {
    const { sandbox, octokit } = await mayasPlan();
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

  /**
   * Lists titles after: maya opens a (task, p1), b (task) a minute later, an outsider c a minute
   * after that; a minute on, maya closes b and comments on a.
   */
  async function listAfterSomeActivity() {
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
    return async (query: Record<string, string>) =>
      (await octokit.rest.issues.listForRepo({ ...repoOf(sandbox), ...query })).data.map((i) => i.title);
  }

  it.each<{ behaviour: string; query: Record<string, string>; titles: string[] }>([
    { behaviour: "lists open issues by default", query: {}, titles: ["c", "a"] },
    { behaviour: "filters by a label in any case", query: { state: "all", labels: "TASK" }, titles: ["b", "a"] },
    { behaviour: "filters by all the labels given", query: { state: "all", labels: "task,p1" }, titles: ["a"] },
    { behaviour: "filters by state", query: { state: "closed" }, titles: ["b"] },
    { behaviour: "filters by since", query: { state: "all", since: new Date(Date.parse(START) + 150_000).toISOString() }, titles: ["b", "a"] },
    { behaviour: "filters by creator", query: { state: "all", creator: "outsider" }, titles: ["c"] },
    { behaviour: "sorts by updated", query: { state: "all", sort: "updated", direction: "asc" }, titles: ["c", "a", "b"] },
  ])("$behaviour", async ({ query, titles }) => {
    const list = await listAfterSomeActivity();
    expect(await list(query)).toEqual(titles);
  });

  /** An issue ann (not a collaborator) opened with the label p1, and a client for olaf, another outsider. */
  async function annsIssue() {
    const { sandbox } = await sandboxFor({ collaborators: { maya: "write" } });
    const author = octokitFor(sandbox, sandbox.tokenFor("ann"));
    const outsider = octokitFor(sandbox, sandbox.tokenFor("olaf"));
    const { data } = await author.rest.issues.create({ ...repoOf(sandbox), title: "mine", labels: ["p1"] });
    return { sandbox, author, outsider, data, issue: { ...repoOf(sandbox), issue_number: data.number } };
  }

  it("drops the labels an outsider gives an issue", async () => {
    const { sandbox, data } = await annsIssue();
    expect(data.labels).toEqual([]);
    expect(sandbox.state.labels()).toEqual([]);
  });

  it("refuses an outsider's edit, close and labels on another's issue", async () => {
    const { outsider, issue } = await annsIssue();
    expect((await failure(outsider.rest.issues.update({ ...issue, title: "theirs" }))).status).toBe(403);
    expect((await failure(outsider.rest.issues.update({ ...issue, state: "closed" }))).status).toBe(403);
    expect((await failure(outsider.rest.issues.addLabels({ ...issue, labels: ["x"] }))).status).toBe(403);
  });

  it("lets the author edit and close their own issue", async () => {
    const { sandbox, author, data, issue } = await annsIssue();
    await author.rest.issues.update({ ...issue, title: "still mine", state: "closed" });
    expect(sandbox.state.issue(data.number)).toMatchObject({ title: "still mine", state: "closed" });
  });
});
