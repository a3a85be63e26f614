/** Creating a ref as GitHub answers it: lost answers, transient refusals, and real losses. */
import { Octokit } from "@octokit/rest";
import { describe, expect, it } from "vitest";
import { OctokitGitHub } from "../../src/github/octokit.js";
import { GitHubError } from "../../src/github/port.js";
import type { Sandbox } from "../../tools/sandbox/index.js";
import { sandboxFor } from "../sandbox/helpers.js";

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const REFS = "/repos/{owner}/{repo}/git/refs";

function portFor(sandbox: Sandbox): OctokitGitHub {
  return new OctokitGitHub(new Octokit({ auth: sandbox.tokens.installation, baseUrl: sandbox.url, log: quiet }), { owner: sandbox.owner, repo: sandbox.repo });
}

async function setup() {
  const { sandbox } = await sandboxFor({ files: { "README.md": "hi\n" } });
  const github = portFor(sandbox);
  const main = await github.branchSha("main");
  const { tree } = await github.commit(main);
  const mine = await github.createCommit({ message: "mine", tree, parents: [main] });
  const theirs = await github.createCommit({ message: "theirs", tree, parents: [main] });
  return { sandbox, github, mine, theirs };
}

async function failure(promise: Promise<unknown>): Promise<GitHubError> {
  const error: unknown = await promise.then(() => undefined, (thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(GitHubError);
  return error as GitHubError;
}

describe("createRef", () => {
  it("takes a ref its own lost write made (the retry finds it, with its sha) as won", async () => {
    const { sandbox, github, mine } = await setup();
    sandbox.faults.inject({ method: "POST", route: REFS, status: 502, lost: true });
    // The first try's answer is lost (what the retry plugin sees); the ref was made all the same.
    expect((await failure(github.createRef("orkestra/locks/7", mine))).status).toBe(502);
    expect(await github.refSha("orkestra/locks/7")).toBe(mine);
    expect(await github.createRef("orkestra/locks/7", mine)).toBe(true);
  });

  it("takes another writer's ref as lost", async () => {
    const { github, mine, theirs } = await setup();
    expect(await github.createRef("orkestra/locks/7", theirs)).toBe(true);
    expect(await github.createRef("orkestra/locks/7", mine)).toBe(false);
    expect(await github.refSha("orkestra/locks/7")).toBe(theirs);
  });

  it("tries a transient 422 again (\"Reference update failed\", \"Object does not exist\") and wins", async () => {
    const { sandbox, github, mine } = await setup();
    sandbox.faults.inject({ method: "POST", route: REFS, status: 422, message: "Reference update failed" });
    sandbox.faults.inject({ method: "POST", route: REFS, status: 422, message: "Object does not exist" });
    expect(await github.createRef("orkestra/locks/7", mine)).toBe(true);
    expect(await github.refSha("orkestra/locks/7")).toBe(mine);
    expect(sandbox.requests.filter((request) => request.method === "POST" && request.route === `POST ${REFS}`)).toHaveLength(3);
  });

  it("gives up on a transient 422 that persists, and never reads it as a lost race", async () => {
    const { sandbox, github, mine } = await setup();
    sandbox.faults.inject({ method: "POST", route: REFS, status: 422, message: "Reference update failed", times: 10 });
    const error = await failure(github.createRef("orkestra/locks/7", mine));
    expect(error.status).toBe(422);
    expect(error.message).toContain("Reference update failed");
    expect(sandbox.requests.filter((request) => request.route === `POST ${REFS}`)).toHaveLength(4);
  });
});
