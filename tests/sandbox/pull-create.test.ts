import { describe, expect, it } from "vitest";
import { failure, octokitFor, repoOf, sandboxFor } from "./helpers.js";
import { webhookSchemaErrors } from "./webhook-schemas.js";

/** A sandbox whose branch `feature` is one commit ahead of main, and a client on the app's token. */
async function withBranch(options: Parameters<typeof sandboxFor>[0] = {}) {
  const { sandbox } = await sandboxFor({ files: { "README.md": "hi\n" }, ...options });
  sandbox.setFile("feature.txt", "new\n", { ref: "feature" });
  return { sandbox, repo: repoOf(sandbox), app: octokitFor(sandbox, sandbox.tokens.installation) };
}

describe("creating pull requests", () => {
  it("opens a draft pull request from a branch of the repository and announces it", async () => {
    const { sandbox, repo, app } = await withBranch();
    const { status, data } = await app.rest.pulls.create({ ...repo, title: "Add feature", body: "Closes #1", head: "feature", base: "main", draft: true });
    expect(status).toBe(201);
    expect(data).toMatchObject({ number: 1, draft: true, state: "open", head: { ref: "feature" }, base: { ref: "main" }, user: { login: "orkestra[bot]" }, changed_files: 1 });
    await sandbox.settled();
    const opened = sandbox.deliveries.filter((e) => e.name === "pull_request");
    expect(opened.map((e) => [e.payload.action, (e.payload.pull_request as { draft: boolean }).draft])).toEqual([["opened", true]]);
    expect(webhookSchemaErrors("pull_request", opened[0]!.payload)).toEqual([]);
  });

  it("takes the head as owner:branch", async () => {
    const { repo, app } = await withBranch();
    const { data } = await app.rest.pulls.create({ ...repo, title: "Add feature", head: `${repo.owner}:feature`, base: "main" });
    expect(data.head.label).toBe(`${repo.owner}:feature`);
  });

  it("refuses a second open pull request for the same head and base", async () => {
    const { repo, app } = await withBranch();
    await app.rest.pulls.create({ ...repo, title: "One", head: "feature", base: "main" });
    const again = await failure(app.rest.pulls.create({ ...repo, title: "Two", head: "feature", base: "main" }));
    expect(again).toMatchObject({
      status: 422,
      body: { message: "Validation Failed", errors: [{ resource: "PullRequest", code: "custom", message: `A pull request already exists for ${repo.owner}:feature.` }] },
    });
  });

  it("refuses a head with no commits beyond the base", async () => {
    const { repo, app } = await withBranch();
    const none = await failure(app.rest.pulls.create({ ...repo, title: "Nothing", head: "main", base: "feature" }));
    expect(none.body).toMatchObject({ message: "Validation Failed", errors: [{ resource: "PullRequest", code: "custom", message: "No commits between feature and main" }] });
  });

  it("refuses an unknown head or base", async () => {
    const { repo, app } = await withBranch();
    const head = await failure(app.rest.pulls.create({ ...repo, title: "X", head: "nope", base: "main" }));
    expect(head.body).toMatchObject({ errors: [{ resource: "PullRequest", field: "head", code: "invalid" }] });
    const base = await failure(app.rest.pulls.create({ ...repo, title: "X", head: "feature", base: "nope" }));
    expect(base.body).toMatchObject({ errors: [{ resource: "PullRequest", field: "base", code: "invalid" }] });
  });

  it("needs push access for a person, pull_requests: write for an app", async () => {
    const { sandbox, repo } = await withBranch({ collaborators: { rita: "read" }, app: { permissions: { pull_requests: "read" } } });
    const person = await failure(octokitFor(sandbox, sandbox.tokenFor("rita")).rest.pulls.create({ ...repo, title: "X", head: "feature", base: "main" }));
    expect(person).toMatchObject({ status: 403, body: { message: "Must have push access to repository." } });
    const app = await failure(octokitFor(sandbox, sandbox.tokens.installation).rest.pulls.create({ ...repo, title: "X", head: "feature", base: "main" }));
    expect(app).toMatchObject({ status: 403, body: { message: "Resource not accessible by integration" } });
  });
});

describe("editing pull requests", () => {
  it("changes the title, body and state with PATCH", async () => {
    const { repo, app } = await withBranch();
    const { data: pull } = await app.rest.pulls.create({ ...repo, title: "Draft title", head: "feature", base: "main" });
    const { data } = await app.rest.pulls.update({ ...repo, pull_number: pull.number, title: "Final title", body: "Done", state: "closed" });
    expect(data).toMatchObject({ title: "Final title", body: "Done", state: "closed" });
  });

  it("ignores a draft field on PATCH, as GitHub does: only GraphQL takes a pull request out of draft", async () => {
    const { repo, app } = await withBranch();
    const { data: pull } = await app.rest.pulls.create({ ...repo, title: "Draft", head: "feature", base: "main", draft: true });
    const { data } = await app.request("PATCH /repos/{owner}/{repo}/pulls/{pull_number}", { ...repo, pull_number: pull.number, draft: false } as never);
    expect((data as { draft: boolean }).draft).toBe(true);
  });

  it("moves the head when its branch is pushed through the Git Data API, announcing synchronize", async () => {
    const { sandbox, repo, app } = await withBranch();
    const { data: pull } = await app.rest.pulls.create({ ...repo, title: "Add feature", head: "feature", base: "main" });
    const tree = (await app.rest.git.getCommit({ ...repo, commit_sha: pull.head.sha })).data.tree.sha;
    const next = (await app.rest.git.createCommit({ ...repo, message: "more", tree, parents: [pull.head.sha] })).data.sha;
    await app.rest.git.updateRef({ ...repo, ref: "heads/feature", sha: next });
    const { data } = await app.rest.pulls.get({ ...repo, pull_number: pull.number });
    expect(data).toMatchObject({ head: { sha: next }, commits: 2 });
    await sandbox.settled();
    const synchronize = sandbox.deliveries.find((e) => e.name === "pull_request" && e.payload.action === "synchronize");
    expect(synchronize?.payload).toMatchObject({ before: pull.head.sha, after: next });
    expect(webhookSchemaErrors("pull_request", synchronize!.payload)).toEqual([]);
  });
});
