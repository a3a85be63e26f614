import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";
import { describe, expect, it } from "vitest";
import type { Sandbox } from "../../tools/sandbox/index.js";
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
  /** A sandbox whose next POST to the issues is answered with a 500, and that failed create. */
  async function faultedCreate() {
    const { sandbox } = await sandboxFor();
    const octokit = octokitFor(sandbox, sandbox.tokens.installation);
    sandbox.faults.inject({ method: "POST", route: ISSUES, status: 500 });
    const failed = await failure(octokit.rest.issues.create({ ...repoOf(sandbox), title: "t" }));
    return { sandbox, octokit, failed };
  }

  it("answers a chosen request with the chosen status and GitHub's error body", async () => {
    const { failed } = await faultedCreate();
    expect(failed).toMatchObject({ status: 500, body: { message: "Server Error" } });
  });

  it("changes nothing on a faulted write", async () => {
    const { sandbox } = await faultedCreate();
    expect(sandbox.state.issues()).toEqual([]);
  });

  it("logs a faulted request with the status it was answered with", async () => {
    const { sandbox } = await faultedCreate();
    expect(sandbox.requests.map((r) => `${r.route} ${r.status}`)).toEqual([`POST ${ISSUES} 500`]);
  });

  it("answers only one request when no number of times is given", async () => {
    const { sandbox, octokit } = await faultedCreate();
    await octokit.rest.issues.create({ ...repoOf(sandbox), title: "t" });
    expect(sandbox.requests.map((r) => `${r.route} ${r.status}`)).toEqual([`POST ${ISSUES} 500`, `POST ${ISSUES} 201`]);
  });

  it("answers the given number of matching requests, of any method, then lets them through", async () => {
    const { sandbox } = await sandboxFor();
    const octokit = octokitFor(sandbox, sandbox.tokens.installation);
    sandbox.faults.inject({ route: ISSUES, status: 502, times: 2 });
    expect((await failure(octokit.rest.issues.listForRepo(repoOf(sandbox)))).status).toBe(502);
    expect((await failure(octokit.rest.issues.create({ ...repoOf(sandbox), title: "t" }))).status).toBe(502);
    await octokit.rest.issues.create({ ...repoOf(sandbox), title: "t" });
    expect(sandbox.requests.map((r) => `${r.route} ${r.status}`)).toEqual([`GET ${ISSUES} 502`, `POST ${ISSUES} 502`, `POST ${ISSUES} 201`]);
    expect(sandbox.state.issues()).toHaveLength(1);
  });

  it("lets the first `skip` matching requests through, then hits the next ones", async () => {
    const { sandbox } = await sandboxFor();
    const octokit = octokitFor(sandbox, sandbox.tokens.installation);
    sandbox.faults.inject({ method: "POST", route: ISSUES, status: 500, skip: 2, times: Infinity });
    await octokit.rest.issues.listForRepo(repoOf(sandbox));
    await octokit.rest.issues.create({ ...repoOf(sandbox), title: "first" });
    await octokit.rest.issues.create({ ...repoOf(sandbox), title: "second" });
    expect((await failure(octokit.rest.issues.create({ ...repoOf(sandbox), title: "third" }))).status).toBe(500);
    expect((await failure(octokit.rest.issues.create({ ...repoOf(sandbox), title: "fourth" }))).status).toBe(500);
    expect(sandbox.requests.map((r) => `${r.route} ${r.status}`)).toEqual([
      `GET ${ISSUES} 200`,
      `POST ${ISSUES} 201`,
      `POST ${ISSUES} 201`,
      `POST ${ISSUES} 500`,
      `POST ${ISSUES} 500`,
    ]);
    expect(sandbox.state.issues().map((issue) => issue.title)).toEqual(["first", "second"]);
  });

  it("counts `times` from the first request a skipping fault hits, and leaves skipped ones to later faults", async () => {
    const { sandbox } = await sandboxFor();
    const octokit = octokitFor(sandbox, sandbox.tokens.installation);
    sandbox.faults.inject({ route: ISSUES, status: 500, skip: 1, times: 1 });
    sandbox.faults.inject({ route: ISSUES, status: 502 });
    expect((await failure(octokit.rest.issues.listForRepo(repoOf(sandbox)))).status).toBe(502);
    expect((await failure(octokit.rest.issues.listForRepo(repoOf(sandbox)))).status).toBe(500);
    await octokit.rest.issues.listForRepo(repoOf(sandbox));
    expect(sandbox.requests.map((r) => r.status)).toEqual([502, 500, 200]);
  });

  it("refuses a skip that is not a whole number of requests", async () => {
    const { sandbox } = await sandboxFor();
    expect(() => sandbox.faults.inject({ status: 500, skip: -1 })).toThrow("skip is a whole number of requests");
    expect(() => sandbox.faults.inject({ status: 500, skip: 1.5 })).toThrow("skip is a whole number of requests");
  });

  it("answers a request matched by two faults with the one injected first", async () => {
    const { sandbox } = await sandboxFor();
    const octokit = octokitFor(sandbox, sandbox.tokens.installation);
    sandbox.faults.inject({ method: "POST", route: ISSUES, status: 500 });
    sandbox.faults.inject({ route: ISSUES, status: 502, times: 2 });
    expect((await failure(octokit.rest.issues.create({ ...repoOf(sandbox), title: "t" }))).status).toBe(500);
    expect((await failure(octokit.rest.issues.create({ ...repoOf(sandbox), title: "t" }))).status).toBe(502);
  });

  it("answers nothing with a fault once the faults are cleared", async () => {
    const { sandbox } = await sandboxFor();
    const octokit = octokitFor(sandbox, sandbox.tokens.installation);
    sandbox.faults.inject({ status: 500, times: Infinity });
    sandbox.faults.clear();
    await octokit.rest.issues.listForRepo(repoOf(sandbox));
    expect(sandbox.requests.map((r) => `${r.route} ${r.status}`)).toEqual([`GET ${ISSUES} 200`]);
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
