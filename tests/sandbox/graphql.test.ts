import { Octokit } from "@octokit/rest";
import { describe, expect, it } from "vitest";
import { octokitFor, sandboxFor } from "./helpers.js";
import { webhookSchemaErrors } from "./webhook-schemas.js";

const MARK_READY = `mutation($id: ID!) {
  markPullRequestReadyForReview(input: { pullRequestId: $id }) {
    pullRequest { id number isDraft state }
  }
}`;

/** A draft pull request opened by maya, and who else is around. */
async function withDraft() {
  const { sandbox } = await sandboxFor({ collaborators: { maya: "write", rita: "read", wes: "write" }, files: { "a.txt": "a\n" } });
  const pull = sandbox.as("maya").openPullRequest({ title: "Draft", head: "draft", draft: true, files: [{ path: "a.txt", after: "b\n" }] });
  return { sandbox, pull };
}

/** The raw GraphQL answer (status and body), whatever it says. */
async function post(octokit: Octokit, body: Record<string, unknown>): Promise<{ status: number; data: Record<string, unknown> }> {
  const { status, data } = await octokit.request("POST /graphql", body);
  return { status, data: data as Record<string, unknown> };
}

describe("GraphQL: markPullRequestReadyForReview", () => {
  it("takes a draft out of draft, answers the selected fields and announces ready_for_review", async () => {
    const { sandbox, pull } = await withDraft();
    const octokit = octokitFor(sandbox, sandbox.tokens.installation);
    const data = await octokit.graphql(MARK_READY, { id: pull.node_id });
    expect(data).toEqual({ markPullRequestReadyForReview: { pullRequest: { id: pull.node_id, number: pull.number, isDraft: false, state: "OPEN" } } });
    expect(sandbox.state.pull(pull.number)?.draft).toBe(false);
    await sandbox.settled();
    const ready = sandbox.deliveries.filter((e) => e.name === "pull_request" && e.payload.action === "ready_for_review");
    expect(ready).toHaveLength(1);
    expect(webhookSchemaErrors("pull_request", ready[0]!.payload)).toEqual([]);
  });

  it("is served at /api/graphql for the Enterprise layout", async () => {
    const { sandbox, pull } = await withDraft();
    const octokit = octokitFor(sandbox, sandbox.tokens.installation, "enterprise");
    await octokit.graphql(MARK_READY, { id: pull.node_id });
    expect(sandbox.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(["POST /api/graphql 200"]);
  });

  it("echoes clientMutationId and honours aliases", async () => {
    const { sandbox, pull } = await withDraft();
    const octokit = octokitFor(sandbox, sandbox.tokens.installation);
    const query = `mutation { ready: markPullRequestReadyForReview(input: { pullRequestId: "${pull.node_id}", clientMutationId: "c1" }) { clientMutationId pr: pullRequest { draft: isDraft } } }`;
    expect(await octokit.graphql(query)).toEqual({ ready: { clientMutationId: "c1", pr: { draft: false } } });
  });

  it("answers NOT_FOUND with null data for an id that names no pull request", async () => {
    const { sandbox } = await withDraft();
    const { status, data } = await post(octokitFor(sandbox, sandbox.tokens.installation), { query: MARK_READY, variables: { id: "PR_nope" } });
    expect(status).toBe(200);
    expect(data).toEqual({
      data: { markPullRequestReadyForReview: null },
      errors: [{ type: "NOT_FOUND", path: ["markPullRequestReadyForReview"], locations: [{ line: 2, column: 3 }], message: "Could not resolve to a node with the global id of 'PR_nope'" }],
    });
  });

  it("answers FORBIDDEN to an app without pull_requests: write and to a person who may not", async () => {
    const { sandbox: appless, pull: draft } = await (async () => {
      const { sandbox } = await sandboxFor({ collaborators: { maya: "write" }, app: { permissions: { pull_requests: "read" } } });
      return { sandbox, pull: sandbox.as("maya").openPullRequest({ title: "Draft", head: "d", draft: true, files: [{ path: "a.txt", after: "b\n" }] }) };
    })();
    const app = await post(octokitFor(appless, appless.tokens.installation), { query: MARK_READY, variables: { id: draft.node_id } });
    expect(app.data.errors).toMatchObject([{ type: "FORBIDDEN", message: "Resource not accessible by integration" }]);
    const { sandbox, pull } = await withDraft();
    const rita = await post(octokitFor(sandbox, sandbox.tokenFor("rita")), { query: MARK_READY, variables: { id: pull.node_id } });
    expect(rita.data.errors).toMatchObject([{ type: "FORBIDDEN", message: "rita does not have the correct permissions to execute `MarkPullRequestReadyForReview`" }]);
    expect(sandbox.state.pull(pull.number)?.draft).toBe(true);
  });

  it("lets anyone with write access, not only the author, mark it ready", async () => {
    const { sandbox, pull } = await withDraft();
    await octokitFor(sandbox, sandbox.tokenFor("wes")).graphql(MARK_READY, { id: pull.node_id });
    expect(sandbox.state.pull(pull.number)?.draft).toBe(false);
  });

  it("refuses a missing required variable before changing anything", async () => {
    const { sandbox, pull } = await withDraft();
    const { data } = await post(octokitFor(sandbox, sandbox.tokens.installation), { query: MARK_READY });
    expect(data).toEqual({
      errors: [
        {
          message: "Variable $id of type ID! was provided invalid value",
          locations: [{ line: 1, column: 1 }],
          extensions: { value: null, problems: [{ path: [], explanation: "Expected value to not be null" }] },
        },
      ],
    });
    expect(sandbox.state.pull(pull.number)?.draft).toBe(true);
  });

  it("answers a parse error as GitHub does", async () => {
    const { sandbox } = await withDraft();
    const { data } = await post(octokitFor(sandbox, sandbox.tokens.installation), { query: "mutation {" });
    expect(data).toEqual({ errors: [{ message: "Parse error on end of file at [1, 11]", locations: [{ line: 1, column: 11 }] }] });
  });

  it("answers viewer { login } for each kind of token, where REST GET /user refuses installation tokens", async () => {
    const { sandbox } = await withDraft();
    const login = async (token: string) => (await post(octokitFor(sandbox, token), { query: "query { viewer { login } }" })).data;
    expect(await login(sandbox.tokens.installation)).toEqual({ data: { viewer: { login: "orkestra[bot]" } } });
    expect(await login(sandbox.tokens.actions)).toEqual({ data: { viewer: { login: "github-actions[bot]" } } });
    expect(await login(sandbox.tokenFor("maya"))).toEqual({ data: { viewer: { login: "maya" } } });
    expect(sandbox.violations).toEqual([]);
  });

  it("serves nothing else: another operation gets GraphQL's error shape and is recorded as a violation", async () => {
    const { sandbox } = await withDraft();
    const { status, data } = await post(octokitFor(sandbox, sandbox.tokens.installation), { query: "query { repository(owner: \"o\", name: \"r\") { id } }" });
    expect(status).toBe(200);
    expect(data).toEqual({ errors: [{ message: "The Orkestra sandbox answers only markPullRequestReadyForReview and viewer { login }, not Query.repository", locations: [{ line: 1, column: 1 }] }] });
    expect(sandbox.violations).toEqual([
      { method: "POST", path: "/graphql", kind: "request", message: "POST /graphql: The Orkestra sandbox answers only markPullRequestReadyForReview and viewer { login }, not Query.repository" },
    ]);
    sandbox.clearViolations();
  });

  it("records a violation for a field of the payload it does not serve", async () => {
    const { sandbox, pull } = await withDraft();
    const query = `mutation { markPullRequestReadyForReview(input: { pullRequestId: "${pull.node_id}" }) { pullRequest { author { login } } } }`;
    const { data } = await post(octokitFor(sandbox, sandbox.tokens.installation), { query });
    expect(data.errors).toMatchObject([{ message: "The Orkestra sandbox does not serve PullRequest.author" }]);
    expect(sandbox.violations.map((v) => v.message)).toEqual(["POST /graphql: The Orkestra sandbox does not serve PullRequest.author"]);
    sandbox.clearViolations();
    expect(sandbox.state.pull(pull.number)?.draft).toBe(true);
  });

  it("answers 401 without credentials", async () => {
    const { sandbox } = await withDraft();
    const anonymous = new Octokit({ baseUrl: sandbox.url, log: { debug() {}, info() {}, warn() {}, error() {} } });
    await expect(anonymous.graphql(MARK_READY, { id: "x" })).rejects.toMatchObject({ status: 401 });
  });
});
