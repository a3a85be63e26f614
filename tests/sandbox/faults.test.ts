import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";
import { describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/index.js";
import { failure, octokitFor, repoOf, sandboxFor } from "./helpers.js";

const ISSUES = "/repos/{owner}/{repo}/issues";
const silentLog = { debug() {}, info() {}, warn() {}, error() {} };

/** Octokit with the plugins Probot and the Action use, waiting 1 ms per second GitHub asks for. */
function resilientOctokit(sandbox: Sandbox, seen: string[]) {
  const Resilient = Octokit.plugin(throttling, retry);
  return new Resilient({
    auth: sandbox.tokens.installation,
    baseUrl: sandbox.url,
    log: silentLog,
    throttle: {
      retryAfterBaseValue: 1,
      onSecondaryRateLimit: (retryAfter, options, _octokit, retryCount) => {
        seen.push(`secondary limit on ${options.method} ${options.url}, retry after ${retryAfter}s`);
        return retryCount < 2;
      },
      onRateLimit: (_retryAfter, options) => {
        seen.push(`primary limit on ${options.method} ${options.url}`);
        return false;
      },
    },
    retry: { retryAfterBaseValue: 1 },
  });
}

describe("fault injection", () => {
  it("answers chosen requests with 500 or 502, a given number of times, and logs them; faulted writes change nothing", async () => {
    const { sandbox } = await sandboxFor();
    const octokit = octokitFor(sandbox, sandbox.tokens.installation);
    sandbox.faults.inject({ method: "POST", route: ISSUES, status: 500 });
    sandbox.faults.inject({ route: ISSUES, status: 502, times: 2 });
    const failed = await failure(octokit.rest.issues.create({ ...repoOf(sandbox), title: "t" }));
    expect(failed).toMatchObject({ status: 500, body: { message: "Server Error" } });
    expect(sandbox.state.issues()).toEqual([]);
    expect((await failure(octokit.rest.issues.listForRepo(repoOf(sandbox)))).status).toBe(502);
    expect((await failure(octokit.rest.issues.create({ ...repoOf(sandbox), title: "t" }))).status).toBe(502);
    await octokit.rest.issues.create({ ...repoOf(sandbox), title: "t" });
    sandbox.faults.inject({ status: 500, times: Infinity });
    sandbox.faults.clear();
    await octokit.rest.issues.listForRepo(repoOf(sandbox));
    expect(sandbox.requests.map((r) => `${r.route} ${r.status}`)).toEqual([
      `POST ${ISSUES} 500`,
      `GET ${ISSUES} 502`,
      `POST ${ISSUES} 502`,
      `POST ${ISSUES} 201`,
      `GET ${ISSUES} 200`,
    ]);
    expect(sandbox.state.issues()).toHaveLength(1);
  });

  it("answers secondary rate limits (403 or 429 with retry-after) and exhausted primary limits as GitHub does", async () => {
    const { sandbox } = await sandboxFor();
    const octokit = octokitFor(sandbox, sandbox.tokens.installation);
    sandbox.faults.inject({ route: ISSUES, status: 429, retryAfter: 30 });
    const secondary = await failure(octokit.rest.issues.listForRepo(repoOf(sandbox)));
    expect(secondary.status).toBe(429);
    expect(secondary.headers["retry-after"]).toBe("30");
    expect(secondary.body).toMatchObject({
      message: expect.stringMatching(/^You have exceeded a secondary rate limit\. Please wait a few minutes before you try again\./),
      documentation_url: expect.stringContaining("#about-secondary-rate-limits"),
    });
    sandbox.faults.inject({ route: ISSUES, status: 403, secondary: false, retryAfter: 120 });
    const primary = await failure(octokit.rest.issues.listForRepo(repoOf(sandbox)));
    expect(primary.status).toBe(403);
    expect(primary.headers).toMatchObject({ "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(Date.parse("2030-01-01T00:02:00Z") / 1000) });
    expect(primary.body).toMatchObject({ message: `API rate limit exceeded for installation ID ${sandbox.app.installationId}.` });
  });

  it("slows a response down without failing it", async () => {
    const { sandbox } = await sandboxFor();
    sandbox.as("ann").openIssue({ title: "slow" });
    const octokit = octokitFor(sandbox, sandbox.tokens.installation);
    sandbox.faults.inject({ route: `${ISSUES}/{issue_number}`, delayMs: 50 });
    const finished: string[] = [];
    await Promise.all([
      octokit.rest.issues.get({ ...repoOf(sandbox), issue_number: 1 }).then(() => finished.push("slow get")),
      octokit.rest.issues.listForRepo(repoOf(sandbox)).then(() => finished.push("fast list")),
    ]);
    expect(finished).toEqual(["fast list", "slow get"]);
    expect(sandbox.requests.every((r) => r.status === 200)).toBe(true);
  });

  it("lets a real Octokit with the throttling and retry plugins recover from a secondary limit and a 502", async () => {
    const { sandbox } = await sandboxFor();
    sandbox.as("ann").openIssue({ title: "still here" });
    sandbox.faults.inject({ method: "GET", route: ISSUES, status: 403, retryAfter: 1 });
    sandbox.faults.inject({ method: "GET", route: ISSUES, status: 502 });
    const seen: string[] = [];
    const { data } = await resilientOctokit(sandbox, seen).rest.issues.listForRepo(repoOf(sandbox));
    expect(data.map((issue) => issue.title)).toEqual(["still here"]);
    expect(sandbox.requests.map((r) => r.status)).toEqual([403, 502, 200]);
    expect(seen).toEqual([`secondary limit on GET /repos/{owner}/{repo}/issues, retry after 1s`]);
  });

  it("is read by the throttling plugin as a primary limit when `secondary: false`", async () => {
    const { sandbox } = await sandboxFor();
    sandbox.faults.inject({ method: "GET", route: ISSUES, status: 403, secondary: false });
    const seen: string[] = [];
    const error = await failure(resilientOctokit(sandbox, seen).rest.issues.listForRepo(repoOf(sandbox)));
    expect(error.status).toBe(403);
    expect(seen).toEqual(["primary limit on GET /repos/{owner}/{repo}/issues"]);
  });
});
