import type { Octokit } from "@octokit/rest";
import { describe, expect, it } from "vitest";
import { octokitFor, repoOf, sandboxFor } from "./helpers.js";
import { webhookSchemaErrors } from "./webhook-schemas.js";

const ENABLE = `mutation($id: ID!, $mergeMethod: PullRequestMergeMethod!) {
  enablePullRequestAutoMerge(input: { pullRequestId: $id, mergeMethod: $mergeMethod }) { pullRequest { number } }
}`;

async function withPull(options: { allowAutoMerge?: boolean } = {}) {
  const { sandbox } = await sandboxFor({ collaborators: { maya: "write", rita: "read" }, files: { "a.txt": "a\n" }, ...options });
  const pull = sandbox.as("maya").openPullRequest({ title: "Change a", head: "change", files: [{ path: "a.txt", after: "b\n" }] });
  return { sandbox, pull };
}

async function post(octokit: Octokit, body: Record<string, unknown>): Promise<{ status: number; data: Record<string, unknown> }> {
  const { status, data } = await octokit.request("POST /graphql", body);
  return { status, data: data as Record<string, unknown> };
}

describe("GraphQL: enablePullRequestAutoMerge", () => {
  it("records auto-merge on the pull request (REST `auto_merge`) and announces auto_merge_enabled", async () => {
    const { sandbox, pull } = await withPull({ allowAutoMerge: true });
    const octokit = octokitFor(sandbox, sandbox.tokens.installation);
    expect(await octokit.graphql(ENABLE, { id: pull.node_id, mergeMethod: "SQUASH" })).toEqual({ enablePullRequestAutoMerge: { pullRequest: { number: pull.number } } });
    const { data } = await octokit.rest.pulls.get({ ...repoOf(sandbox), pull_number: pull.number });
    expect(data.auto_merge).toMatchObject({ merge_method: "squash", enabled_by: { login: "orkestra[bot]" }, commit_title: `Change a (#${pull.number})` });
    const { data: repo } = await octokit.rest.repos.get(repoOf(sandbox));
    expect(repo.allow_auto_merge).toBe(true);
    await sandbox.settled();
    const enabled = sandbox.deliveries.filter((e) => e.name === "pull_request" && e.payload.action === "auto_merge_enabled");
    expect(enabled).toHaveLength(1);
    expect(webhookSchemaErrors("pull_request", enabled[0]!.payload)).toEqual([]);
    expect(sandbox.violations).toEqual([]);
  });

  it("is refused where the repository does not allow auto-merge (GitHub's default)", async () => {
    const { sandbox, pull } = await withPull();
    const { status, data } = await post(octokitFor(sandbox, sandbox.tokens.installation), { query: ENABLE, variables: { id: pull.node_id, mergeMethod: "SQUASH" } });
    expect(status).toBe(200);
    expect(data).toEqual({
      data: { enablePullRequestAutoMerge: null },
      errors: [{ type: "UNPROCESSABLE", path: ["enablePullRequestAutoMerge"], locations: [{ line: 2, column: 3 }], message: "Pull request Auto merge is not allowed for this repository" }],
    });
    expect(sandbox.state.pull(pull.number)?.auto_merge).toBeNull();
  });

  it("is refused on a closed or merged pull request", async () => {
    const { sandbox, pull } = await withPull({ allowAutoMerge: true });
    const octokit = octokitFor(sandbox, sandbox.tokens.installation);
    sandbox.as("maya").closePullRequest(pull.number, { merge: true });
    const merged = await post(octokit, { query: ENABLE, variables: { id: pull.node_id, mergeMethod: "MERGE" } });
    expect(merged.data.errors).toMatchObject([{ type: "UNPROCESSABLE", message: "Pull request Pull request is already merged" }]);
    const other = sandbox.as("maya").openPullRequest({ title: "Other", head: "other", files: [{ path: "b.txt", after: "b\n" }] });
    sandbox.as("maya").closePullRequest(other.number);
    const closed = await post(octokit, { query: ENABLE, variables: { id: other.node_id, mergeMethod: "MERGE" } });
    expect(closed.data.errors).toMatchObject([{ type: "UNPROCESSABLE", message: "Pull request Pull request is closed" }]);
  });

  it("answers FORBIDDEN to a read-only token and to a person who may not", async () => {
    const { sandbox: readOnly } = await sandboxFor({ collaborators: { maya: "write" }, app: { permissions: { pull_requests: "read" } }, allowAutoMerge: true });
    const pull = readOnly.as("maya").openPullRequest({ title: "Change", head: "c", files: [{ path: "a.txt", after: "b\n" }] });
    const app = await post(octokitFor(readOnly, readOnly.tokens.installation), { query: ENABLE, variables: { id: pull.node_id, mergeMethod: "SQUASH" } });
    expect(app.data.errors).toMatchObject([{ type: "FORBIDDEN", message: "Resource not accessible by integration" }]);
    const { sandbox, pull: other } = await withPull({ allowAutoMerge: true });
    const rita = await post(octokitFor(sandbox, sandbox.tokenFor("rita")), { query: ENABLE, variables: { id: other.node_id, mergeMethod: "SQUASH" } });
    expect(rita.data.errors).toMatchObject([{ type: "FORBIDDEN", message: "rita does not have the correct permissions to execute `EnablePullRequestAutoMerge`" }]);
    expect(sandbox.state.pull(other.number)?.auto_merge).toBeNull();
  });

  it("keeps the first method when turned on again, and refuses an unknown method", async () => {
    const { sandbox, pull } = await withPull({ allowAutoMerge: true });
    const octokit = octokitFor(sandbox, sandbox.tokens.installation);
    await octokit.graphql(ENABLE, { id: pull.node_id, mergeMethod: "REBASE" });
    await octokit.graphql(ENABLE, { id: pull.node_id, mergeMethod: "SQUASH" });
    expect(sandbox.state.pull(pull.number)?.auto_merge).toMatchObject({ merge_method: "rebase" });
    const query = `mutation { enablePullRequestAutoMerge(input: { pullRequestId: "${pull.node_id}", mergeMethod: "FAST" }) { pullRequest { number } } }`;
    const { data } = await post(octokit, { query });
    expect(data.errors).toMatchObject([{ message: "Argument 'mergeMethod' on InputObject 'EnablePullRequestAutoMergeInput' has an invalid value (FAST). Expected type 'PullRequestMergeMethod'." }]);
  });
});
