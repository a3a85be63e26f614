/**
 * Idle time per request, by GitHub client (issue 13). Every GET the Action's client made used to
 * wait ~12 ms doing nothing: @octokit/plugin-throttling ran it through two Bottleneck limiters
 * (its retry limiter and its `global` group) and each Bottleneck job is a chain of timers.
 * src/github/limits.ts replaces those two; GitHub's write pacing (1 s between writes, 3 s between
 * notifying ones) stays the plugin's.
 *
 *   npx tsx bench/idle.ts [--n 500] [--writes 4] [--only <name part>]
 *
 * A fixed JSON responder on 127.0.0.1 runs in a child process (no network), so this process's
 * CPU is the client's alone and the child's CPU during a run is "server". For N sequential
 * requests (after a warm-up) it prints, in ms per request: wall, client CPU, server CPU and
 * idle = wall − client CPU − server CPU (time spent waiting on timers or the event loop).
 * "before" is Orkestra's real factory built without the new limiters (createActionOctokit's
 * `limiters: false`), "after" the factory as shipped; then the same for sequential writes,
 * which must stay ≥ 1 s apart (≥ 3 s for a comment, which notifies).
 */
import { fork } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { Octokit } from "@octokit/rest";
import { getOctokit } from "@actions/github";
import { createActionOctokit } from "../src/action/main.js";
import { orkestraProbotOctokit } from "../src/app/octokit.js";
import type { Logger } from "../src/shared/logger.js";

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};

/** The child: answers every request at once with an issue-sized JSON body and GitHub's rate-limit headers. */
async function serve(): Promise<void> {
  const body = JSON.stringify({ id: 1, number: 1, title: "x", state: "open", labels: [], body: "y".repeat(400) });
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(req.method === "POST" ? 201 : 200, {
        "content-type": "application/json; charset=utf-8",
        "x-ratelimit-limit": "5000",
        "x-ratelimit-remaining": "4999",
        "x-ratelimit-used": "1",
        "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
        "x-ratelimit-resource": "core",
        "content-length": Buffer.byteLength(body),
      });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  let mark = process.cpuUsage();
  process.on("message", (m) => {
    if (m === "mark") {
      mark = process.cpuUsage();
      process.send!("ok");
    }
    if (m === "cpu") {
      const used = process.cpuUsage(mark);
      process.send!((used.user + used.system) / 1000);
    }
    if (m === "exit") process.exit(0);
  });
  process.send!(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
}

interface Client {
  request(route: string, params: Record<string, unknown>): Promise<unknown>;
}

async function main(): Promise<void> {
  const N = Number(arg("--n", "500"));
  const WRITES = Number(arg("--writes", "4"));
  const ONLY = arg("--only", "");
  const child = fork(fileURLToPath(import.meta.url), ["--serve"], { execArgv: ["--import", "tsx"] });
  const baseUrl = await new Promise<string>((resolve) => child.once("message", (m) => resolve(m as string)));
  const ask = <T>(m: string): Promise<T> =>
    new Promise<T>((resolve) => {
      child.once("message", (answer) => resolve(answer as T));
      child.send(m);
    });

  const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };
  const ProbotClient = orkestraProbotOctokit({ log: quiet });
  const clients: Array<[string, () => Client]> = [
    ["bare @octokit/rest", () => new Octokit({ baseUrl, auth: "t" })],
    ["bare getOctokit (@actions/github)", () => getOctokit("t", { baseUrl })],
    ["Action client, before (limiters: false)", () => createActionOctokit("t", baseUrl, quiet, true, false)],
    ["Action client, after (as shipped)", () => createActionOctokit("t", baseUrl, quiet, true)],
    ["Action client, throttle off", () => createActionOctokit("t", baseUrl, quiet, false)],
    ["Probot client (orkestraProbotOctokit)", () => new ProbotClient({ baseUrl, auth: { token: "t" } })],
  ];

  const params = { owner: "o", repo: "r", issue_number: 1 };
  const row = (name: string, wall: number, cpu: number, server: number, n: number): void =>
    console.log(
      `${name.padEnd(44)} ${[wall, cpu, server, wall - cpu - server].map((ms) => (ms / n).toFixed(2).padStart(8)).join(" ")}`,
    );
  async function run(name: string, client: Client, route: string, p: Record<string, unknown>, n: number, warm: number): Promise<void> {
    for (let i = 0; i < warm; i++) await client.request(route, p);
    await ask("mark");
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await client.request(route, p);
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    row(name, wall, (cpu.user + cpu.system) / 1000, await ask<number>("cpu"), n);
  }

  console.log(`${N} sequential GETs after 50 warm-up, node ${process.version}, server ${baseUrl}`);
  console.log(`${"client".padEnd(44)} ${["wall", "CPU", "server", "idle"].map((h) => h.padStart(8)).join(" ")}   ms/request`);
  for (const [name, make] of clients) {
    if (!ONLY || name.includes(ONLY)) await run(name, make(), "GET /repos/{owner}/{repo}/issues/{issue_number}", params, N, 50);
  }
  if (WRITES > 0) {
    console.log(`\n${WRITES} sequential writes after 1 warm-up, throttling on (GitHub asks ≥ 1 s apart; ≥ 3 s for notifying ones):`);
    const writes: Array<[string, string, Record<string, unknown>, number]> = [
      ["PATCH issue", "PATCH /repos/{owner}/{repo}/issues/{issue_number}", { ...params, title: "x" }, WRITES],
      ["POST labels", "POST /repos/{owner}/{repo}/issues/{issue_number}/labels", { ...params, labels: ["a"] }, WRITES],
      ["POST comment (notifies)", "POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...params, body: "x" }, Math.min(WRITES, 2)],
    ];
    for (const [label, limiters] of [["before", false], ["after", true]] as const) {
      for (const [name, route, p, n] of writes) {
        if (!ONLY || `${label}: ${name}`.includes(ONLY)) await run(`${label}: ${name}`, createActionOctokit("t", baseUrl, quiet, true, limiters), route, p, n, 1);
      }
    }
  }
  child.send("exit");
}

if (process.argv[2] === "--serve") await serve();
else await main();
