/** The port's Git Data, pull request and Actions methods, over a real Octokit against the sandbox. */
import { Octokit } from "@octokit/rest";
import { describe, expect, it } from "vitest";
import { OctokitGitHub } from "../../src/github/octokit.js";
import { GitHubError } from "../../src/github/port.js";
import type { Sandbox } from "../../tools/sandbox/index.js";
import { sandboxFor } from "../sandbox/helpers.js";

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

const WORKER = `name: Orkestra worker
on:
  workflow_dispatch:
    inputs:
      task: { required: true }
jobs: {}
`;

const FILES = {
  "README.md": "# Demo\n",
  "src/app.ts": "export const a = 1;\n",
  "src/old.ts": "export const old = true;\n",
  ".github/workflows/worker.yml": WORKER,
};

/** A port on the sandbox with `token` (the app's installation token by default). */
function portFor(sandbox: Sandbox, token = sandbox.tokens.installation, layout: "root" | "enterprise" = "root"): OctokitGitHub {
  const octokit = new Octokit({ auth: token, baseUrl: layout === "root" ? sandbox.url : `${sandbox.url}/api/v3`, log: quiet });
  return new OctokitGitHub(octokit, { owner: sandbox.owner, repo: sandbox.repo });
}

async function withRepository() {
  const { sandbox } = await sandboxFor({ collaborators: { maya: "write" }, files: FILES });
  return { sandbox, github: portFor(sandbox) };
}

/** Three changed files on a new branch, the way Orkestra writes an agent's work: blobs → tree over main's → commit → ref. */
async function commitOnBranch(github: OctokitGitHub, branch: string): Promise<{ commit: string; main: string }> {
  const main = await github.branchSha("main");
  const { tree: baseTree } = await github.commit(main);
  const blob = await github.createBlob("export const a = 2;\n");
  const tree = await github.createTree(
    [
      { path: "src/app.ts", sha: blob, mode: "100644" },
      { path: "src/new.ts", content: "export const added = true;\n" },
      { path: "src/old.ts", sha: null },
    ],
    baseTree,
  );
  const commit = await github.createCommit({ message: "Fix #4", tree, parents: [main] });
  expect(await github.createRef(`heads/${branch}`, commit)).toBe(true);
  return { commit, main };
}

async function failure(promise: Promise<unknown>): Promise<GitHubError> {
  const error: unknown = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(GitHubError);
  return error as GitHubError;
}

describe("reading a repository through the port", () => {
  it("lists a branch's tree recursively, directories included", async () => {
    const { github } = await withRepository();
    const listing = await github.listTree("main");
    expect(listing.truncated).toBe(false);
    expect(listing.entries.map((entry) => `${entry.type} ${entry.path}`)).toEqual([
      "tree .github",
      "tree .github/workflows",
      "blob .github/workflows/worker.yml",
      "blob README.md",
      "tree src",
      "blob src/app.ts",
      "blob src/old.ts",
    ]);
    expect(listing.entries.find((entry) => entry.path === "README.md")).toMatchObject({ mode: "100644", size: 7 });
  });

  it("says when GitHub cut the listing short", async () => {
    const { sandbox } = await sandboxFor({ files: FILES, treeLimits: { entries: 2 } });
    expect((await portFor(sandbox).listTree("main")).truncated).toBe(true);
  });

  it("reads a blob's bytes by sha, and null for an unknown one", async () => {
    const { github } = await withRepository();
    const readme = (await github.listTree("main")).entries.find((entry) => entry.path === "README.md")!;
    expect(Buffer.from((await github.getBlob(readme.sha))!).toString("utf8")).toBe("# Demo\n");
    expect(await github.getBlob("0".repeat(40))).toBeNull();
  });

  it("stores bytes that are not text through base64", async () => {
    const { github } = await withRepository();
    const bytes = new Uint8Array([0, 159, 146, 150, 255]);
    const sha = await github.createBlob(bytes);
    expect(Buffer.from((await github.getBlob(sha))!)).toEqual(Buffer.from(bytes));
  });
});

describe("writing an agent's change through the port", () => {
  it("builds a commit of three changed files on a new branch (blobs → tree over base_tree → commit → ref)", async () => {
    const { sandbox, github } = await withRepository();
    const { commit, main } = await commitOnBranch(github, "orkestra/4-claude");
    expect(await github.refSha("heads/orkestra/4-claude")).toBe(commit);
    expect(await github.getFile("src/app.ts", "orkestra/4-claude")).toBe("export const a = 2;\n");
    expect(await github.getFile("src/new.ts", "orkestra/4-claude")).toBe("export const added = true;\n");
    expect(await github.getFile("src/old.ts", "orkestra/4-claude")).toBeNull();
    expect(await github.getFile("README.md", "orkestra/4-claude")).toBe("# Demo\n");
    expect((await github.commit(commit)).message).toBe("Fix #4");
    expect(sandbox.state.refs().find((ref) => ref.ref === "refs/heads/main")?.object.sha).toBe(main);
  });

  it("force-moves a branch to a commit that is not a fast-forward", async () => {
    const { github } = await withRepository();
    const { main } = await commitOnBranch(github, "orkestra/4-claude");
    const { tree } = await github.commit(main);
    const retry = await github.createCommit({ message: "Fix #4, again", tree, parents: [main] });
    expect(await github.fastForwardRef("heads/orkestra/4-claude", retry)).toBe(false);
    await github.forceUpdateRef("heads/orkestra/4-claude", retry);
    expect(await github.refSha("heads/orkestra/4-claude")).toBe(retry);
  });

  it("opens a draft pull request from the branch", async () => {
    const { github } = await withRepository();
    await commitOnBranch(github, "orkestra/4-claude");
    const pull = await github.createPull({ title: "Fix #4", body: "Closes #4", head: "orkestra/4-claude", base: "main", draft: true });
    expect(pull).toMatchObject({ number: 1, draft: true, headRef: "orkestra/4-claude", baseRef: "main", changedFiles: 3, state: "open" });
    expect(pull.nodeId).toMatch(/\S/);
  });

  it("marks the draft ready for review through GraphQL", async () => {
    const { github } = await withRepository();
    await commitOnBranch(github, "orkestra/4-claude");
    const pull = await github.createPull({ title: "Fix #4", body: "Closes #4", head: "orkestra/4-claude", base: "main", draft: true });
    await github.markReadyForReview(pull.nodeId);
    expect((await github.getPull(pull.number))?.draft).toBe(false);
  });

  it("marks a draft ready through GraphQL on the Enterprise layout too", async () => {
    const { sandbox, github } = await withRepository();
    await commitOnBranch(github, "orkestra/4-claude");
    const pull = await github.createPull({ title: "Fix #4", body: "", head: "orkestra/4-claude", base: "main", draft: true });
    await portFor(sandbox, sandbox.tokens.installation, "enterprise").markReadyForReview(pull.nodeId);
    expect(sandbox.state.pull(pull.number)?.draft).toBe(false);
  });

  it("edits a pull request's title and body, and closes it", async () => {
    const { github } = await withRepository();
    await commitOnBranch(github, "orkestra/4-claude");
    const pull = await github.createPull({ title: "Fix #4", body: "", head: "orkestra/4-claude", base: "main", draft: false });
    await github.updatePull(pull.number, { title: "Fix #4 (done)", body: "Closes #4", state: "closed" });
    expect(await github.getPull(pull.number)).toMatchObject({ title: "Fix #4 (done)", body: "Closes #4", state: "closed" });
  });
});

describe("refusals through the port", () => {
  it("says a second pull request for the same branch already exists", async () => {
    const { github } = await withRepository();
    await commitOnBranch(github, "orkestra/4-claude");
    const pull = { title: "Fix #4", body: "", head: "orkestra/4-claude", base: "main", draft: true };
    await github.createPull(pull);
    const error = await failure(github.createPull(pull));
    expect(error.status).toBe(422);
    expect(error.message).toContain("POST /repos/octo-org/orkestra-demo/pulls");
  });

  it("turns a GraphQL error into a GitHubError with its type and status", async () => {
    const { github } = await withRepository();
    const error = await failure(github.markReadyForReview("PR_missing"));
    expect(error.message).toBe("GitHub API: POST /graphql (markPullRequestReadyForReview): Could not resolve to a node with the global id of 'PR_missing' (NOT_FOUND)");
    expect(error.status).toBe(404);
  });

  it("refuses a GITHUB_TOKEN's tree that changes a workflow file, naming the route", async () => {
    const { sandbox } = await withRepository();
    const github = portFor(sandbox, sandbox.tokens.actions);
    const { tree } = await github.commit(await github.branchSha("main"));
    const error = await failure(github.createTree([{ path: ".github/workflows/worker.yml", content: "on: push\n" }], tree));
    expect(error.status).toBe(403);
    expect(error.message).toMatch(/^GitHub API: POST \/repos\/octo-org\/orkestra-demo\/git\/trees: Resource not accessible by integration \(403\)/);
  });

  it("does not take a refused ref for a lost race: createRef throws instead of answering false", async () => {
    const { sandbox } = await withRepository();
    // A person may change workflow files; the GITHUB_TOKEN then tries to make that commit reachable.
    const maya = portFor(sandbox, sandbox.tokenFor("maya"));
    const main = await maya.branchSha("main");
    const changed = await maya.createTree([{ path: ".github/workflows/worker.yml", content: "on: push\n" }], (await maya.commit(main)).tree);
    const commit = await maya.createCommit({ message: "CI", tree: changed, parents: [main] });
    const error = await failure(portFor(sandbox, sandbox.tokens.actions).createRef("heads/ci", commit));
    expect(error.message).toContain("refusing to allow a GitHub App to create or update workflow `.github/workflows/worker.yml` without `workflows` permission");
  });
});

describe("workflow runs and check suites through the port", () => {
  it("dispatches a workflow and reads its run by the id GitHub returns", async () => {
    const { sandbox, github } = await withRepository();
    const runId = await github.dispatchWorkflow("worker.yml", "main", { task: "4" });
    expect(runId).not.toBeNull();
    expect(await github.getWorkflowRun(runId!)).toMatchObject({ id: runId, name: "Orkestra worker", event: "workflow_dispatch", status: "queued", conclusion: null, headBranch: "main" });
    expect(sandbox.actions.runs()[0]?.inputs).toEqual({ task: "4" });
  });

  it("watches a run to its conclusion", async () => {
    const { sandbox, github } = await withRepository();
    const runId = (await github.dispatchWorkflow("worker.yml", "main", { task: "4" }))!;
    sandbox.actions.complete(runId, "success");
    expect(await github.getWorkflowRun(runId)).toMatchObject({ status: "completed", conclusion: "success" });
  });

  it("lists workflow runs filtered by event and status, newest first", async () => {
    const { sandbox, github } = await withRepository();
    const first = (await github.dispatchWorkflow("worker.yml", "main", { task: "4" }))!;
    const second = (await github.dispatchWorkflow("worker.yml", "main", { task: "5" }))!;
    sandbox.actions.complete(first, "failure");
    expect((await github.listWorkflowRuns({ event: "workflow_dispatch" })).map((run) => run.id)).toEqual([second, first]);
    expect((await github.listWorkflowRuns({ status: "failure" })).map((run) => run.id)).toEqual([first]);
    expect(await github.getWorkflowRun(1)).toBeNull();
  });

  it("lists the check suites of a pull request's head", async () => {
    const { sandbox, github } = await withRepository();
    await commitOnBranch(github, "orkestra/4-claude");
    sandbox.addCheckSuite({ ref: "orkestra/4-claude", conclusion: "success" });
    expect(await github.listCheckSuites("orkestra/4-claude")).toMatchObject([{ app: "github-actions", status: "completed", conclusion: "success", headBranch: "orkestra/4-claude", checkRuns: 0 }]);
  });
});
