/**
 * What one scheduled sweep costs, for N = 100, 1,000 and 10,000 open tasks:
 *
 *   npx tsx bench/sweep.ts
 *
 * The local GitHub runs in a child process, so the CPU time printed is Orkestra's alone; the
 * wall time includes the HTTP round trips to the sandbox on loopback. Two cases per N: a sweep
 * with nothing to do (every task blocked) and one that assigns 10 ready tasks. The goal for the
 * first: at most ceil(N/100) + 5 GitHub requests.
 */
import { scriptedAgentsConfig } from "../tests/support/config.js";
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Octokit } from "@octokit/rest";
import { fixedClock } from "../tools/fixed-clock.js";
import { renderCard, type TaskMeta } from "../src/domain/task/card.js";
import { OctokitGitHub } from "../src/github/octokit.js";
import { handleEvent } from "../src/handlers/index.js";
import { silentLogger } from "../src/shared/logger.js";
import { startSandbox } from "../tools/sandbox/index.js";
import { scriptedProvider } from "../tools/scripted/index.js";
import { repositoryShape } from "../tools/sandbox/shapes/repo.js";

const START = "2026-11-21T09:00:00Z";
const SIZES = [100, 1_000, 10_000];
const READY = 10;
const CONFIG = scriptedAgentsConfig({ alpha: {}, beta: {} }, "assignment: { maxPerAgent: 10, maxInProgress: 10 }\n");

interface Seeded {
  url: string;
  token: string;
  owner: string;
  repo: string;
  repository: Record<string, unknown>;
}

/** Child: a sandbox with `total` open tasks, `ready` of them pending with a card, the rest blocked. */
async function serve(total: number, ready: number): Promise<void> {
  const clock = fixedClock(START);
  const sandbox = await startSandbox({
    clock,
    rateLimit: 1_000_000,
    validateResponses: false,
    collaborators: { alice: "write" },
    files: { ".github/orkestra.yml": CONFIG },
  });
  const person = sandbox.as("alice");
  for (let i = 0; i < total; i++) {
    const status = i < ready ? "pending" : "blocked";
    const issue = person.openIssue({ title: `Task ${i}`, labels: ["orkestra:task", `status:${status}`, "priority:medium", "type:technical"] });
    if (i < ready) sandbox.as(sandbox.app.botLogin).comment(issue.number, renderCard(card(issue.number, issue.updated_at)));
  }
  sandbox.clearRequests();
  process.send!({ url: sandbox.url, token: sandbox.tokens.installation, owner: sandbox.owner, repo: sandbox.repo, repository: repositoryShape(sandbox.internals.shapes) });
  process.on("message", (message) => {
    if (message === "requests") process.send!(sandbox.requests.map((request) => request.route ?? request.path));
    if (message === "exit") void sandbox.close().then(() => process.exit(0));
  });
}

function card(issue: number, seenAt: string): TaskMeta {
  return {
    v: 1, issue, status: "pending", priority: "medium", type: "technical", deps: [], extraDeps: [], mirrored: [],
    heldByPerson: false, seenAt, agent: null, retry: { count: 0, nextAttemptAt: null, avoid: [], escalated: false }, execution: null, history: [],
  };
}

function ask<T>(child: ChildProcess, message: string): Promise<T> {
  return new Promise((resolve) => {
    child.once("message", (answer) => resolve(answer as T));
    child.send(message);
  });
}

async function measure(total: number, ready: number): Promise<{ requests: number; wallMs: number; cpuMs: number; breakdown: Map<string, number> }> {
  const child = fork(fileURLToPath(import.meta.url), ["--serve", String(total), String(ready)], { execArgv: ["--import", "tsx"] });
  const seeded = await new Promise<Seeded>((resolve) => child.once("message", (message) => resolve(message as Seeded)));
  const octokit = new Octokit({ auth: seeded.token, baseUrl: seeded.url, retry: { enabled: false }, log: { debug() {}, info() {}, warn() {}, error() {} } });
  const services = {
    github: new OctokitGitHub(octokit, { owner: seeded.owner, repo: seeded.repo }),
    clock: fixedClock(START),
    log: silentLogger,
    dryRun: false,
    repoPrivate: false,
    env: {},
    agentOptions: { scripted: scriptedProvider() },
  };
  const cpu = process.cpuUsage();
  const started = performance.now();
  const report = await handleEvent(services, { name: "schedule", payload: { schedule: "*/15 * * * *", repository: seeded.repository } });
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  if (report.errors.length > 0) throw new Error(report.errors.join("; "));
  const routes = await ask<string[]>(child, "requests");
  child.send("exit");
  const breakdown = new Map<string, number>();
  for (const route of routes) breakdown.set(route, (breakdown.get(route) ?? 0) + 1);
  return { requests: routes.length, wallMs, cpuMs: (used.user + used.system) / 1000, breakdown };
}

async function main(): Promise<void> {
  console.log("| open tasks | sweep | GitHub requests | goal | wall time | Orkestra CPU |");
  console.log("|---:|---|---:|---:|---:|---:|");
  for (const total of SIZES) {
    for (const ready of [0, READY]) {
      const result = await measure(total, ready);
      const goal = ready === 0 ? `≤ ${Math.ceil(total / 100) + 5}` : "—";
      const what = ready === 0 ? "nothing to do" : `assigns ${ready}`;
      console.log(`| ${total.toLocaleString("en")} | ${what} | ${result.requests} | ${goal} | ${result.wallMs.toFixed(0)} ms | ${result.cpuMs.toFixed(0)} ms |`);
      if (process.argv.includes("--detail")) {
        for (const [route, count] of result.breakdown) console.log(`|   | ${route} | ${count} | | | |`);
      }
    }
  }
}

if (process.argv[2] === "--serve") {
  void serve(Number(process.argv[3]), Number(process.argv[4]));
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
