import { describe, expect, it } from "vitest";
import type { Sandbox } from "../../tools/sandbox/index.js";
import { failure, octokitFor, repoOf, sandboxFor } from "./helpers.js";
import { webhookSchemaErrors } from "./webhook-schemas.js";

const WORKER = `name: Worker
on:
  workflow_dispatch:
    inputs:
      task:
        required: true
      model:
        required: false
        default: small
jobs: {}
`;
const CI = `name: CI
on: [push, pull_request]
jobs: {}
`;

/** A sandbox whose default branch holds a dispatchable worker workflow and a CI workflow on push and pull_request. */
async function withWorkflows(options: { actionsCanCreatePullRequests?: boolean } = {}) {
  const { sandbox, clock } = await sandboxFor({
    actionsCanCreatePullRequests: options.actionsCanCreatePullRequests ?? true,
    collaborators: { maya: "write" },
    files: { ".github/workflows/worker.yml": WORKER, ".github/workflows/ci.yml": CI, "README.md": "hi\n" },
  });
  const repo = repoOf(sandbox);
  return { sandbox, clock, repo, app: octokitFor(sandbox, sandbox.tokens.installation), actions: octokitFor(sandbox, sandbox.tokens.actions) };
}

const workflowRunEvents = (sandbox: Sandbox) => sandbox.deliveries.filter((e) => e.name === "workflow_run");

describe("workflow dispatch", () => {
  it("answers 204 and records a queued run with its inputs, defaults filled in", async () => {
    const { sandbox, repo, app } = await withWorkflows();
    const answer = await app.rest.actions.createWorkflowDispatch({ ...repo, workflow_id: "worker.yml", ref: "main", inputs: { task: "#12" } });
    expect(answer.status).toBe(204);
    expect(sandbox.actions.runs().map((run) => [run.name, run.event, run.status, run.head_branch, run.actor?.login, run.inputs])).toEqual([
      ["Worker", "workflow_dispatch", "queued", "main", "orkestra[bot]", { task: "#12", model: "small" }],
    ]);
  });

  it("answers the run's id and URLs with return_run_details", async () => {
    const { sandbox, repo, app } = await withWorkflows();
    const answer = await app.request("POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches", {
      ...repo,
      workflow_id: "worker.yml",
      ref: "main",
      inputs: { task: "#12" },
      return_run_details: true,
    });
    const run = sandbox.actions.runs()[0]!;
    expect(answer.status).toBe(200);
    expect(answer.data).toEqual({ workflow_run_id: run.id, run_url: run.url, html_url: run.html_url });
  });

  it("takes the workflow's id as well as its file name", async () => {
    const { sandbox, repo, app } = await withWorkflows();
    await app.rest.actions.createWorkflowDispatch({ ...repo, workflow_id: "worker.yml", ref: "main", inputs: { task: "1" } });
    const id = sandbox.actions.runs()[0]!.workflow_id;
    await app.rest.actions.createWorkflowDispatch({ ...repo, workflow_id: id, ref: "main", inputs: { task: "2" } });
    expect(sandbox.actions.runs().map((run) => run.run_number)).toEqual([1, 2]);
  });

  it("lets a GITHUB_TOKEN dispatch (workflow_dispatch is an event its writes start)", async () => {
    const { sandbox, repo, actions } = await withWorkflows();
    await actions.rest.actions.createWorkflowDispatch({ ...repo, workflow_id: "worker.yml", ref: "main", inputs: { task: "#12" } });
    expect(sandbox.actions.runs().map((run) => run.actor?.login)).toEqual(["github-actions[bot]"]);
  });

  it("refuses a ref whose workflow file lacks the workflow_dispatch trigger, or is missing", async () => {
    const { sandbox, repo, app } = await withWorkflows();
    sandbox.setFile(".github/workflows/worker.yml", "on: push\njobs: {}\n", { ref: "no-dispatch" });
    sandbox.setFile(".github/workflows/worker.yml", "", { ref: "emptied" });
    const refused = { status: 422, body: { message: "Workflow does not have 'workflow_dispatch' trigger" } };
    expect(await failure(app.rest.actions.createWorkflowDispatch({ ...repo, workflow_id: "worker.yml", ref: "no-dispatch" }))).toMatchObject(refused);
    expect(await failure(app.rest.actions.createWorkflowDispatch({ ...repo, workflow_id: "worker.yml", ref: "emptied" }))).toMatchObject(refused);
    expect(sandbox.actions.runs()).toEqual([]);
  });

  it("refuses a ref that does not exist", async () => {
    const { repo, app } = await withWorkflows();
    const refused = await failure(app.rest.actions.createWorkflowDispatch({ ...repo, workflow_id: "worker.yml", ref: "nope", inputs: { task: "1" } }));
    expect(refused).toMatchObject({ status: 422, body: { message: "No ref found for: nope" } });
  });

  it("answers 404 for a workflow the repository does not have", async () => {
    const { repo, app } = await withWorkflows();
    expect((await failure(app.rest.actions.createWorkflowDispatch({ ...repo, workflow_id: "other.yml", ref: "main" }))).status).toBe(404);
  });

  it("refuses inputs the workflow does not declare, and a missing required one", async () => {
    const { repo, app } = await withWorkflows();
    const dispatch = (inputs: Record<string, string>) => failure(app.rest.actions.createWorkflowDispatch({ ...repo, workflow_id: "worker.yml", ref: "main", inputs }));
    expect((await dispatch({ task: "1", colour: "red" })).body).toMatchObject({ message: 'Unexpected inputs provided: ["colour"]' });
    expect((await dispatch({ model: "large" })).body).toMatchObject({ message: "Required input 'task' not provided" });
  });

  it("needs actions: write", async () => {
    const { sandbox } = await sandboxFor({ app: { permissions: { actions: "read" } }, files: { ".github/workflows/worker.yml": WORKER } });
    const app = octokitFor(sandbox, sandbox.tokens.installation);
    const refused = await failure(app.rest.actions.createWorkflowDispatch({ ...repoOf(sandbox), workflow_id: "worker.yml", ref: "main", inputs: { task: "1" } }));
    expect(refused).toMatchObject({ status: 403, body: { message: "Resource not accessible by integration" } });
  });
});

describe("workflow runs", () => {
  /** One dispatched run of the worker. */
  async function withRun() {
    const setup = await withWorkflows();
    await setup.app.rest.actions.createWorkflowDispatch({ ...setup.repo, workflow_id: "worker.yml", ref: "main", inputs: { task: "#12" } });
    return { ...setup, runId: setup.sandbox.actions.runs()[0]!.id };
  }

  it("moves along as the test says, announcing workflow_run requested, in_progress and completed", async () => {
    const { sandbox, runId } = await withRun();
    sandbox.actions.start(runId);
    const done = sandbox.actions.complete(runId, "success");
    expect(done).toMatchObject({ status: "completed", conclusion: "success" });
    await sandbox.settled();
    const events = workflowRunEvents(sandbox);
    expect(events.map((e) => String(e.payload.action))).toEqual(["requested", "in_progress", "completed"]);
    for (const event of events) expect(webhookSchemaErrors(event.name, event.payload)).toEqual([]);
    expect(events[2]?.payload).toMatchObject({ workflow: { name: "Worker", path: ".github/workflows/worker.yml" }, workflow_run: { id: runId, conclusion: "success" } });
  });

  it("completes the run's check suite with it, announcing check_suite.completed", async () => {
    const { sandbox, app, repo, runId } = await withRun();
    sandbox.actions.complete(runId, "failure");
    await sandbox.settled();
    const suiteEvents = sandbox.deliveries.filter((e) => e.name === "check_suite");
    expect(suiteEvents.map((e) => String(e.payload.action))).toEqual(["completed"]);
    expect(webhookSchemaErrors("check_suite", suiteEvents[0]!.payload)).toEqual([]);
    const { data } = await app.rest.checks.listSuitesForRef({ ...repo, ref: "main" });
    expect(data.check_suites.map((s) => [s.app?.slug, s.status, s.conclusion])).toEqual([["github-actions", "completed", "failure"]]);
  });

  it("refuses to move a completed run", async () => {
    const { sandbox, runId } = await withRun();
    sandbox.actions.complete(runId, "cancelled");
    expect(() => sandbox.actions.start(runId)).toThrow("409");
  });

  it("reads one run by id, and 404 for an unknown one", async () => {
    const { repo, app, runId } = await withRun();
    const { data } = await app.rest.actions.getWorkflowRun({ ...repo, run_id: runId });
    expect(data).toMatchObject({ id: runId, event: "workflow_dispatch", status: "queued", conclusion: null, path: ".github/workflows/worker.yml" });
    expect((await failure(app.rest.actions.getWorkflowRun({ ...repo, run_id: 1 }))).status).toBe(404);
  });

  it("lists runs newest first, filtered by event, status or conclusion, branch and created", async () => {
    const { sandbox, clock, repo, app, runId } = await withRun();
    sandbox.actions.complete(runId, "success");
    clock.advance(2 * 24 * 60 * 60 * 1000);
    sandbox.setFile("x.txt", "x\n", { ref: "feature" });
    await app.rest.actions.createWorkflowDispatch({ ...repo, workflow_id: "worker.yml", ref: "feature", inputs: { task: "#13" } });
    const list = async (filter: Record<string, string>) => (await app.rest.actions.listWorkflowRunsForRepo({ ...repo, ...filter })).data.workflow_runs.map((run) => run.head_branch);
    expect(await list({})).toEqual(["feature", "main"]);
    expect(await list({ event: "workflow_dispatch", status: "queued" })).toEqual(["feature"]);
    expect(await list({ status: "success" })).toEqual(["main"]);
    expect(await list({ branch: "main" })).toEqual(["main"]);
    expect(await list({ created: ">=2030-01-02" })).toEqual(["feature"]);
    expect(await list({ created: "2030-01-01" })).toEqual(["main"]);
    expect(await list({ created: "2029-12-31..2030-01-01" })).toEqual(["main"]);
    expect(await list({ created: "2030-01-02T00:00:00Z..*" })).toEqual(["feature"]);
  });
});

describe("workflows started by pushes and pull requests", () => {
  it("runs a pull_request workflow for a pull request the app opens", async () => {
    const { sandbox, repo, app } = await withWorkflows();
    sandbox.setFile("x.txt", "x\n", { ref: "feature" });
    await app.rest.pulls.create({ ...repo, title: "X", head: "feature", base: "main" });
    expect(sandbox.actions.runs().map((run) => [run.name, run.event, run.head_branch])).toEqual([["CI", "pull_request", "feature"]]);
    expect(sandbox.actions.notStarted).toEqual([]);
  });

  it("starts no workflow for a pull request a GITHUB_TOKEN opens, and records the run it did not start", async () => {
    const { sandbox, repo, actions } = await withWorkflows();
    sandbox.setFile("x.txt", "x\n", { ref: "feature" });
    const head = sandbox.state.refs().find((ref) => ref.ref === "refs/heads/feature")!.object.sha;
    await actions.rest.pulls.create({ ...repo, title: "X", head: "feature", base: "main" });
    await sandbox.settled();
    expect(sandbox.actions.runs()).toEqual([]);
    expect(sandbox.actions.notStarted).toEqual([{ workflow: ".github/workflows/ci.yml", event: "pull_request", headSha: head, headBranch: "feature", because: "GITHUB_TOKEN" }]);
    expect(sandbox.deliveries.filter((e) => e.name === "pull_request").map((e) => e.viaActionsToken)).toEqual([true]);
  });

  it("refuses the GITHUB_TOKEN a pull request unless the repository allows Actions to create them (GitHub's default)", async () => {
    const { sandbox, repo, app, actions } = await withWorkflows({ actionsCanCreatePullRequests: false });
    sandbox.setFile("x.txt", "x\n", { ref: "feature" });
    const refused = await actions.rest.pulls.create({ ...repo, title: "X", head: "feature", base: "main" }).catch((error: { status: number; message: string }) => error);
    expect(refused).toMatchObject({ status: 403, message: expect.stringContaining("GitHub Actions is not permitted to create or approve pull requests.") });
    expect(sandbox.state.pulls()).toEqual([]);
    expect((await app.rest.pulls.create({ ...repo, title: "X", head: "feature", base: "main" })).status).toBe(201);
  });

  it("runs push workflows for a branch the app pushes, none for one a GITHUB_TOKEN pushes", async () => {
    const { sandbox, repo, app, actions } = await withWorkflows();
    const main = (await app.rest.git.getRef({ ...repo, ref: "heads/main" })).data.object.sha;
    const tree = (await app.rest.git.getCommit({ ...repo, commit_sha: main })).data.tree.sha;
    const commit = (await app.rest.git.createCommit({ ...repo, message: "x", tree, parents: [main] })).data.sha;
    await app.rest.git.createRef({ ...repo, ref: "refs/heads/by-app", sha: commit });
    await actions.rest.git.createRef({ ...repo, ref: "refs/heads/by-token", sha: commit });
    expect(sandbox.actions.runs().map((run) => [run.event, run.head_branch])).toEqual([["push", "by-app"]]);
    expect(sandbox.actions.notStarted.map((run) => [run.event, run.headBranch])).toEqual([["push", "by-token"]]);
  });
});
