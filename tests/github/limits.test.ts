import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { getOctokit } from "@actions/github";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createActionOctokit } from "../../src/action/main.js";
import { orkestraProbotOctokit } from "../../src/app/octokit.js";
import { RetryLimiter, concurrencyGroup } from "../../src/github/limits.js";
import type { Logger } from "../../src/shared/logger.js";

/**
 * src/github/limits.ts through the real clients (createActionOctokit, orkestraProbotOctokit)
 * against a local server: rate limits are still retried, writes still paced a second apart, at
 * most 10 requests at once, and a GET no longer waits on Bottleneck's timers in those two limiters.
 */

interface Hit {
  method: string;
  url: string;
  at: number;
}

type Reply = (req: IncomingMessage) => { status: number; headers?: Record<string, string>; body?: unknown; delay?: number };

let reply: Reply = () => ({ status: 200 });
const hits: Hit[] = [];
let inFlight = 0;
let maxInFlight = 0;

const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  req.resume();
  req.on("end", () => {
    hits.push({ method: req.method ?? "", url: req.url ?? "", at: performance.now() });
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const { status, headers = {}, body = { ok: true }, delay = 0 } = reply(req);
    const send = (): void => {
      inFlight--;
      res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
      res.end(JSON.stringify(body));
    };
    if (delay > 0) setTimeout(send, delay);
    else send();
  });
});

let baseUrl = "";
const warnings: string[] = [];
const log: Logger = { debug() {}, info() {}, warn: (message) => warnings.push(message), error() {} };

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
afterEach(() => {
  reply = () => ({ status: 200 });
  hits.length = 0;
  warnings.length = 0;
  maxInFlight = 0;
  vi.restoreAllMocks();
});

const secondaryLimit = (retryAfter: string): Reply => {
  let first = true;
  return () => {
    if (!first) return { status: 200 };
    first = false;
    return { status: 403, headers: { "retry-after": retryAfter }, body: { message: "You have exceeded a secondary rate limit" } };
  };
};

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timeGets(client: { request(route: string): Promise<unknown> }, n: number): Promise<number> {
  for (let i = 0; i < 10; i++) await client.request("GET /repos/o/r/issues/1");
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await client.request("GET /repos/o/r/issues/1");
    times.push(performance.now() - t0);
  }
  return median(times);
}

describe("the Action's client (createActionOctokit)", () => {
  it("retries a secondary rate limit after its retry-after, through the new retry limiter", async () => {
    const schedule = vi.spyOn(RetryLimiter.prototype, "schedule");
    reply = secondaryLimit("1");
    const t0 = performance.now();
    const response = await createActionOctokit("t", baseUrl, log).request("GET /repos/o/r/issues/1");
    expect(response.status).toBe(200);
    expect(hits).toHaveLength(2);
    expect(hits[1]!.at - hits[0]!.at).toBeGreaterThanOrEqual(950);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(950);
    expect(warnings).toEqual([expect.stringMatching(/^secondary rate limit on GET .*issues\/1; retry 1 in 1s$/)]);
    expect(schedule).toHaveBeenCalledTimes(1);
  });

  it("gives up on a secondary rate limit when the handler says so (a wait over a minute)", async () => {
    reply = secondaryLimit("120");
    await expect(createActionOctokit("t", baseUrl, log).request("GET /repos/o/r/issues/1")).rejects.toMatchObject({ status: 403 });
    expect(hits).toHaveLength(1);
    expect(warnings).toEqual([expect.stringMatching(/giving up$/)]);
  });

  it("still paces writes a second apart, as GitHub asks", async () => {
    const octokit = createActionOctokit("t", baseUrl, log);
    await octokit.request("POST /repos/o/r/issues/1/labels", { labels: ["a"] });
    await octokit.request("POST /repos/o/r/issues/1/labels", { labels: ["b"] });
    expect(hits.map((hit) => hit.method)).toEqual(["POST", "POST"]);
    expect(hits[1]!.at - hits[0]!.at).toBeGreaterThanOrEqual(900);
  });

  it("runs at most 10 requests at once, across clients (one global group per process)", async () => {
    reply = () => ({ status: 200, delay: 40 });
    const [a, b] = [createActionOctokit("t", baseUrl, log), createActionOctokit("t", baseUrl, log)];
    const gets = Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).request("GET /repos/o/r/issues/{n}", { n: i }));
    expect((await Promise.all(gets)).every((response) => response.status === 200)).toBe(true);
    expect(hits).toHaveLength(30);
    expect(maxInFlight).toBe(10);
  });

  it("would run more than 10 at once without the group (the server can tell)", async () => {
    reply = () => ({ status: 200, delay: 40 });
    const octokit = getOctokit("t", { baseUrl });
    await Promise.all(Array.from({ length: 30 }, (_, i) => octokit.request("GET /repos/o/r/issues/{n}", { n: i })));
    expect(maxInFlight).toBeGreaterThan(10);
  });

  it("no longer idles ~12 ms per GET on the plugin's Bottleneck limiters", async () => {
    // Relative to the same factory without the new limiters (~16 ms, of which ~12 ms idle), as
    // load on a 2-core machine slows both. plugin-retry's own Bottleneck job (~4 ms idle) remains,
    // so an absolute bound near a bare client (~1 ms) would not hold.
    const bare = await timeGets(getOctokit("t", { baseUrl }), 50);
    const before = await timeGets(createActionOctokit("t", baseUrl, log, true, false), 50);
    const after = await timeGets(createActionOctokit("t", baseUrl, log), 50);
    console.log(`median GET: bare ${bare.toFixed(2)} ms, before ${before.toFixed(2)} ms, after ${after.toFixed(2)} ms`);
    expect(after).toBeLessThan(before * 0.75);
  });
});

describe("the Probot client (orkestraProbotOctokit)", () => {
  const ProbotClient = orkestraProbotOctokit({ log });

  it("retries a secondary rate limit through the new retry limiter", async () => {
    const schedule = vi.spyOn(RetryLimiter.prototype, "schedule");
    reply = secondaryLimit("1");
    const response = await new ProbotClient({ baseUrl, auth: { token: "t" } }).request("GET /repos/o/r/issues/1");
    expect(response.status).toBe(200);
    expect(hits).toHaveLength(2);
    expect(warnings).toEqual([expect.stringMatching(/^secondary rate limit on GET .*retry 1 in 1s$/)]);
    expect(schedule).toHaveBeenCalledTimes(1);
  });

  it("shares the global group of 10 with the Action's client", async () => {
    reply = () => ({ status: 200, delay: 40 });
    const [a, b] = [new ProbotClient({ baseUrl, auth: { token: "t" } }), createActionOctokit("t", baseUrl, log)];
    await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).request("GET /repos/o/r/issues/{n}", { n: i })));
    expect(hits).toHaveLength(30);
    expect(maxInFlight).toBe(10);
  });
});

describe("concurrencyGroup", () => {
  it("lets a retry (weight 0) past a full limiter, as Bottleneck does", async () => {
    const limiter = concurrencyGroup(1).key("x");
    let release = (): void => {};
    const held = limiter.schedule({}, () => new Promise<void>((resolve) => (release = resolve)));
    await expect(limiter.schedule({ priority: 0, weight: 0 }, async () => "retry")).resolves.toBe("retry");
    const queued = limiter.schedule({}, async () => "queued");
    release();
    await held;
    await expect(queued).resolves.toBe("queued");
  });

  it("keeps a limiter per id", async () => {
    const group = concurrencyGroup(1);
    expect(group.key("a")).toBe(group.key("a"));
    expect(group.key("a")).not.toBe(group.key("b"));
  });
});
