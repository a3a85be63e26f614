import { Octokit } from "@octokit/rest";
import { describe, expect, it } from "vitest";
import { OctokitGitHub } from "../../src/github/octokit.js";
import { GitHubError } from "../../src/github/port.js";

interface Canned {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/** A port over a real Octokit whose every request gets the same canned answer; records what was asked. */
function github(answer: Canned) {
  const requests: string[] = [];
  const fetch = async (url: string, init: { method?: string }): Promise<Response> => {
    requests.push(`${init.method ?? "GET"} ${url}`);
    return new Response(JSON.stringify(answer.body), {
      status: answer.status,
      headers: { "content-type": "application/json; charset=utf-8", ...answer.headers },
    });
  };
  const octokit = new Octokit({ auth: "token", request: { fetch }, log: quiet });
  return { port: new OctokitGitHub(octokit, { owner: "o", repo: "r" }), requests };
}

const forbidden = { message: "Resource not accessible by integration", documentation_url: "https://docs.github.com/rest/issues/labels#add-labels-to-an-issue", status: "403" };

async function failure(promise: Promise<unknown>): Promise<GitHubError> {
  const error: unknown = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(GitHubError);
  return error as GitHubError;
}

describe("GitHub errors", () => {
  it("names the permission GitHub's x-accepted-github-permissions header asks for on a 403", async () => {
    const { port } = github({ status: 403, body: forbidden, headers: { "x-accepted-github-permissions": "issues=write; pull_requests=write" } });
    const error = await failure(port.addLabels(1, ["bug"]));
    expect(error.status).toBe(403);
    expect(error.message).toBe(
      "GitHub API: POST /repos/o/r/issues/1/labels: Resource not accessible by integration (403) — the token needs issues: write (or pull_requests: write)",
    );
  });

  it("joins the permissions one alternative needs with 'and'", async () => {
    const { port } = github({ status: 403, body: forbidden, headers: { "x-accepted-github-permissions": "pull_requests=read,contents=read; issues=read,contents=read" } });
    const error = await failure(port.listPullFiles(7));
    expect(error.message).toMatch(/— the token needs pull_requests: read and contents: read \(or issues: read and contents: read\)$/);
  });

  it("names the permission from the route when a 403 has no x-accepted-github-permissions header", async () => {
    const { port } = github({ status: 403, body: forbidden });
    const error = await failure(port.createCheckRun({ name: "orkestra/review", headSha: "abc", status: "in_progress", startedAt: "2026-01-01T00:00:00Z" }));
    expect(error.message).toBe("GitHub API: POST /repos/o/r/check-runs: Resource not accessible by integration (403) — the token needs checks: write");
  });

  it.each([
    ["reading a file", (port: OctokitGitHub) => port.getFile(".github/orkestra.yml"), "contents: read"],
    ["moving a ref", (port: OctokitGitHub) => port.fastForwardRef("orkestra/usage/2026-01-01", "abc"), "contents: write"],
    ["reading a collaborator's permission", (port: OctokitGitHub) => port.permission("alice"), "metadata: read"],
    ["dismissing a review", (port: OctokitGitHub) => port.dismissReview(3, 9, "stale"), "pull_requests: write"],
    ["reacting to a comment", (port: OctokitGitHub) => port.react(5, "eyes"), "issues: write"],
    ["dispatching a workflow", (port: OctokitGitHub) => port.dispatchWorkflow("worker.yml", "main", {}), "actions: write"],
    ["reading a workflow run", (port: OctokitGitHub) => port.getWorkflowRun(7), "actions: read"],
    ["listing a commit's check suites", (port: OctokitGitHub) => port.listCheckSuites("main"), "checks: read"],
    ["opening a pull request", (port: OctokitGitHub) => port.createPull({ title: "t", body: "", head: "h", base: "main", draft: true }), "pull_requests: write"],
    ["creating a tree", (port: OctokitGitHub) => port.createTree([{ path: "a", content: "a" }]), "contents: write"],
  ])("names the route's permission on a 403 when %s", async (_what, act, permission) => {
    const { port } = github({ status: 403, body: forbidden });
    const error = await failure(act(port));
    expect(error.message).toMatch(new RegExp(`— the token needs ${permission}$`));
  });

  it("answers null for an issue GitHub does not find (404)", async () => {
    const { port, requests } = github({ status: 404, body: { message: "Not Found" } });
    expect(await port.getIssue(404)).toBeNull();
    expect(requests).toEqual(["GET https://api.github.com/repos/o/r/issues/404"]);
  });

  it("names the method and the route, without host or query string, on a 500", async () => {
    const { port, requests } = github({ status: 500, body: { message: "Server Error" } });
    const error = await failure(port.listComments(12));
    expect(requests[0]).toContain("?per_page=100");
    expect(error.status).toBe(500);
    expect(error.message).toBe("GitHub API: GET /repos/o/r/issues/12/comments: Server Error (500)");
  });

  it("converts a failing page of a paginated listing too", async () => {
    const { port } = github({ status: 502, body: { message: "Bad Gateway" } });
    const pages = port.openIssuePages(["orkestra:task"]);
    const error = await failure((async () => {
      for await (const _page of pages) break;
    })());
    expect(error.message).toBe("GitHub API: GET /repos/o/r/issues: Bad Gateway (502)");
  });

  it("claims no missing permission for a 403 that is a primary rate limit", async () => {
    const { port } = github({
      status: 403,
      body: { message: "API rate limit exceeded for installation ID 1.", documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api" },
      headers: { "x-ratelimit-remaining": "0", "x-ratelimit-limit": "5000", "x-ratelimit-reset": "1767225600" },
    });
    const error = await failure(port.addLabels(1, ["bug"]));
    expect(error.status).toBe(403);
    expect(error.message).toBe("GitHub API: POST /repos/o/r/issues/1/labels: API rate limit exceeded for installation ID 1. (403)");
    expect(error.message).not.toContain("needs");
  });

  it("claims no missing permission for a 403 that is a secondary rate limit", async () => {
    const { port } = github({
      status: 403,
      body: { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." },
      headers: { "retry-after": "60", "x-accepted-github-permissions": "issues=write" },
    });
    const error = await failure(port.createComment(1, "hello"));
    expect(error.message).not.toContain("needs");
  });

  it("keeps a network failure's message and status", async () => {
    const octokit = new Octokit({ log: quiet, request: { fetch: () => Promise.reject(new TypeError("fetch failed", { cause: new Error("getaddrinfo ENOTFOUND api.github.com") })) } });
    const error = await failure(new OctokitGitHub(octokit, { owner: "o", repo: "r" }).getIssue(1));
    expect(error.status).toBe(500);
    expect(error.message).toBe("GitHub API: GET /repos/o/r/issues/1: getaddrinfo ENOTFOUND api.github.com");
  });

  it("names the GraphQL error's type and the permission a FORBIDDEN one needs", async () => {
    const { port } = github({
      status: 200,
      body: { data: { markPullRequestReadyForReview: null }, errors: [{ type: "FORBIDDEN", path: ["markPullRequestReadyForReview"], message: "Resource not accessible by integration" }] },
    });
    const error = await failure(port.markReadyForReview("PR_1"));
    expect(error.message).toBe(
      "GitHub API: POST /graphql (markPullRequestReadyForReview): Resource not accessible by integration (FORBIDDEN) — the token needs pull_requests: write",
    );
    expect(error.status).toBe(403);
  });

  it.each([
    ["pinIssue", (port: OctokitGitHub) => port.pinIssue("I_1"), "issues: write"],
    ["updateRefs", (port: OctokitGitHub) => port.updateRefs("R_1", [{ ref: "heads/x", before: "a".repeat(40), after: "b".repeat(40) }]), "contents: write"],
  ])("names the mutation and its permission when GitHub refuses %s", async (field, send, permission) => {
    const { port } = github({ status: 200, body: { data: { [field]: null }, errors: [{ type: "FORBIDDEN", path: [field], message: "Resource not accessible by integration" }] } });
    const error = await failure(send(port));
    expect(error.message).toBe(`GitHub API: POST /graphql (${field}): Resource not accessible by integration (FORBIDDEN) — the token needs ${permission}`);
  });
});
