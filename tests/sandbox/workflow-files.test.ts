import type { Octokit } from "@octokit/rest";
import { describe, expect, it } from "vitest";
import type { Sandbox } from "../../tools/sandbox/index.js";
import { failure, octokitFor, repoOf, sandboxFor } from "./helpers.js";

/**
 * GitHub Apps may change `.github/workflows/` only with the `workflows` permission, which a
 * GITHUB_TOKEN never has: the tree that changes it is refused, and so is a ref that would make
 * such a commit reachable (the refusal a `git push` gets).
 */

const CI = "on: push\njobs: {}\n";

async function withWorkflow(options: Parameters<typeof sandboxFor>[0] = {}) {
  const { sandbox } = await sandboxFor({ collaborators: { maya: "write" }, files: { ".github/workflows/ci.yml": CI, "README.md": "hi\n" }, ...options });
  const repo = repoOf(sandbox);
  const main = sandbox.state.refs().find((ref) => ref.ref === "refs/heads/main")!.object.sha;
  return { sandbox, repo, main };
}

/** A commit on main that changes the workflow, made with `octokit`'s token; its tree is built on main's. */
async function workflowCommit(octokit: Octokit, sandbox: Sandbox, main: string): Promise<string> {
  const repo = repoOf(sandbox);
  const base = (await octokit.rest.git.getCommit({ ...repo, commit_sha: main })).data.tree.sha;
  const tree = await octokit.rest.git.createTree({ ...repo, base_tree: base, tree: [{ path: ".github/workflows/ci.yml", mode: "100644", type: "blob", content: "on: [push, pull_request]\njobs: {}\n" }] });
  return (await octokit.rest.git.createCommit({ ...repo, message: "Change CI", tree: tree.data.sha, parents: [main] })).data.sha;
}

describe("changes to workflow files", () => {
  it("refuses a GITHUB_TOKEN's tree that changes .github/workflows/ with 403", async () => {
    const { sandbox, repo, main } = await withWorkflow();
    const actions = octokitFor(sandbox, sandbox.tokens.actions);
    const base = (await actions.rest.git.getCommit({ ...repo, commit_sha: main })).data.tree.sha;
    const refused = await failure(actions.rest.git.createTree({ ...repo, base_tree: base, tree: [{ path: ".github/workflows/new.yml", mode: "100644", type: "blob", content: CI }] }));
    expect(refused).toMatchObject({ status: 403, body: { message: "Resource not accessible by integration", documentation_url: "https://docs.github.com/rest/git/trees#create-a-tree" } });
  });

  it("refuses a GITHUB_TOKEN's ref that would bring in a commit changing a workflow, with git's refusal", async () => {
    const { sandbox, repo, main } = await withWorkflow();
    const commit = await workflowCommit(octokitFor(sandbox, sandbox.tokenFor("maya")), sandbox, main);
    const actions = octokitFor(sandbox, sandbox.tokens.actions);
    const message = "refusing to allow a GitHub App to create or update workflow `.github/workflows/ci.yml` without `workflows` permission";
    expect(await failure(actions.rest.git.createRef({ ...repo, ref: "refs/heads/ci", sha: commit }))).toMatchObject({ status: 422, body: { message } });
    expect(await failure(actions.rest.git.updateRef({ ...repo, ref: "heads/main", sha: commit }))).toMatchObject({ status: 422, body: { message } });
    expect(sandbox.state.refs().map((ref) => ref.ref)).toEqual(["refs/heads/main"]);
  });

  it("lets a GITHUB_TOKEN write trees and refs that leave workflows as they are", async () => {
    const { sandbox, repo, main } = await withWorkflow();
    const actions = octokitFor(sandbox, sandbox.tokens.actions);
    const base = (await actions.rest.git.getCommit({ ...repo, commit_sha: main })).data.tree.sha;
    const tree = await actions.rest.git.createTree({ ...repo, base_tree: base, tree: [{ path: "README.md", mode: "100644", type: "blob", content: "changed\n" }] });
    const commit = await actions.rest.git.createCommit({ ...repo, message: "Docs", tree: tree.data.sha, parents: [main] });
    expect((await actions.rest.git.createRef({ ...repo, ref: "refs/heads/docs", sha: commit.data.sha })).status).toBe(201);
  });

  it("refuses a GITHUB_TOKEN a parentless commit that holds workflows: it creates them", async () => {
    const { sandbox, repo, main } = await withWorkflow();
    const actions = octokitFor(sandbox, sandbox.tokens.actions);
    const tree = (await actions.rest.git.getCommit({ ...repo, commit_sha: main })).data.tree.sha;
    const record = await actions.rest.git.createCommit({ ...repo, message: "orkestra usage 2030-01-01", tree, parents: [] });
    const refused = await failure(actions.rest.git.createRef({ ...repo, ref: "refs/orkestra/usage/2030-01-01", sha: record.data.sha }));
    expect(refused.status).toBe(422);
  });

  it("lets a GITHUB_TOKEN point a ref at a commit of the default branch's tree on its head (a lock or usage record)", async () => {
    const { sandbox, repo, main } = await withWorkflow();
    const actions = octokitFor(sandbox, sandbox.tokens.actions);
    const tree = (await actions.rest.git.getCommit({ ...repo, commit_sha: main })).data.tree.sha;
    const record = await actions.rest.git.createCommit({ ...repo, message: "orkestra usage 2030-01-01", tree, parents: [main] });
    expect((await actions.rest.git.createRef({ ...repo, ref: "refs/orkestra/usage/2030-01-01", sha: record.data.sha })).status).toBe(201);
  });

  it("lets a GITHUB_TOKEN point a ref at a parentless commit without workflows", async () => {
    const { sandbox, repo } = await withWorkflow();
    const maya = octokitFor(sandbox, sandbox.tokenFor("maya"));
    const bare = await maya.rest.git.createTree({ ...repo, tree: [{ path: "README.md", mode: "100644", type: "blob", content: "hi\n" }] });
    const root = await maya.rest.git.createCommit({ ...repo, message: "no CI", tree: bare.data.sha, parents: [] });
    expect((await octokitFor(sandbox, sandbox.tokens.actions).rest.git.createRef({ ...repo, ref: "refs/heads/bare", sha: root.data.sha })).status).toBe(201);
  });

  it("compares a GITHUB_TOKEN's tree without base_tree with the default branch's workflows", async () => {
    const { sandbox, repo } = await withWorkflow();
    const actions = octokitFor(sandbox, sandbox.tokens.actions);
    const same = await actions.rest.git.createTree({ ...repo, tree: [{ path: ".github/workflows/ci.yml", mode: "100644", type: "blob", content: CI }] });
    expect(same.status).toBe(201);
    const other = await failure(actions.rest.git.createTree({ ...repo, tree: [{ path: "README.md", mode: "100644", type: "blob", content: "hi\n" }] }));
    expect(other.status).toBe(403);
  });

  it("lets the app change workflows when it has workflows: write, and refuses it otherwise", async () => {
    const { sandbox, repo, main } = await withWorkflow({ app: { permissions: { workflows: "write" } } });
    const app = octokitFor(sandbox, sandbox.tokens.installation);
    const commit = await workflowCommit(app, sandbox, main);
    expect((await app.rest.git.createRef({ ...repo, ref: "refs/heads/ci", sha: commit })).status).toBe(201);
    const plain = await withWorkflow();
    const refused = await failure(workflowCommit(octokitFor(plain.sandbox, plain.sandbox.tokens.installation), plain.sandbox, plain.main));
    expect(refused.status).toBe(403);
  });

  it("never grants workflows to the GITHUB_TOKEN, even when asked to", async () => {
    const { sandbox, repo, main } = await withWorkflow({ actionsPermissions: { workflows: "write" } });
    const actions = octokitFor(sandbox, sandbox.tokens.actions);
    const base = (await actions.rest.git.getCommit({ ...repo, commit_sha: main })).data.tree.sha;
    const refused = await failure(actions.rest.git.createTree({ ...repo, base_tree: base, tree: [{ path: ".github/workflows/ci.yml", mode: "100644", type: "blob", sha: null }] }));
    expect(refused.status).toBe(403);
  });

  it("lets a person with write access change workflows", async () => {
    const { sandbox, repo, main } = await withWorkflow();
    const maya = octokitFor(sandbox, sandbox.tokenFor("maya"));
    const commit = await workflowCommit(maya, sandbox, main);
    expect((await maya.rest.git.updateRef({ ...repo, ref: "heads/main", sha: commit })).status).toBe(200);
  });
});
